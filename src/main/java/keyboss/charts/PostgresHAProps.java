package keyboss.charts;

import java.util.List;

/**
 * Properties of {@link PostgresHA}. Build with {@link #builder()}; every property has a default,
 * documented on its builder method.
 */
public record PostgresHAProps(
        String name,
        int replicas,
        String database,
        String user,
        String replicationUser,
        String secretName,
        String passwordKey,
        String replicationPasswordKey,
        Size storageSize,
        int maxWalSenders,
        String walKeepSize,
        int rejoinWindowSeconds,
        int checkIntervalSeconds,
        int failureThreshold,
        int connectTimeoutSeconds,
        String configMapName,
        String hostKey,
        List<String> restartDeployments,
        ContainerResources resources,
        ContainerResources watchdogResources) {

    public PostgresHAProps {
        restartDeployments = restartDeployments == null ? null : List.copyOf(restartDeployments);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private String name = "postgres";
        private int replicas = 2;
        private String database = "saleor";
        private String user = "saleor";
        private String replicationUser = "replicator";
        private String secretName = "keyboss-secrets";
        private String passwordKey = "POSTGRES_PASSWORD";
        private String replicationPasswordKey = "POSTGRES_REPLICATION_PASSWORD";
        private Size storageSize;
        private int maxWalSenders = 5;
        private String walKeepSize = "128MB";
        private int rejoinWindowSeconds = 30;
        private int checkIntervalSeconds = 3;
        private int failureThreshold = 3;
        private int connectTimeoutSeconds = 2;
        private String configMapName = "keyboss-config";
        private String hostKey = "POSTGRES_HOST";
        private List<String> restartDeployments = List.of("saleor-api");
        private ContainerResources resources = ContainerResources.of("250m", "512Mi", "1", "1Gi");
        private ContainerResources watchdogResources = ContainerResources.of("10m", "32Mi", "100m", "64Mi");

        /** StatefulSet and headless Service name; pods are {@code <name>-0.<name>}. Default {@code postgres}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Pods in the StatefulSet: a primary and a hot standby. Default and only supported value: 2. */
        public Builder replicas(int value) { this.replicas = value; return this; }

        /** Application database. Default {@code saleor}. */
        public Builder database(String value) { this.database = value; return this; }

        /** Application (superuser) role. Default {@code saleor}. */
        public Builder user(String value) { this.user = value; return this; }

        /** Role used for streaming replication. Default {@code replicator}. */
        public Builder replicationUser(String value) { this.replicationUser = value; return this; }

        /** Secret holding the passwords (declared, never written). Default {@code keyboss-secrets}. */
        public Builder secretName(String value) { this.secretName = value; return this; }

        /** Key of the application password in the Secret. Default {@code POSTGRES_PASSWORD}. */
        public Builder passwordKey(String value) { this.passwordKey = value; return this; }

        /** Key of the replication password in the Secret. Default {@code POSTGRES_REPLICATION_PASSWORD}. */
        public Builder replicationPasswordKey(String value) { this.replicationPasswordKey = value; return this; }

        /** Data volume per pod. Default: the environment's default volume size. */
        public Builder storageSize(Size value) { this.storageSize = value; return this; }

        /** {@code max_wal_senders}. Default 5. */
        public Builder maxWalSenders(int value) { this.maxWalSenders = value; return this; }

        /** {@code wal_keep_size}, WAL kept for a lagging standby. Default {@code 128MB}. */
        public Builder walKeepSize(String value) { this.walKeepSize = value; return this; }

        /** How long a restarting pod with data looks for a promoted peer before starting as it was. Default 30 s, above the watchdog's default detection time of 11 s. */
        public Builder rejoinWindowSeconds(int value) { this.rejoinWindowSeconds = value; return this; }

        /**
         * Watchdog {@code CHECK_INTERVAL}: seconds between primary checks. Default 3 (the seed used 10,
         * which made failover take about 35 s).
         */
        public Builder checkIntervalSeconds(int value) { this.checkIntervalSeconds = value; return this; }

        /**
         * Watchdog {@code FAILURE_THRESHOLD}: consecutive failed checks before promoting the standby.
         * Default 3, so a primary that is slow for one or two checks is not failed over.
         */
        public Builder failureThreshold(int value) { this.failureThreshold = value; return this; }

        /** Seconds one watchdog check waits for the primary to answer. Default 2. */
        public Builder connectTimeoutSeconds(int value) { this.connectTimeoutSeconds = value; return this; }

        /** ConfigMap whose {@link #hostKey} the watchdog points at the new primary. Default {@code keyboss-config}. */
        public Builder configMapName(String value) { this.configMapName = value; return this; }

        /** Key in that ConfigMap holding the primary's host. Default {@code POSTGRES_HOST}. */
        public Builder hostKey(String value) { this.hostKey = value; return this; }

        /** Deployments the watchdog restarts after a failover. Default {@code [saleor-api]}. */
        public Builder restartDeployments(List<String> value) { this.restartDeployments = value; return this; }

        /** Resources of the postgres container. Default 250m/512Mi requested, 1 CPU/1Gi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        /** Resources of the watchdog. Default 10m/32Mi requested, 100m/64Mi limit. */
        public Builder watchdogResources(ContainerResources value) { this.watchdogResources = value; return this; }

        public PostgresHAProps build() {
            return new PostgresHAProps(name, replicas, database, user, replicationUser, secretName, passwordKey,
                    replicationPasswordKey, storageSize, maxWalSenders, walKeepSize, rejoinWindowSeconds,
                    checkIntervalSeconds, failureThreshold, connectTimeoutSeconds, configMapName, hostKey,
                    restartDeployments, resources, watchdogResources);
        }
    }
}
