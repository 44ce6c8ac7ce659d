package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.core.DatabaseLogin;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.IDatabase;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
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
import software.constructs.Construct;

/**
 * Daily logical backup of an {@link IDatabase} ({@link PostgresHA} or another), beside the
 * continuous physical backups of {@link BaseBackups}: portable to any PostgreSQL version and restorable table by table. A
 * CronJob runs {@code pg_dump --format=custom} and stores the dump, encrypted, in the
 * environment's {@link ObjectStorage} under {@code <prefix>/logical/}, outside the cluster;
 * dumps are kept by the {@link BackupRetention}. {@link #addRestoreJob} adds the Job that
 * restores a dump in one transaction; put it in a chart that is applied by hand.
 *
 * <p>Objects (ids are public API): {@code scripts}, {@code cronjob}.
 */
public class BackupCronJob extends Component implements Connected {

    /** Longest CronJob name: Jobs it creates append an 11-character suffix to stay within 63. */
    static final int MAX_CRONJOB_NAME = BackupJobs.MAX_CRONJOB_NAME;

    private final BackupCronJobProps props;
    private final String name;
    private final String scriptsName;
    private final KubeCronJob cronJob;

    public BackupCronJob(Construct scope, String id, BackupCronJobProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "BackupCronJob props");
        validate(environment);
        this.name = props.name();
        this.scriptsName = name + "-scripts";
        if (hasProblems()) {
            this.cronJob = null;
            return;
        }

        Map<String, String> labels = Labels.of(name, "backup");
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsName, labels))
                .data(Scripts.configMapData("backup", "backup.sh", "restore.sh", "objects.sh", "manifest.sh"))
                .build());
        this.cronJob = BackupJobs.cronJob(this, "cronjob", name, labels, props.schedule(), props.jobHistory(),
                jobSpec(environment, labels, "backup.sh", List.of(), 2));
    }

    private void validate(Environment environment) {
        if (Checks.required(this, "database", props.database(), "the PostgresHA construct of the chart (or another IDatabase)")) {
            Checks.dnsLabel(this, "name", props.name(), MAX_CRONJOB_NAME,
                    " (the Jobs it creates append an 11-character suffix)");
        }
        BackupJobs.checkSchedule(this, "schedule", props.schedule(), "0 2 * * *");
        if (Checks.required(this, "retention", props.retention(), "BackupRetention.defaults()")) {
            Checks.retention(this, "retention", props.retention());
        }
        Checks.between(this, "jobHistory", props.jobHistory(), 0, 100, "finished Jobs kept", "use 7, or leave it unset");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"50m\", \"64Mi\", \"500m\", \"256Mi\")");
        Checks.image(this, "images.postgres", environment.images().postgres());
    }

    private JobSpec jobSpec(Environment environment, Map<String, String> labels, String script, List<EnvVar> extra,
            int backoffLimit) {
        IDatabase db = props.database();
        DatabaseLogin login = backup(script) ? db.reader() : db.owner();
        // The dump and its encrypted copy (backup.sh, restore.sh) sit in the work folder together;
        // a custom-format dump is compressed, so neither outgrows the database's volume.
        Size work = db.storageSize().plus(db.storageSize());
        List<EnvVar> env = K8s.envs(
                PgBackRest.repository(environment, storeSecretName(), db.name()),
                BackupJobs.retention(props.retention()),
                List.of(K8s.env("PEERS", String.join(" ", db.members())),
                        K8s.env("PGUSER", login.user()),
                        // libpq's password file needs host:port:db:user:password lines; the Secret holds the bare password.
                        K8s.envFromSecret("PGPASSWORD", login.secretName(), login.passwordKey()),
                        K8s.env("PGDATABASE", db.database()),
                        K8s.env("WORK_DIR", BackupJobs.WORK_DIR)),
                extra);
        return BackupJobs.jobSpec(labels, List.of(),
                List.of(BackupJobs.container(environment, environment.images().postgres(), script.replace(".sh", ""),
                        List.of(BackupJobs.SCRIPTS_DIR + "/" + script), env, props.resources(),
                        List.of(K8s.mount("work", BackupJobs.WORK_DIR), K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR)),
                        work)),
                List.of(BackupJobs.workVolume(work), K8s.configMapVolume("scripts", scriptsName)),
                PostgresHA.POSTGRES_UID, backoffLimit, 3600);
    }

    /** The backup reads as the read-only role; the restores write as the database's owner. */
    private static boolean backup(String script) {
        return "backup.sh".equals(script);
    }

    /** The Secret with the object store's credentials and the passphrase: the props', else the database's. */
    private String storeSecretName() {
        return props.secretName() != null ? props.secretName() : props.database().owner().secretName();
    }

    /**
     * Adds the Job that restores the newest logical dump into the current primary, in one
     * transaction (seed 3.3.7), named {@code postgres-restore}. Set {@code BACKUP_FILE} to pick a
     * dump, {@code TABLES} to restore only those tables, {@code PREFIX} to pick dumps of a
     * point-in-time recovery ({@code <db>-pitr}). Applying it replaces those tables' contents:
     * keep it out of automatic sync.
     */
    public Optional<KubeJob> addRestoreJob(Construct scope, String id) {
        if (cronJob == null) {
            return Optional.empty();
        }
        Environment environment = EnvironmentChart.of(scope).environment();
        Map<String, String> labels = Labels.of("postgres-restore", "backup");
        return Optional.of(new KubeJob(scope, id, KubeJobProps.builder()
                .metadata(K8s.meta("postgres-restore", labels))
                .spec(jobSpec(environment, labels, "restore.sh", List.of(K8s.env("BACKUP_FILE", ""), K8s.env("TABLES", ""),
                        K8s.env("PREFIX", props.database().database())), 0))
                .build()));
    }

    public String name() {
        return name;
    }

    /** The longest time between two dumps the schedule allows (used by the backup-age alert). */
    public long maxIntervalSeconds() {
        return BackupJobs.maxIntervalSeconds(props.schedule());
    }

    /** The cron schedule of the dumps. */
    public String schedule() {
        return props.schedule();
    }

    /** The CronJob (empty when its input had problems: then it built nothing). */
    public Optional<KubeCronJob> cronJob() {
        return Optional.ofNullable(cronJob);
    }

    /** The backup, restore and restore-test pods (all labelled component {@code backup}). */
    public NetworkPeer peer() {
        return BackupJobs.peer(cronJob);
    }

    /** Dumps and restores go to the members (the primary Service's endpoint is the leader). */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        if (props.database() != null) {
            out.addAll(props.database().clientConnections(peer(), "pg_dump and restores"));
        }
        out.add(BackupJobs.toObjectStore(environment, peer(), "logical dumps to and from the object store"));
        return List.copyOf(out);
    }
}
