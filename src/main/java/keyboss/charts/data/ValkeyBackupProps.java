package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.model.ContainerResources;

/**
 * Properties of {@link ValkeyBackup}. {@link #valkey} and {@link #secretName} are required;
 * every other property has a default, documented on its builder method.
 */
public record ValkeyBackupProps(
        ValkeySentinel valkey,
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
    public ValkeyBackupProps {
        name = name != null ? name : "valkey-backup";
        schedule = schedule != null ? schedule : "15 * * * *";
        retention = retention != null ? retention : BackupRetention.defaults();
        resources = resources != null ? resources : ContainerResources.of("20m", "64Mi", "500m", "256Mi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private ValkeySentinel valkey;
        private String secretName;
        private String name;
        private String schedule;
        private BackupRetention retention;
        private int jobHistory = 3;
        private ContainerResources resources;

        /** The Valkey to snapshot. Required. */
        public Builder valkey(ValkeySentinel value) { this.valkey = value; return this; }

        /** The Secret holding the object store's credentials and the passphrase. Required. */
        public Builder secretName(String value) { this.secretName = value; return this; }

        /** CronJob name. Default {@code valkey-backup}. */
        public Builder name(String value) { this.name = value; return this; }

        /** When snapshots are taken. Default {@code 15 * * * *}, hourly: the Celery queue of pending key deliveries lives there. */
        public Builder schedule(String value) { this.schedule = value; return this; }

        /** How long snapshots are kept. Default {@link BackupRetention#defaults()}. */
        public Builder retention(BackupRetention value) { this.retention = value; return this; }

        /** Finished Jobs kept for their logs. Default 3. */
        public Builder jobHistory(int value) { this.jobHistory = value; return this; }

        /** Resources of each container. Default 20m/64Mi requested, 500m/256Mi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public ValkeyBackupProps build() {
            return new ValkeyBackupProps(valkey, secretName, name, schedule, retention, jobHistory, resources);
        }
    }
}
