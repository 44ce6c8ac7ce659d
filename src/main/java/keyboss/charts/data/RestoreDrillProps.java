package keyboss.charts.data;

import keyboss.charts.model.ContainerResources;

/**
 * Properties of {@link RestoreDrill}. {@link #backups} is required; every other property has a
 * default, documented on its builder method.
 */
public record RestoreDrillProps(
        BaseBackups backups,
        String name,
        String schedule,
        int jobHistory,
        int replayTimeoutSeconds,
        ContainerResources resources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public RestoreDrillProps {
        name = name != null ? name : "postgres-restore-drill";
        schedule = schedule != null ? schedule : "0 4 * * 3";
        resources = resources != null ? resources : ContainerResources.of("250m", "512Mi", "1", "1Gi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private BaseBackups backups;
        private String name;
        private String schedule;
        private int jobHistory = 3;
        private int replayTimeoutSeconds = 3600;
        private ContainerResources resources;

        /** The backups to drill. Required. */
        public Builder backups(BaseBackups value) { this.backups = value; return this; }

        /** CronJob name. Default {@code postgres-restore-drill}. */
        public Builder name(String value) { this.name = value; return this; }

        /** When the drill runs. Default {@code 0 4 * * 3}, Wednesdays at 04:00 (between backups). */
        public Builder schedule(String value) { this.schedule = value; return this; }

        /** Finished drill Jobs kept for their logs. Default 3. */
        public Builder jobHistory(int value) { this.jobHistory = value; return this; }

        /** Seconds the restored copy may take to reach the manifest's WAL position. Default 3600. */
        public Builder replayTimeoutSeconds(int value) { this.replayTimeoutSeconds = value; return this; }

        /** Resources of the drill (a PostgreSQL replaying WAL). Default 250m/512Mi requested, 1 CPU/1Gi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public RestoreDrillProps build() {
            return new RestoreDrillProps(backups, name, schedule, jobHistory, replayTimeoutSeconds, resources);
        }
    }
}
