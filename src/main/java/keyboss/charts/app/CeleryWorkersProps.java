package keyboss.charts.app;

import keyboss.charts.core.Autoscaling;
import keyboss.charts.model.ContainerResources;

/**
 * Properties of {@link CeleryWorkers}. {@link #api} is required; every other property has a
 * default, documented on its builder method.
 */
public record CeleryWorkersProps(SaleorApi api, String name, Autoscaling autoscaling, int concurrency,
        int maxTaskSeconds, ContainerResources resources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public CeleryWorkersProps {
        name = name != null ? name : "celery-worker";
        autoscaling = autoscaling != null ? autoscaling : Autoscaling.of(2, 4, 90);
        resources = resources != null ? resources : ContainerResources.of("200m", "384Mi", "1", "768Mi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private SaleorApi api;
        private String name;
        private Autoscaling autoscaling;
        private int concurrency = 2;
        private int maxTaskSeconds = 300;
        private ContainerResources resources;

        /** The API whose image, configuration and secrets the workers share. Required. */
        public Builder api(SaleorApi value) { this.api = value; return this; }

        /** Deployment name. Default {@code celery-worker}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Replicas 2-4 on CPU 70% and memory 80%, scale-up window 90 s, scale-down 5 min (seed 3.2). */
        public Builder autoscaling(Autoscaling value) { this.autoscaling = value; return this; }

        /** Tasks one worker pod runs at once. Default 2. */
        public Builder concurrency(int value) { this.concurrency = value; return this; }

        /**
         * Longest a task may run. A stopping pod gets this long plus 30 s to finish its tasks
         * (terminationGracePeriodSeconds), so a rollout never cuts a key delivery short. Default 300.
         */
        public Builder maxTaskSeconds(int value) { this.maxTaskSeconds = value; return this; }

        /** Resources per worker. Default 200m/384Mi requested, 1 CPU/768Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public CeleryWorkersProps build() {
            return new CeleryWorkersProps(api, name, autoscaling, concurrency, maxTaskSeconds, resources);
        }
    }
}
