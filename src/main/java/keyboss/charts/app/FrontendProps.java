package keyboss.charts.app;

import keyboss.charts.model.ContainerResources;

/**
 * Properties of {@link Storefront} and {@link Dashboard}. {@link #api} is required; every
 * other property has a default, documented on its builder method (the builder is made with the
 * component's defaults: {@link Storefront#defaults()}, {@link Dashboard#defaults()}).
 */
public record FrontendProps(SaleorApi api, String name, String path, int replicas, int port, int runAsUser,
        ContainerResources resources) {

    /**
     * These props with every property left null taken from {@code defaults} (the component's,
     * {@link Storefront#defaults()} or {@link Dashboard#defaults()}): the construct resolves them
     * once, so props built without the builder get the same defaults. Numbers are kept as given
     * (a zero is reported by the construct's checks).
     */
    FrontendProps orDefaults(FrontendProps defaults) {
        return new FrontendProps(api != null ? api : defaults.api, name != null ? name : defaults.name,
                path != null ? path : defaults.path, replicas, port, runAsUser,
                resources != null ? resources : defaults.resources);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Starts from a component's defaults. */
    public static final class Builder {
        private SaleorApi api;
        private String name;
        private String path;
        private int replicas;
        private int port;
        private int runAsUser;
        private ContainerResources resources;

        Builder(FrontendProps defaults) {
            this.api = defaults.api;
            this.name = defaults.name;
            this.path = defaults.path;
            this.replicas = defaults.replicas;
            this.port = defaults.port;
            this.runAsUser = defaults.runAsUser;
            this.resources = defaults.resources;
        }

        /** The API the app talks to (public and in-cluster URLs come from it). Required. */
        public Builder api(SaleorApi value) { this.api = value; return this; }

        /** Deployment and Service name. */
        public Builder name(String value) { this.name = value; return this; }

        /** Path the app serves itself under, behind the ingress; starts and ends with '/'. */
        public Builder path(String value) { this.path = value; return this; }

        /** Pods. */
        public Builder replicas(int value) { this.replicas = value; return this; }

        /** Port the container listens on. */
        public Builder port(int value) { this.port = value; return this; }

        /** User id the container runs as. */
        public Builder runAsUser(int value) { this.runAsUser = value; return this; }

        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public FrontendProps build() {
            return new FrontendProps(api, name, path, replicas, port, runAsUser, resources);
        }
    }
}
