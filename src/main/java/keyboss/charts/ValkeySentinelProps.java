package keyboss.charts;

/**
 * Properties of {@link ValkeySentinel}. Build with {@link #builder()}; every property has a
 * default, documented on its builder method.
 */
public record ValkeySentinelProps(
        String name,
        int replicas,
        String sentinelName,
        int sentinels,
        int quorum,
        String masterName,
        int downAfterMillis,
        int failoverTimeoutMillis,
        Size storageSize,
        ContainerResources resources,
        ContainerResources sentinelResources) {

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private String name = "redis";
        private int replicas = 2;
        private String sentinelName = "redis-sentinel";
        private int sentinels = 3;
        private int quorum = 2;
        private String masterName = "mymaster";
        private int downAfterMillis = 5000;
        private int failoverTimeoutMillis = 30000;
        private Size storageSize;
        private ContainerResources resources = ContainerResources.of("50m", "64Mi", "500m", "256Mi");
        private ContainerResources sentinelResources = ContainerResources.of("10m", "16Mi", "100m", "64Mi");

        /** Data StatefulSet and headless Service; pods are {@code <name>-0.<name>}. Default {@code redis}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Data pods: the initial master {@code <name>-0} and replicas. Default 2, at least 2. */
        public Builder replicas(int value) { this.replicas = value; return this; }

        /** Sentinel StatefulSet and headless Service. Default {@code redis-sentinel}. */
        public Builder sentinelName(String value) { this.sentinelName = value; return this; }

        /** Sentinel pods. Default 3, at least 3 so a majority survives the loss of one. */
        public Builder sentinels(int value) { this.sentinels = value; return this; }

        /** Sentinels that must agree the master is down. Default 2; must be a majority of {@link #sentinels}. */
        public Builder quorum(int value) { this.quorum = value; return this; }

        /** Name clients ask the Sentinels for. Default {@code mymaster}. */
        public Builder masterName(String value) { this.masterName = value; return this; }

        /** {@code down-after-milliseconds}: silence before a master is deemed down. Default 5000. */
        public Builder downAfterMillis(int value) { this.downAfterMillis = value; return this; }

        /** {@code failover-timeout} in milliseconds. Default 30000. */
        public Builder failoverTimeoutMillis(int value) { this.failoverTimeoutMillis = value; return this; }

        /** Data volume per pod (append-only file). Default: the environment's default volume size. */
        public Builder storageSize(Size value) { this.storageSize = value; return this; }

        /** Resources of each Valkey server. Default 50m/64Mi requested, 500m/256Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        /** Resources of each Sentinel. Default 10m/16Mi requested, 100m/64Mi limit. */
        public Builder sentinelResources(ContainerResources value) { this.sentinelResources = value; return this; }

        public ValkeySentinelProps build() {
            return new ValkeySentinelProps(name, replicas, sentinelName, sentinels, quorum, masterName, downAfterMillis,
                    failoverTimeoutMillis, storageSize, resources, sentinelResources);
        }
    }
}
