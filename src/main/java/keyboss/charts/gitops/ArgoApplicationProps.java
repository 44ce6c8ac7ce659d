package keyboss.charts.gitops;

/**
 * Properties of {@link ArgoApplication}. {@link #name}, {@link #path} and {@link #namespace}
 * are required; {@link #createNamespace} defaults to false.
 *
 * @param name            Application name.
 * @param path            folder of this repository, e.g. {@code dist/deti}.
 * @param namespace       destination namespace.
 * @param createNamespace whether Argo CD may create the destination namespace.
 */
public record ArgoApplicationProps(String name, String path, String namespace, boolean createNamespace) {

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private String name;
        private String path;
        private String namespace;
        private boolean createNamespace;

        /** Application name. Required. */
        public Builder name(String value) { this.name = value; return this; }

        /** Folder of this repository to sync, e.g. {@code dist/deti}. Required. */
        public Builder path(String value) { this.path = value; return this; }

        /** Destination namespace. Required. */
        public Builder namespace(String value) { this.namespace = value; return this; }

        /** Whether Argo CD may create the destination namespace. Default false. */
        public Builder createNamespace(boolean value) { this.createNamespace = value; return this; }

        public ArgoApplicationProps build() {
            return new ArgoApplicationProps(name, path, namespace, createNamespace);
        }
    }
}
