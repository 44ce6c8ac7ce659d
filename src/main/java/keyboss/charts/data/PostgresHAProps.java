package keyboss.charts.data;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.Size;

/**
 * Properties of {@link PostgresHA}. Build with {@link #builder()}; every property has a default,
 * documented on its builder method.
 *
 * <p>The failover timing ({@code ttlSeconds}, {@code loopWaitSeconds}, {@code retryTimeoutSeconds})
 * and {@code maximumLagOnFailoverBytes}, {@code synchronousMode} are Patroni's dynamic settings:
 * they are written to the cluster's {@code <name>-config} object when the cluster is first
 * initialised. Changing them later takes {@code patronictl edit-config} (or a PATCH of Patroni's
 * {@code /config} endpoint); the README says how.
 */
public record PostgresHAProps(
        String name,
        int replicas,
        String database,
        String user,
        String superuser,
        String replicationUser,
        String rewindUser,
        String monitorUser,
        String backupUser,
        String secretName,
        String passwordKey,
        String superuserPasswordKey,
        String replicationPasswordKey,
        String rewindPasswordKey,
        String monitorPasswordKey,
        String backupPasswordKey,
        String apiPasswordKey,
        Size storageSize,
        int maxWalSenders,
        String walKeepSize,
        int ttlSeconds,
        int loopWaitSeconds,
        int retryTimeoutSeconds,
        long maximumLagOnFailoverBytes,
        boolean synchronousMode,
        ContainerResources resources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public PostgresHAProps {
        name = name != null ? name : "postgres";
        database = database != null ? database : "saleor";
        user = user != null ? user : "saleor";
        superuser = superuser != null ? superuser : "postgres";
        replicationUser = replicationUser != null ? replicationUser : "replicator";
        rewindUser = rewindUser != null ? rewindUser : "rewinder";
        monitorUser = monitorUser != null ? monitorUser : "monitor";
        backupUser = backupUser != null ? backupUser : "backup";
        secretName = secretName != null ? secretName : "keyboss-secrets";
        passwordKey = passwordKey != null ? passwordKey : "POSTGRES_PASSWORD";
        superuserPasswordKey = superuserPasswordKey != null ? superuserPasswordKey : "POSTGRES_SUPERUSER_PASSWORD";
        replicationPasswordKey = replicationPasswordKey != null ? replicationPasswordKey : "POSTGRES_REPLICATION_PASSWORD";
        rewindPasswordKey = rewindPasswordKey != null ? rewindPasswordKey : "POSTGRES_REWIND_PASSWORD";
        monitorPasswordKey = monitorPasswordKey != null ? monitorPasswordKey : "POSTGRES_MONITOR_PASSWORD";
        backupPasswordKey = backupPasswordKey != null ? backupPasswordKey : "POSTGRES_BACKUP_PASSWORD";
        apiPasswordKey = apiPasswordKey != null ? apiPasswordKey : "PATRONI_API_PASSWORD";
        walKeepSize = walKeepSize != null ? walKeepSize : "128MB";
        resources = resources != null ? resources : ContainerResources.of("250m", "512Mi", "1", "1Gi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private String name;
        private int replicas = 2;
        private String database;
        private String user;
        private String superuser;
        private String replicationUser;
        private String rewindUser;
        private String monitorUser;
        private String backupUser;
        private String secretName;
        private String passwordKey;
        private String superuserPasswordKey;
        private String replicationPasswordKey;
        private String rewindPasswordKey;
        private String monitorPasswordKey;
        private String backupPasswordKey;
        private String apiPasswordKey;
        private Size storageSize;
        private int maxWalSenders = 5;
        private String walKeepSize;
        private int ttlSeconds = 20;
        private int loopWaitSeconds = 5;
        private int retryTimeoutSeconds = 5;
        private long maximumLagOnFailoverBytes = 1024 * 1024;
        private boolean synchronousMode = true;
        private ContainerResources resources;

        /**
         * StatefulSet name and Patroni scope. Clients reach the primary at the Service {@code <name>}
         * (whose endpoints the leader writes), read-only traffic at {@code <name>-replica}; pods are
         * {@code <name>-N.<name>-members}. Default {@code postgres}.
         */
        public Builder name(String value) { this.name = value; return this; }

        /** Members (one primary, the rest hot standbys). Default 2; at most 5. */
        public Builder replicas(int value) { this.replicas = value; return this; }

        /** Application database, owned by {@link #user}. Default {@code saleor}. */
        public Builder database(String value) { this.database = value; return this; }

        /** Application role: owns {@link #database}; not a superuser. Default {@code saleor}. */
        public Builder user(String value) { this.user = value; return this; }

        /** Superuser Patroni manages the server with; refused over the network. Default {@code postgres}. */
        public Builder superuser(String value) { this.superuser = value; return this; }

        /** Role used for streaming replication and pg_basebackup. Default {@code replicator}. */
        public Builder replicationUser(String value) { this.replicationUser = value; return this; }

        /** Role pg_rewind connects as (granted only the functions pg_rewind calls). Default {@code rewinder}. */
        public Builder rewindUser(String value) { this.rewindUser = value; return this; }

        /** Role of the metrics exporters, a member of {@code pg_monitor}. Default {@code monitor}. */
        public Builder monitorUser(String value) { this.monitorUser = value; return this; }

        /** Role of the backup job, a member of {@code pg_read_all_data} (read-only). Default {@code backup}. */
        public Builder backupUser(String value) { this.backupUser = value; return this; }

        /** Secret holding the passwords (declared, never written). Default {@code keyboss-secrets}. */
        public Builder secretName(String value) { this.secretName = value; return this; }

        /** Key of the application role's password. Default {@code POSTGRES_PASSWORD}. */
        public Builder passwordKey(String value) { this.passwordKey = value; return this; }

        /** Key of the superuser's password. Default {@code POSTGRES_SUPERUSER_PASSWORD}. */
        public Builder superuserPasswordKey(String value) { this.superuserPasswordKey = value; return this; }

        /** Key of the replication role's password. Default {@code POSTGRES_REPLICATION_PASSWORD}. */
        public Builder replicationPasswordKey(String value) { this.replicationPasswordKey = value; return this; }

        /** Key of the rewind role's password. Default {@code POSTGRES_REWIND_PASSWORD}. */
        public Builder rewindPasswordKey(String value) { this.rewindPasswordKey = value; return this; }

        /** Key of the monitoring role's password. Default {@code POSTGRES_MONITOR_PASSWORD}. */
        public Builder monitorPasswordKey(String value) { this.monitorPasswordKey = value; return this; }

        /** Key of the backup role's password. Default {@code POSTGRES_BACKUP_PASSWORD}. */
        public Builder backupPasswordKey(String value) { this.backupPasswordKey = value; return this; }

        /** Key of the password guarding Patroni's REST API writes (switchover, restart, config). Default {@code PATRONI_API_PASSWORD}. */
        public Builder apiPasswordKey(String value) { this.apiPasswordKey = value; return this; }

        /** Data volume per pod. Default: the environment's default volume size. */
        public Builder storageSize(Size value) { this.storageSize = value; return this; }

        /** {@code max_wal_senders}. Default 5. */
        public Builder maxWalSenders(int value) { this.maxWalSenders = value; return this; }

        /** {@code wal_keep_size}, WAL kept beyond what the replication slots hold. Default {@code 128MB}. */
        public Builder walKeepSize(String value) { this.walKeepSize = value; return this; }

        /**
         * Patroni {@code ttl}: seconds the leader lease lasts without renewal. A killed primary is
         * replaced after at most {@code ttl + loop_wait}. Default 20 (Patroni's own default is 30).
         */
        public Builder ttlSeconds(int value) { this.ttlSeconds = value; return this; }

        /** Patroni {@code loop_wait}: seconds between two runs of the HA loop (lease renewal). Default 5. */
        public Builder loopWaitSeconds(int value) { this.loopWaitSeconds = value; return this; }

        /**
         * Patroni {@code retry_timeout}: how long API and PostgreSQL calls are retried before the
         * primary demotes itself. {@code loop_wait + 2 x retry_timeout} must stay below {@code ttl},
         * so a primary that cannot renew stops accepting writes before its lease runs out. Default 5.
         */
        public Builder retryTimeoutSeconds(int value) { this.retryTimeoutSeconds = value; return this; }

        /**
         * Patroni {@code maximum_lag_on_failover}: a standby further behind than this may not take
         * the lease (with synchronous mode only the synchronous standby may). Default 1 MiB.
         */
        public Builder maximumLagOnFailoverBytes(long value) { this.maximumLagOnFailoverBytes = value; return this; }

        /**
         * Patroni {@code synchronous_mode}: commits wait for one standby, and only that standby may
         * be promoted; while no standby is healthy the primary commits alone (not strict). Default true.
         */
        public Builder synchronousMode(boolean value) { this.synchronousMode = value; return this; }

        /** Resources of the Patroni + PostgreSQL container. Default 250m/512Mi requested, 1 CPU/1Gi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public PostgresHAProps build() {
            return new PostgresHAProps(name, replicas, database, user, superuser, replicationUser, rewindUser,
                    monitorUser, backupUser, secretName, passwordKey, superuserPasswordKey, replicationPasswordKey,
                    rewindPasswordKey, monitorPasswordKey, backupPasswordKey, apiPasswordKey, storageSize,
                    maxWalSenders, walKeepSize, ttlSeconds, loopWaitSeconds, retryTimeoutSeconds,
                    maximumLagOnFailoverBytes, synchronousMode, resources);
        }
    }
}
