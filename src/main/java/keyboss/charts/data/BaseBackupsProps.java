package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.model.ContainerResources;

/**
 * Properties of {@link BaseBackups}. {@link #database} is required; every other property has a
 * default, documented on its builder method.
 */
public record BaseBackupsProps(
        PostgresHA database,
        String name,
        String fullSchedule,
        String diffSchedule,
        BackupRetention retention,
        int jobHistory,
        int replayWaitSeconds,
        int backupDeadlineSeconds,
        ContainerResources resources,
        ContainerResources restoreResources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public BaseBackupsProps {
        name = name != null ? name : "postgres-basebackup";
        fullSchedule = fullSchedule != null ? fullSchedule : "0 1 * * 0";
        diffSchedule = diffSchedule != null ? diffSchedule : "0 1 * * 1-6";
        retention = retention != null ? retention : BackupRetention.defaults();
        resources = resources != null ? resources : ContainerResources.of("100m", "128Mi", "1", "512Mi");
        restoreResources = restoreResources != null ? restoreResources : ContainerResources.of("250m", "512Mi", "1", "1Gi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private PostgresHA database;
        private String name;
        private String fullSchedule;
        private String diffSchedule;
        private BackupRetention retention;
        private int jobHistory = 4;
        private int replayWaitSeconds = 300;
        private int backupDeadlineSeconds = 4 * 3600;
        private ContainerResources resources;
        private ContainerResources restoreResources;

        /** The cluster to back up. Required. */
        public Builder database(PostgresHA value) { this.database = value; return this; }

        /** Prefix of the CronJobs ({@code <name>-full}, {@code <name>-diff}). Default {@code postgres-basebackup}. */
        public Builder name(String value) { this.name = value; return this; }

        /** When full backups run. Default {@code 0 1 * * 0}, Sundays at 01:00. */
        public Builder fullSchedule(String value) { this.fullSchedule = value; return this; }

        /** When differential backups (changes since the last full) run. Default {@code 0 1 * * 1-6}, the other days at 01:00. */
        public Builder diffSchedule(String value) { this.diffSchedule = value; return this; }

        /** How long backups are kept. Default {@link BackupRetention#defaults()}: 28 days, at least 4 full backups. */
        public Builder retention(BackupRetention value) { this.retention = value; return this; }

        /** Finished Jobs of each CronJob kept for their logs. Default 4. */
        public Builder jobHistory(int value) { this.jobHistory = value; return this; }

        /** Seconds the drill manifest waits for a standby to replay past the backup. Default 300. */
        public Builder replayWaitSeconds(int value) { this.replayWaitSeconds = value; return this; }

        /** Longest a backup Job may run. Default 4 hours. */
        public Builder backupDeadlineSeconds(int value) { this.backupDeadlineSeconds = value; return this; }

        /** Resources of the backup containers. Default 100m/128Mi requested, 1 CPU/512Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        /** Resources of the point-in-time recovery (a PostgreSQL replaying WAL). Default 250m/512Mi, 1 CPU/1Gi. */
        public Builder restoreResources(ContainerResources value) { this.restoreResources = value; return this; }

        public BaseBackupsProps build() {
            return new BaseBackupsProps(database, name, fullSchedule, diffSchedule, retention, jobHistory,
                    replayWaitSeconds, backupDeadlineSeconds, resources, restoreResources);
        }
    }
}
