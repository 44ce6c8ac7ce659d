package keyboss.charts.data;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.Size;

/**
 * Properties of {@link ValkeySentinel}. Build with {@link #builder()}; every property has a
 * default, documented on its builder method.
 *
 * <p><b>Why three data pods and {@code minReplicasToWrite 1}.</b> Replication is asynchronous,
 * so a master that keeps taking writes while cut off from its replicas takes writes the next
 * failover discards. {@code min-replicas-to-write} makes such a master refuse writes
 * ({@code NOREPLICAS}) instead. With the seed's two pods (master and one replica) it has to be
 * 1 for that, and then the master also refuses every write while its only replica is down: a
 * replica restart, a rolling update or a lost node stops the broker until the replica is back,
 * and after the master dies the promoted replica refuses writes until the old master returns
 * (for a node failure, minutes). With three pods (master and two replicas) the promoted replica
 * has a replica at once and any single pod can be down without stopping writes; on deti that
 * is a third 1Gi Longhorn volume and 50m/64Mi requested (a broker queue and cache of well
 * under the {@code maxmemory} each pod gets, half of its 256Mi limit). {@code bin/bench-ha}
 * measures both layouts; README shows the figures. The remaining window: during a failover
 * whose old master is still reachable by clients, a replica not yet moved to the new master
 * keeps the old one writable for up to about a second (Sentinel moves the other replicas one
 * INFO period after the promotion). Set {@code minReplicasToWrite} to {@code replicas - 1}
 * to close it, at the price of the two-pod behaviour above.
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
        int minReplicasToWrite,
        int minReplicasMaxLagSeconds,
        String secretName,
        String passwordKey,
        Size storageSize,
        ContainerResources resources,
        ContainerResources sentinelResources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public ValkeySentinelProps {
        name = name != null ? name : "redis";
        sentinelName = sentinelName != null ? sentinelName : "redis-sentinel";
        masterName = masterName != null ? masterName : "mymaster";
        secretName = secretName != null ? secretName : "keyboss-secrets";
        passwordKey = passwordKey != null ? passwordKey : "VALKEY_PASSWORD";
        resources = resources != null ? resources : ContainerResources.of("50m", "64Mi", "500m", "256Mi");
        sentinelResources = sentinelResources != null ? sentinelResources : ContainerResources.of("10m", "16Mi", "100m", "64Mi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private String name;
        private int replicas = 3;
        private String sentinelName;
        private int sentinels = 3;
        private int quorum = 2;
        private String masterName;
        private int downAfterMillis = 5000;
        private int failoverTimeoutMillis = 30000;
        private int minReplicasToWrite = 1;
        private int minReplicasMaxLagSeconds = 2;
        private String secretName;
        private String passwordKey;
        private Size storageSize;
        private ContainerResources resources;
        private ContainerResources sentinelResources;

        /** Data StatefulSet and headless Service; pods are {@code <name>-0.<name>}. Default {@code redis}. */
        public Builder name(String value) { this.name = value; return this; }

        /**
         * Data pods: the initial master {@code <name>-0} and replicas. Default 3 (see the class
         * comment for why not the seed's 2), at least 2. The disruption budget keeps
         * {@code minReplicasToWrite + 1} pods, so with 2 a drain must wait for an operator.
         */
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

        /**
         * {@code min-replicas-to-write}: replicas a master must reach to accept a write. Default 1,
         * from 1 to {@code replicas - 1} (0, the Valkey default, lets a cut-off master take writes
         * a failover discards, so it is refused).
         */
        public Builder minReplicasToWrite(int value) { this.minReplicasToWrite = value; return this; }

        /**
         * {@code min-replicas-max-lag}: seconds since a replica's last acknowledgement after
         * which it no longer counts. Default 2; the master re-counts once a second, so it stops
         * taking writes within lag + 2 s of losing its replicas, which must be before a failover
         * can start ({@code downAfterMillis}).
         */
        public Builder minReplicasMaxLagSeconds(int value) { this.minReplicasMaxLagSeconds = value; return this; }

        /** Secret holding the password (declared, never written). Default {@code keyboss-secrets}. */
        public Builder secretName(String value) { this.secretName = value; return this; }

        /**
         * Key of that Secret with the password of the Valkey servers ({@code requirepass},
         * {@code masterauth}) and of the Sentinels ({@code requirepass}, {@code auth-pass}).
         * Default {@code VALKEY_PASSWORD}. It goes into client URLs, so it must be URL-safe.
         */
        public Builder passwordKey(String value) { this.passwordKey = value; return this; }

        /** Data volume per pod (append-only file and configuration). Default: the environment's default volume size. */
        public Builder storageSize(Size value) { this.storageSize = value; return this; }

        /**
         * Resources of each Valkey server. Default 50m/64Mi requested, 500m/256Mi limit;
         * {@code maxmemory} is half the memory limit, the rest is for replication buffers and
         * the copy-on-write of append-only-file rewrites.
         */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        /** Resources of each Sentinel. Default 10m/16Mi requested, 100m/64Mi limit. */
        public Builder sentinelResources(ContainerResources value) { this.sentinelResources = value; return this; }

        public ValkeySentinelProps build() {
            return new ValkeySentinelProps(name, replicas, sentinelName, sentinels, quorum, masterName, downAfterMillis,
                    failoverTimeoutMillis, minReplicasToWrite, minReplicasMaxLagSeconds, secretName, passwordKey,
                    storageSize, resources, sentinelResources);
        }
    }
}
