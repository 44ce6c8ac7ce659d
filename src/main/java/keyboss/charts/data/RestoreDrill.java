package keyboss.charts.data;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Size;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KubeCronJob;
import software.constructs.Construct;

/**
 * The scheduled restore drill: a CronJob (weekly by default) whose pod restores the newest base
 * backup of {@link BaseBackups} from object storage into its own empty folder, replays the WAL
 * archive to the position the backup's manifest names, and compares every table (row count and
 * checksum) with what the backup job recorded on the source at that position. It never touches
 * the cluster: no database connection, no Service account. A difference fails the Job, naming
 * the table. Its outcome is visible as kube-state-metrics'
 * {@code kube_cronjob_status_last_successful_time{cronjob="<name>"}} and
 * {@code kube_job_status_failed} of its Jobs, which the drill alerts watch.
 *
 * <p>Objects (ids are public API): {@code cronjob}.
 */
public class RestoreDrill extends Component implements Connected {

    private final RestoreDrillProps props;
    private final KubeCronJob cronJob;

    public RestoreDrill(Construct scope, String id, RestoreDrillProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "RestoreDrill props");
        if (Checks.required(this, "backups", props.backups(), "the BaseBackups construct of the chart")) {
            Checks.dnsLabel(this, "name", props.name(), BackupJobs.MAX_CRONJOB_NAME,
                    " (the Jobs it creates append an 11-character suffix)");
        }
        BackupJobs.checkSchedule(this, "schedule", props.schedule(), "0 4 * * 3");
        Checks.between(this, "jobHistory", props.jobHistory(), 1, 100, "finished Jobs kept", "use 3, or leave it unset");
        Checks.between(this, "replayTimeoutSeconds", props.replayTimeoutSeconds(), 60, 86400,
                "seconds the restored copy may take to reach the manifest's WAL position", "use 3600, or leave it unset");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"250m\", \"512Mi\", \"1\", \"1Gi\")");
        Checks.image(this, "images.postgres", environment.images().postgres());
        if (hasProblems() || props.backups().hasProblems()) {
            this.cronJob = null;
            return;
        }
        BaseBackups backups = props.backups();
        PostgresHA db = backups.database().orElseThrow();
        Map<String, String> labels = Labels.of(props.name(), "backup");
        Size work = db.storageSize().plus(Size.mi(64));
        List<EnvVar> env = K8s.envs(backups.repositoryEnv(environment), List.of(
                K8s.env("DRILL_DIR", BackupJobs.WORK_DIR),
                K8s.env("LOCAL_USER", db.superuser()),
                K8s.env("REPLAY_TIMEOUT", Integer.toString(props.replayTimeoutSeconds()))));
        this.cronJob = BackupJobs.cronJob(this, "cronjob", props.name(), labels, props.schedule(), props.jobHistory(),
                BackupJobs.jobSpec(labels, List.of(),
                        List.of(BackupJobs.container(environment, environment.images().postgres(), "drill",
                                List.of(BackupJobs.SCRIPTS_DIR + "/restore-drill.sh"), env, props.resources(), List.of(
                                        K8s.mount("work", BackupJobs.WORK_DIR),
                                        K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR)), work)),
                        // The restored copy lives and dies with the pod: a copy of the database (no
                        // larger than a member's volume) with its server's socket, log and checksums.
                        List.of(BackupJobs.workVolume(work), K8s.configMapVolume("scripts", backups.scriptsName())),
                        PostgresHA.POSTGRES_UID, 0, props.replayTimeoutSeconds() + 3600));
    }

    /** The longest a drill Job may run (its activeDeadlineSeconds). */
    public long deadlineSeconds() {
        return props.replayTimeoutSeconds() + 3600L;
    }

    public String name() {
        return props.name();
    }

    /** The longest time between two drills the schedule allows (for the drill-too-old alert). */
    public long maxIntervalSeconds() {
        return BackupJobs.maxIntervalSeconds(props.schedule());
    }

    /** The CronJob (empty when its input had problems: then it built nothing). */
    public Optional<KubeCronJob> cronJob() {
        return Optional.ofNullable(cronJob);
    }

    /** The drill restores from the object store into its own pod; it never touches the members. */
    @Override
    public List<Connection> connections() {
        return List.of(BackupJobs.toObjectStore(environment, BackupJobs.peer(cronJob), "the drill reads the newest backup"));
    }
}
