package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.env.ObjectStorage;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeCronJob;
import org.cdk8s.plus25.k8s.KubeJob;
import org.cdk8s.plus25.k8s.KubeJobProps;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * Snapshots of a {@link ValkeySentinel} in the environment's {@link ObjectStorage}: a CronJob
 * whose first container (the Valkey image) asks the Sentinels for the master and fetches a
 * fresh RDB from it ({@code valkey-cli --rdb}), and whose second (the postgres image, which has
 * curl and openssl) stores it encrypted under {@code <prefix>/valkey/}; snapshots are kept by
 * the {@link BackupRetention}. {@link #addRestoreJobs} adds, for a chart applied by hand, one
 * Job per data pod that puts a snapshot on that pod's volume while Valkey is scaled to zero.
 *
 * <p>Objects (ids are public API): {@code scripts}, {@code cronjob}.
 */
public class ValkeyBackup extends Component implements Connected {

    private final ValkeyBackupProps props;
    private final String scriptsName;
    private final KubeCronJob cronJob;

    public ValkeyBackup(Construct scope, String id, ValkeyBackupProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "ValkeyBackup props");
        if (Checks.required(this, "valkey", props.valkey(), "the ValkeySentinel construct of the chart")) {
            Checks.dnsLabel(this, "name", props.name(), BackupJobs.MAX_CRONJOB_NAME,
                    " (the Jobs it creates append an 11-character suffix)");
        }
        Checks.required(this, "secretName", props.secretName(), "KeybossChart.SECRETS.name()");
        BackupJobs.checkSchedule(this, "schedule", props.schedule(), "15 * * * *");
        if (Checks.required(this, "retention", props.retention(), "BackupRetention.defaults()")) {
            Checks.retention(this, "retention", props.retention());
        }
        Checks.between(this, "jobHistory", props.jobHistory(), 0, 100, "finished Jobs kept", "use 3, or leave it unset");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"20m\", \"64Mi\", \"500m\", \"256Mi\")");
        Checks.image(this, "images.valkey", environment.images().valkey());
        Checks.image(this, "images.postgres", environment.images().postgres());
        this.scriptsName = props.name() + "-scripts";
        if (hasProblems()) {
            this.cronJob = null;
            return;
        }
        ValkeySentinel valkey = props.valkey();
        Map<String, String> labels = Labels.of(props.name(), "backup");
        Size work = valkey.memoryLimit().plus(valkey.memoryLimit());
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsName, labels))
                .data(Scripts.configMapData("backup", "valkey-backup.sh", "valkey-restore.sh", "objects.sh"))
                .build());
        List<VolumeMount> mounts = List.of(K8s.mount("work", BackupJobs.WORK_DIR),
                K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR));
        List<EnvVar> snapshotEnv = List.of(
                K8s.env("SENTINELS", String.join(" ", valkey.sentinelHosts())),
                K8s.env("MASTER_NAME", valkey.masterName()),
                K8s.env("WORK_DIR", BackupJobs.WORK_DIR),
                // The servers and Sentinels require the password; valkey-cli reads it only from here
                // (or its command line, which any process of the node could list).
                K8s.envFromSecret("REDISCLI_AUTH", props.secretName(), valkey.passwordKey()));
        List<EnvVar> uploadEnv = K8s.envs(PgBackRest.objectStore(environment, props.secretName()),
                BackupJobs.retention(props.retention()), List.of(K8s.env("WORK_DIR", BackupJobs.WORK_DIR)));
        String script = BackupJobs.SCRIPTS_DIR + "/valkey-backup.sh";
        this.cronJob = BackupJobs.cronJob(this, "cronjob", props.name(), labels, props.schedule(), props.jobHistory(),
                BackupJobs.jobSpec(labels,
                        List.of(BackupJobs.container(environment, environment.images().valkey(), "snapshot",
                                List.of(script, "snapshot"), snapshotEnv, props.resources(), mounts, work)),
                        List.of(BackupJobs.container(environment, environment.images().postgres(), "upload",
                                List.of(script, "upload"), uploadEnv, props.resources(), mounts, work)),
                        // The snapshot (at most Valkey's memory) and its encrypted copy during the upload.
                        List.of(BackupJobs.workVolume(work), K8s.configMapVolume("scripts", scriptsName)),
                        ValkeySentinel.VALKEY_UID, 2, 1800));
    }

    /**
     * Adds one Job per Valkey data pod, {@code <name>-restore-<N>}, that writes the newest
     * snapshot (or {@code BACKUP_FILE}) onto the volume {@code data-<name>-<N>} of that pod, for
     * a chart applied by hand while the StatefulSet is scaled to zero. Ids: {@code id + "-" + N}.
     */
    public List<KubeJob> addRestoreJobs(Construct scope, String id) {
        if (cronJob == null) {
            return List.of();
        }
        Environment env = EnvironmentChart.of(scope).environment();
        ValkeySentinel valkey = props.valkey();
        List<KubeJob> jobs = new ArrayList<>();
        for (int i = 0; i < valkey.hosts().size(); i++) {
            String jobName = valkey.name() + "-restore-" + i;
            Map<String, String> labels = Labels.of(jobName, "backup");
            List<EnvVar> vars = K8s.envs(PgBackRest.objectStore(env, props.secretName()), List.of(
                    K8s.env("DATA_DIR", "/data"),
                    K8s.env("BACKUP_FILE", "")));
            jobs.add(new KubeJob(scope, id + "-" + i, KubeJobProps.builder()
                    .metadata(K8s.meta(jobName, labels))
                    .spec(BackupJobs.jobSpec(labels, List.of(),
                            List.of(BackupJobs.container(env, env.images().postgres(), "restore",
                                    List.of(BackupJobs.SCRIPTS_DIR + "/valkey-restore.sh"), vars, props.resources(), List.of(
                                            K8s.mount("data", "/data"),
                                            K8s.readOnlyMount("scripts", BackupJobs.SCRIPTS_DIR)), null)),
                            List.of(K8s.claimVolume("data", "data-" + valkey.name() + "-" + i),
                                    K8s.configMapVolume("scripts", scriptsName)),
                            ValkeySentinel.VALKEY_UID, 0, 1800))
                    .build()));
        }
        return List.copyOf(jobs);
    }

    public String name() {
        return props.name();
    }

    /** The longest time between two snapshots the schedule allows (for the snapshot-age alert). */
    public long maxIntervalSeconds() {
        return BackupJobs.maxIntervalSeconds(props.schedule());
    }

    /** The CronJob (empty when its input had problems: then it built nothing). */
    public Optional<KubeCronJob> cronJob() {
        return Optional.ofNullable(cronJob);
    }

    /** The snapshot asks the Sentinels for the master and reads its RDB; the upload goes to the store. */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        if (props.valkey() != null) {
            out.addAll(props.valkey().clientConnections(BackupJobs.peer(cronJob), "Valkey snapshots"));
        }
        out.add(BackupJobs.toObjectStore(environment, BackupJobs.peer(cronJob), "Valkey snapshots to the object store"));
        return List.copyOf(out);
    }
}
