package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.IDatabase;

/**
 * Properties of {@link BackupCronJob}. {@link #database} is required; every other property has
 * a default, documented on its builder method.
 */
public record BackupCronJobProps(
        IDatabase database,
        String secretName,
        String name,
        String schedule,
        BackupRetention retention,
        int jobHistory,
        ContainerResources resources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public BackupCronJobProps {
        name = name != null ? name : "postgres-backup";
        schedule = schedule != null ? schedule : "0 2 * * *";
        retention = retention != null ? retention : BackupRetention.defaults();
        resources = resources != null ? resources : ContainerResources.of("50m", "64Mi", "500m", "256Mi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private IDatabase database;
        private String secretName;
        private String name;
        private String schedule;
        private BackupRetention retention;
        private int jobHistory = 7;
        private ContainerResources resources;

        /** The database to back up (a {@link PostgresHA}, or any {@link IDatabase}). Required. */
        public Builder database(IDatabase value) { this.database = value; return this; }

        /**
         * The Secret holding the object store's credentials and the passphrase. Default: the
         * database's credentials Secret ({@code database.owner().secretName()}).
         */
        public Builder secretName(String value) { this.secretName = value; return this; }

        /** CronJob name; jobs get an 11-character suffix, so at most 52 characters. Default {@code postgres-backup}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Cron schedule (five fields, cluster time zone). Default {@code 0 2 * * *}, daily at 02:00. */
        public Builder schedule(String value) { this.schedule = value; return this; }

        /** How long dumps are kept. Default {@link BackupRetention#defaults()}: 28 days, at least the newest 4. */
        public Builder retention(BackupRetention value) { this.retention = value; return this; }

        /** Finished backup Jobs kept for their logs. Default 7. */
        public Builder jobHistory(int value) { this.jobHistory = value; return this; }

        /** Resources of backup and restore containers. Default 50m/64Mi requested, 500m/256Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public BackupCronJobProps build() {
            return new BackupCronJobProps(database, secretName, name, schedule, retention, jobHistory, resources);
        }
    }
}
