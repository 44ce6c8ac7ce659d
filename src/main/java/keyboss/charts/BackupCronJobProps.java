package keyboss.charts;

/**
 * Properties of {@link BackupCronJob}. {@link #database} is required; every other property has
 * a default, documented on its builder method.
 */
public record BackupCronJobProps(
        PostgresHA database,
        String name,
        String schedule,
        int keep,
        int jobHistory,
        String claimName,
        Size storageSize,
        ContainerResources resources) {

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private PostgresHA database;
        private String name = "postgres-backup";
        private String schedule = "0 2 * * *";
        private int keep = 7;
        private int jobHistory = 7;
        private String claimName = "postgres-backups";
        private Size storageSize;
        private ContainerResources resources = ContainerResources.of("50m", "64Mi", "500m", "256Mi");

        /** The database to back up. Required. */
        public Builder database(PostgresHA value) { this.database = value; return this; }

        /** CronJob name; jobs get an 11-character suffix, so at most 52 characters. Default {@code postgres-backup}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Cron schedule (five fields, cluster time zone). Default {@code 0 2 * * *}, daily at 02:00. */
        public Builder schedule(String value) { this.schedule = value; return this; }

        /** Backup files kept on the volume; older ones are deleted after each backup. Default 7. */
        public Builder keep(int value) { this.keep = value; return this; }

        /** Finished backup Jobs kept for their logs. Default 7. */
        public Builder jobHistory(int value) { this.jobHistory = value; return this; }

        /** The backup volume claim. Default {@code postgres-backups}. */
        public Builder claimName(String value) { this.claimName = value; return this; }

        /** Size of the backup volume. Default: the environment's default volume size. */
        public Builder storageSize(Size value) { this.storageSize = value; return this; }

        /** Resources of backup and restore containers. Default 50m/64Mi requested, 500m/256Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public BackupCronJobProps build() {
            return new BackupCronJobProps(database, name, schedule, keep, jobHistory, claimName, storageSize, resources);
        }
    }
}
