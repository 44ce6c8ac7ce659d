package keyboss.charts.monitoring;

import keyboss.charts.env.MetricCatalog;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape job of the in-namespace {@link Prometheus}, as the construct that serves the
 * metrics declares it: the addresses Prometheus reads (built from the construct's
 * {@link NamedPort}, so the port is the Service's), the path, scheme, target labels and
 * relabelling the job needs, whom Prometheus connects to for it, and the metric families it
 * produces with the labels the scrape gives them (for the {@link MetricCatalog}). Targets of the
 * same job from several constructs (one exporter per database member) render as one job.
 *
 * @param job         {@code job_name}, also the {@code job} label of every series.
 * @param order       where the job sits in prometheus.yml: ascending, then in registration order
 *                    (see {@link #ORDER_SELF} and the other constants: the order the shipped
 *                    jobs have always had, so the rendered file does not move).
 * @param addresses   static {@code host:port} targets (empty for a discovery job).
 * @param labels      labels attached to every static target.
 * @param path        {@code metrics_path}, or null for Prometheus' default {@code /metrics}.
 * @param relabelling {@code relabel_configs}, in order.
 * @param settings    any other keys of the job as Prometheus reads them (discovery, TLS,
 *                    authorization, scheme, params, honor_labels, interval).
 * @param reaches     what Prometheus connects to for this job (the network policies allow it).
 * @param families    the families it produces, with the labels the exporter gives them.
 * @param targetLabels the labels the scrape gives every series.
 */
public record ScrapeTarget(String job, int order, List<String> addresses, Map<String, String> labels, String path,
        List<Map<String, Object>> relabelling, Map<String, Object> settings, List<Reach> reaches,
        Map<String, List<String>> families, List<String> targetLabels) {

    /** Prometheus reading itself. */
    public static final int ORDER_SELF = 0;
    /** kube-state-metrics. */
    public static final int ORDER_CLUSTER_STATE = 10;
    /** The database's exporters, then (+1) its HA manager. */
    public static final int ORDER_DATABASE = 20;
    /** The cache's exporter. */
    public static final int ORDER_CACHE = 30;
    /** The synthetic probes. */
    public static final int ORDER_PROBES = 40;
    /** The cache's Sentinels, read through the cache's exporter. */
    public static final int ORDER_SENTINELS = 50;
    /** Prometheus' own discovery jobs (annotated pods, then the cluster-wide ones). */
    public static final int ORDER_DISCOVERY = 60;
    /** A target that does not say: after the shipped ones, before the federation. */
    public static final int ORDER_DEFAULT = 80;
    /** The federation from a central Prometheus: last. */
    public static final int ORDER_FEDERATION = 100;

    /** Something Prometheus connects to for a job: who, on which port. */
    public record Reach(NetworkPeer peer, NetworkPort port) {
    }

    public ScrapeTarget {
        if (job == null || !job.matches("[a-zA-Z_][a-zA-Z0-9_-]*")) {
            throw new IllegalArgumentException("ScrapeTarget job '" + job + "': letters, digits, '_' and '-', such as"
                    + " postgres-exporter");
        }
        addresses = List.copyOf(addresses == null ? List.of() : addresses);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        relabelling = List.copyOf(relabelling == null ? List.of() : relabelling);
        settings = Map.copyOf(settings == null ? Map.of() : settings);
        reaches = List.copyOf(reaches == null ? List.of() : reaches);
        families = Map.copyOf(families == null ? Map.of() : families);
        targetLabels = List.copyOf(targetLabels == null ? List.of("job", "instance") : targetLabels);
    }

    /** A job of {@code job} with nothing set yet: order {@link #ORDER_DEFAULT}, target labels job and instance. */
    public static Builder builder(String job) {
        return new Builder(job);
    }

    /** Whether {@code other} is the same job with other addresses (two members' exporters, say). */
    boolean sameJobAs(ScrapeTarget other) {
        return job.equals(other.job) && labels.equals(other.labels) && java.util.Objects.equals(path, other.path)
                && relabelling.equals(other.relabelling) && settings.equals(other.settings)
                && families.equals(other.families) && targetLabels.equals(other.targetLabels);
    }

    /** The job as prometheus.yml lists it, with {@code allAddresses} (its own and those of the same job). */
    Map<String, Object> toPrometheus(List<String> allAddresses) {
        Map<String, Object> job = new TreeMap<>(settings);
        job.put("job_name", this.job);
        if (path != null) {
            job.put("metrics_path", path);
        }
        if (!allAddresses.isEmpty()) {
            Map<String, Object> statics = new TreeMap<>();
            statics.put("targets", List.copyOf(allAddresses));
            if (!labels.isEmpty()) {
                statics.put("labels", labels);
            }
            job.put("static_configs", List.of(statics));
        }
        if (!relabelling.isEmpty()) {
            job.put("relabel_configs", relabelling);
        }
        return job;
    }

    /** A job being declared. */
    public static final class Builder {
        private final String job;
        private int order = ORDER_DEFAULT;
        private final List<String> addresses = new ArrayList<>();
        private Map<String, String> labels = Map.of();
        private String path;
        private List<Map<String, Object>> relabelling = List.of();
        private final Map<String, Object> settings = new TreeMap<>();
        private final List<Reach> reaches = new ArrayList<>();
        private Map<String, List<String>> families = Map.of();
        private List<String> targetLabels = List.of("job", "instance");

        private Builder(String job) {
            this.job = job;
        }

        /** Where the job sits in prometheus.yml. Default {@link #ORDER_DEFAULT}. */
        public Builder order(int value) { this.order = value; return this; }

        /** A static target {@code host:port} on {@code port}, which Prometheus reaches at {@code peer}. */
        public Builder target(String host, NamedPort port, NetworkPeer peer) {
            addresses.add(port.address(host));
            reaches.add(new Reach(peer, port.tcp()));
            return this;
        }

        /** A static target Prometheus does not connect to itself (it rewrites the address, or reads itself). */
        public Builder address(String address) { addresses.add(address); return this; }

        /** Something Prometheus connects to for the job that no static address names. */
        public Builder reach(NetworkPeer peer, NetworkPort port) { reaches.add(new Reach(peer, port)); return this; }

        /** Labels of every static target. Default none. */
        public Builder labels(Map<String, String> value) { this.labels = value; return this; }

        /** {@code metrics_path}. Default Prometheus' {@code /metrics}. */
        public Builder path(String value) { this.path = value; return this; }

        /** {@code relabel_configs}. Default none. */
        public Builder relabelling(List<Map<String, Object>> value) { this.relabelling = value; return this; }

        /** Another key of the job ({@code kubernetes_sd_configs}, {@code scheme}, {@code tls_config}...). */
        public Builder setting(String key, Object value) { settings.put(key, value); return this; }

        /** The families the job produces, with their exporter labels. Default none (the catalog still lists {@code up}). */
        public Builder families(Map<String, List<String>> value) { this.families = value; return this; }

        /** The labels the scrape gives every series. Default job and instance. */
        public Builder targetLabels(List<String> value) { this.targetLabels = value; return this; }

        public ScrapeTarget build() {
            return new ScrapeTarget(job, order, addresses, labels, path, relabelling, settings, reaches, families,
                    targetLabels);
        }
    }
}
