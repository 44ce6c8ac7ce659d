package keyboss.charts.data;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.env.ObjectStorage;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.JobSpec;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeCronJob;
import org.cdk8s.plus25.k8s.KubeJob;
import org.cdk8s.plus25.k8s.KubeJobProps;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaim;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import software.constructs.Construct;

/**
 * Physical backups of a {@link PostgresHA} cluster with pgBackRest into the environment's
 * {@link ObjectStorage}: a weekly full and a daily differential base backup (CronJobs), on top
 * of the WAL the members archive continuously ({@code archive_timeout} 60 s, see
 * {@link PgBackRest}), so any moment of the retention window can be recovered and a disaster
 * loses at most a minute of commits. Each backup also records the drill manifest that
 * {@link RestoreDrill} checks. {@link #addRecoveryJob} adds the point-in-time recovery Job
 * (for a chart applied by hand).
 *
 * <p>Objects (ids are public API): {@code scripts}, {@code full}, {@code diff}.
 */
public class BaseBackups extends Component implements Connected {

    /** Work folder of a base backup: the drill manifest it writes before uploading it. */
    static final Size MANIFEST_WORK = Size.mi(32);


    private final BaseBackupsProps props;
    private final String name;
    private final String scriptsName;
    private final KubeCronJob full;
    private final KubeCronJob diff;

