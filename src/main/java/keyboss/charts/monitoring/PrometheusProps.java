package keyboss.charts.monitoring;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.Size;

/**
 * Settings of a {@link Prometheus}. Every field has a default, resolved by the construct.
 *
 * @param scrapeInterval how often it scrapes and evaluates the rules. Default {@code 15s}.
 * @param retentionTime  how long it keeps samples. Default {@code 15d}.
 * @param storage        its claim; its database is kept under 80% of it. Default the environment's
 *                       default volume size.
 * @param resources      its container's. Default 200m/512Mi requested, 1 CPU/1Gi limit.
 */
public record PrometheusProps(String scrapeInterval, String retentionTime, Size storage, ContainerResources resources) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String scrapeInterval;
        private String retentionTime;
        private Size storage;
        private ContainerResources resources;

        /** Default {@code 15s}. */
        public Builder scrapeInterval(String value) { this.scrapeInterval = value; return this; }

        /** Default {@code 15d}. */
        public Builder retentionTime(String value) { this.retentionTime = value; return this; }

        /** Default the environment's default volume size. */
        public Builder storage(Size value) { this.storage = value; return this; }

        /** Default 200m/512Mi requested, 1 CPU/1Gi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public PrometheusProps build() {
            return new PrometheusProps(scrapeInterval, retentionTime, storage, resources);
        }
    }
}