    public BaseBackups(Construct scope, String id, BaseBackupsProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "BaseBackups props");
        validate();
        this.name = props.name();
        this.scriptsName = name + "-scripts";
        if (hasProblems()) {
            this.full = null;
            this.diff = null;
            return;
        }
        Map<String, String> labels = Labels.of(name, "backup");
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsName, labels))
                .data(Scripts.configMapData("backup", "base-backup.sh", "restore-drill.sh", "pitr.sh", "objects.sh",
                        "manifest.sh", "postgres-local.sh"))
                .build());
        this.full = BackupJobs.cronJob(this, "full", fullName(), labels, props.fullSchedule(), props.jobHistory(),
                backupJob(labels, "full"));
        this.diff = BackupJobs.cronJob(this, "diff", diffName(), labels, props.diffSchedule(), props.jobHistory(),
                backupJob(labels, "diff"));
    }

    private void validate() {
        if (Checks.required(this, "database", props.database(), "the PostgresHA construct of the chart")) {
            Checks.dnsLabel(this, "name", props.name(), BackupJobs.MAX_CRONJOB_NAME - 5,
                    " (CronJobs <name>-full and <name>-diff, whose Jobs append an 11-character suffix)");
        }
        BackupJobs.checkSchedule(this, "fullSchedule", props.fullSchedule(), "0 1 * * 0");
        BackupJobs.checkSchedule(this, "diffSchedule", props.diffSchedule(), "0 1 * * 1-6");
        if (Checks.required(this, "retention", props.retention(), "BackupRetention.defaults()")) {
            Checks.retention(this, "retention", props.retention());
        }
        Checks.between(this, "jobHistory", props.jobHistory(), 0, 100, "finished Jobs kept", "use 4, or leave it unset");
        Checks.between(this, "replayWaitSeconds", props.replayWaitSeconds(), 10, 3600,
                "seconds the manifest waits for a standby to replay past the backup", "use 300, or leave it unset");
        Checks.between(this, "backupDeadlineSeconds", props.backupDeadlineSeconds(), 60, 86400,
                "seconds a backup Job may run", "use 14400, or leave it unset");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"100m\", \"128Mi\", \"1\", \"512Mi\")");
        Checks.image(this, "images.postgres", environment.images().postgres());
    }

    private List<String> memberHosts() {
        return props.database().peers().stream().map(p -> p.substring(0, p.lastIndexOf(':'))).toList();
    }

    private JobSpec backupJob(Map<String, String> labels, String type) {
        PostgresHA db = props.database();
        List<EnvVar> env = K8s.envs(
                PgBackRest.repository(environment, db.secretName(), db.stanza()),
                PgBackRest.members(memberHosts(), PostgresHA.PGDATA, db.superuser()),
                PgBackRest.parallel(),
                BackupJobs.retention(props.retention()),
                List.of(
                        // The default retention of pgBackRest's own commands (the script expires explicitly).
                        K8s.env("PGBACKREST_REPO1_RETENTION_FULL_TYPE", "time"),
                        K8s.env("PGBACKREST_REPO1_RETENTION_FULL", Integer.toString(props.retention().days())),
                        K8s.env("BACKUP_TYPE", type),
                        K8s.env("PEERS", String.join(" ", db.peers())),
                        // The read-only backup role: it reads every table for the manifest, and
                        // post-init.sh lets it pause and resume a standby's replay.
                        K8s.env("PGUSER", db.backupUser()),
                        // libpq's password file needs host:port:db:user:password lines; the Secret holds the bare password.
                        K8s.envFromSecret("PGPASSWORD", db.secretName(), db.backupPasswordKey()),
                        K8s.env("PGDATABASE", db.database()),
                        K8s.env("WORK_DIR", BackupJobs.WORK_DIR),
                        K8s.env("REPLAY_WAIT", Integer.toString(props.replayWaitSeconds()))));
        return BackupJobs.jobSpec(labels, List.of(),
                List.of(BackupJobs.container(environment, environment.images().postgres(), "backup",
                        List.of(BackupJobs.SCRIPTS_DIR + "/base-backup.sh"), env, props.resources(), List.of(
                                K8s.mount("work", BackupJobs.WORK_DIR),
                                K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR),
                                K8s.readOnlyMount("pgbackrest-tls", PgBackRest.TLS_DIR)), MANIFEST_WORK)),
                // The drill manifest of the new backup (table checksums) is written here before upload.
                List.of(BackupJobs.workVolume(MANIFEST_WORK), K8s.configMapVolume("scripts", scriptsName),
                        PgBackRest.tlsVolume(db.secretName())),
                PostgresHA.POSTGRES_UID, 1, props.backupDeadlineSeconds());
    }

    /**
     * Adds point-in-time recovery, for a chart applied by hand: a claim {@code <db>-pitr} and the
     * Job {@code <db>-pitr} that restores into it (an empty volume, never a member's) and replays
     * the archive to {@code TARGET_TIME} (empty: to the end of the archive), promotes and stops
     * cleanly; with {@code DUMP=y} it also stores a logical dump of the result, from which
     * {@code postgres-restore} brings chosen tables back. Ids: {@code id} (the Job) and
     * {@code id + "-claim"}.
     */
    public Optional<KubeJob> addRecoveryJob(Construct scope, String id, Size claimSize) {
        if (full == null) {
            return Optional.empty();
        }
        Environment env = EnvironmentChart.of(scope).environment();
        PostgresHA db = props.database();
        String jobName = db.name() + "-pitr";
        Size pitrWork = db.storageSize().plus(db.storageSize()).plus(Size.mi(64));
        Map<String, String> labels = Labels.of(jobName, "backup");
        new KubePersistentVolumeClaim(scope, id + "-claim", KubePersistentVolumeClaimProps.builder()
                .metadata(K8s.meta(jobName, labels))
                .spec(K8s.claimSpec(env, claimSize == null ? env.defaultVolumeSize() : claimSize))
                .build());
        List<EnvVar> vars = K8s.envs(
                PgBackRest.repository(env, db.secretName(), db.stanza()),
                PgBackRest.parallel(),
                List.of(
                        K8s.env("TARGET_TIME", ""),
                        K8s.env("BACKUP_SET", ""),
                        K8s.env("DUMP", "n"),
                        K8s.env("PGDATA", "/restore/pgdata"),
                        K8s.env("RUN_DIR", BackupJobs.WORK_DIR + "/run"),
                        K8s.env("LOCAL_USER", db.superuser()),
                        K8s.env("LOCAL_DB", db.database())));
        return Optional.of(new KubeJob(scope, id, KubeJobProps.builder()
                .metadata(K8s.meta(jobName, labels))
                .spec(BackupJobs.jobSpec(labels, List.of(),
                        List.of(BackupJobs.container(env, env.images().postgres(), "pitr",
                                List.of(BackupJobs.SCRIPTS_DIR + "/pitr.sh"), vars, props.restoreResources(), List.of(
                                        K8s.mount("restore", "/restore"),
                                        K8s.mount("work", BackupJobs.WORK_DIR),
                                        K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR)), pitrWork)),
                        // The recovered server's socket and log, and with DUMP=y its dump and the
                        // dump's encrypted copy (the data itself is on the claim).
                        List.of(K8s.claimVolume("restore", jobName), BackupJobs.workVolume(pitrWork),
                                K8s.configMapVolume("scripts", scriptsName)),
                        PostgresHA.POSTGRES_UID, 0, 4 * 3600))
                .build()));
    }

    /** The container a {@link RestoreDrill} runs: the same image, repository and scripts. */
    List<EnvVar> repositoryEnv(Environment env) {
        PostgresHA db = props.database();
        return K8s.envs(PgBackRest.repository(env, db.secretName(), db.stanza()), PgBackRest.parallel());
    }

    /** The longest a base backup Job may run (its activeDeadlineSeconds). */
    public long deadlineSeconds() {
        return props.backupDeadlineSeconds();
    }

    public String fullName() {
        return name + "-full";
    }

    public String diffName() {
        return name + "-diff";
    }

    /** ConfigMap with the backup, drill and recovery scripts. */
    public String scriptsName() {
        return scriptsName;
    }

    /** The cluster backed up (empty when none was given: a reported problem). */
    public Optional<PostgresHA> database() {
        return Optional.ofNullable(props.database());
    }

    /**
     * The longest time between two base backups the schedules allow together (for the
     * backup-age alert): a full or a differential backup both count, so the defaults (full on
     * Sunday, differentials Monday to Saturday, both at 01:00) make a day.
     */
    public long maxIntervalSeconds() {
        return BackupJobs.maxIntervalSeconds(props.fullSchedule(), props.diffSchedule());
    }

    /** The CronJob of full backups (empty when its input had problems: then it built nothing). */
    public Optional<KubeCronJob> full() {
        return Optional.ofNullable(full);
    }

    /** The CronJob of differential backups (empty when its input had problems: then it built nothing). */
    public Optional<KubeCronJob> diff() {
        return Optional.ofNullable(diff);
    }

    /** Every CronJob of base backups, for alerts on their status. */
    public List<String> cronJobNames() {
        return new ArrayList<>(List.of(fullName(), diffName()));
    }

    /** pgBackRest reaches every member's TLS server, records the drill manifest over SQL and writes to the store. */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        if (props.database() != null) {
            out.add(Connection.of(BackupJobs.peer(full, diff), props.database().membersPeer(),
                    "base backups (pgBackRest) and their manifests", NetworkPort.tcp(PostgresHA.PORT), NetworkPort.tcp(PgBackRest.TLS_PORT)));
        }
        out.add(BackupJobs.toObjectStore(environment, BackupJobs.peer(full, diff), "base backups to the object store"));
        return List.copyOf(out);
    }
}
