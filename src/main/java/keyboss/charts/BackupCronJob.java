package keyboss.charts;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.CronJobSpec;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.JobSpec;
import org.cdk8s.plus25.k8s.JobTemplateSpec;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeCronJob;
import org.cdk8s.plus25.k8s.KubeCronJobProps;
import org.cdk8s.plus25.k8s.KubeJob;
import org.cdk8s.plus25.k8s.KubeJobProps;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaim;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import software.constructs.Construct;

/**
 * Daily logical backup of a {@link PostgresHA} database: a CronJob runs {@code pg_dump | gzip}
 * into its own volume claim and keeps the newest {@code keep} files. {@link #addRestoreJob} and
 * {@link #addRestoreTestJob} add the Jobs that restore a backup and prove one restorable; put
 * them in a chart that is applied by hand, not on every sync.
 *
 * <p>Objects (ids are public API): {@code claim}, {@code scripts}, {@code cronjob}.
 */
public class BackupCronJob extends Component implements Connected {

    /** Longest CronJob name: Jobs it creates append an 11-character suffix to stay within 63. */
    static final int MAX_CRONJOB_NAME = 52;
    private static final Pattern CRON = Pattern.compile("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|(\\S+\\s+){4}\\S+)$");
    private static final Pattern CRON_FIELD = Pattern.compile("^[0-9*/,\\-A-Za-z?]+$");

    private final BackupCronJobProps props;
    private final String name;
    private final String scriptsName;
    private final KubeCronJob cronJob;

    public BackupCronJob(Construct scope, String id, BackupCronJobProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "BackupCronJob props");
        validate(environment);
        Size storage = Checks.storage(this, "storageSize", props.storageSize(), environment);
        this.name = props.name();
        this.scriptsName = name + "-scripts";
        if (hasProblems()) {
            this.cronJob = null;
            return;
        }

        Map<String, String> labels = Labels.of(name, "backup");
        chart.dependsOn("CronJob/" + name, "StatefulSet/" + props.database().name());
        new KubePersistentVolumeClaim(this, "claim", KubePersistentVolumeClaimProps.builder()
                .metadata(K8s.meta(props.claimName(), labels))
                .spec(K8s.claimSpec(environment, storage))
                .build());
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsName, labels))
                .data(Scripts.configMapData("backup", "backup.sh", "restore.sh", "restore-test.sh"))
                .build());
        this.cronJob = new KubeCronJob(this, "cronjob", KubeCronJobProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(CronJobSpec.builder()
                        .schedule(props.schedule())
                        .concurrencyPolicy("Forbid")
                        .successfulJobsHistoryLimit(props.jobHistory())
                        .failedJobsHistoryLimit(3)
                        .jobTemplate(JobTemplateSpec.builder()
                                .metadata(K8s.meta(null, labels))
                                .spec(jobSpec(environment, labels, "backup.sh", 2))
                                .build())
                        .build())
                .build());
    }

    private void validate(Environment environment) {
        if (Checks.required(this, "database", props.database(), "the PostgresHA construct of the chart")) {
            Checks.dnsLabel(this, "name", props.name(), MAX_CRONJOB_NAME,
                    " (the Jobs it creates append an 11-character suffix)");
        }
        Checks.dnsLabel(this, "claimName", props.claimName(), Names.MAX_LABEL, "");
        String schedule = props.schedule();
        boolean cronOk = schedule != null && CRON.matcher(schedule.trim()).matches()
                && (schedule.startsWith("@") || java.util.Arrays.stream(schedule.trim().split("\\s+"))
                        .allMatch(f -> CRON_FIELD.matcher(f).matches()));
        if (!cronOk) {
            Problems.report(this, "schedule", schedule == null ? "(missing)" : "'" + schedule + "'",
                    "a cron expression of five fields (minute hour day-of-month month day-of-week) or @daily",
                    "use \"0 2 * * *\" for 02:00 every day");
        }
        Checks.between(this, "keep", props.keep(), 1, 365, "backup files kept", "use 7, or leave it unset");
        Checks.between(this, "jobHistory", props.jobHistory(), 0, 100, "finished Jobs kept", "use 7, or leave it unset");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"50m\", \"64Mi\", \"500m\", \"256Mi\")");
        Checks.image(this, "images.postgres", environment.images().postgres());
    }

    private JobSpec jobSpec(Environment environment, Map<String, String> labels, String script, int backoffLimit) {
        PostgresHA db = props.database();
        ImageRef image = environment.images().postgres();
        // The backup reads as the read-only backup role; the restores write as the database's owner.
        boolean backup = "backup.sh".equals(script);
        List<EnvVar> env = List.of(
                K8s.env("PEERS", String.join(" ", db.peers())),
                K8s.env("PGUSER", backup ? db.backupUser() : db.user()),
                K8s.envFromSecret("PGPASSWORD", db.secretName(), backup ? db.backupPasswordKey() : db.passwordKey()),
                K8s.env("PGDATABASE", db.database()),
                K8s.env("BACKUP_DIR", "/backups"),
                K8s.env("KEEP", Integer.toString(props.keep())));
        Container container = Container.builder()
                .name(script.replace(".sh", ""))
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("/scripts/" + script))
                .env(env)
                .resources(K8s.resources(props.resources()))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.of(K8s.mount("backups", "/backups"), K8s.readOnlyMount("scripts", "/scripts")))
                .build();
        return JobSpec.builder()
                .backoffLimit(backoffLimit)
                .activeDeadlineSeconds(3600)
                .template(PodTemplateSpec.builder()
                        .metadata(K8s.meta(null, labels))
                        .spec(PodSpec.builder()
                                .restartPolicy("Never")
                                .automountServiceAccountToken(false)
                                .securityContext(K8s.restrictedPod(PostgresHA.POSTGRES_UID, PostgresHA.POSTGRES_UID))
                                .containers(List.of(container))
                                .volumes(List.of(K8s.claimVolume("backups", props.claimName()),
                                        K8s.configMapVolume("scripts", scriptsName)))
                                .build())
                        .build())
                .build();
    }

    /**
     * Adds the Job that restores the newest backup into the current primary (seed 3.3.7), named
     * {@code postgres-restore}. Applying it replaces the database's contents: keep it out of
     * automatic sync.
     */
    public KubeJob addRestoreJob(Construct scope, String id) {
        return addJob(scope, id, "postgres-restore", "restore.sh");
    }

    /**
     * Adds the Job that restores the newest backup into a scratch database and checks its tables
     * (seed 3.3.8), named {@code postgres-restore-test}. It changes no live data.
     */
    public KubeJob addRestoreTestJob(Construct scope, String id) {
        return addJob(scope, id, "postgres-restore-test", "restore-test.sh");
    }

    private KubeJob addJob(Construct scope, String id, String jobName, String script) {
        if (cronJob == null) {
            return null;
        }
        Environment environment = EnvironmentChart.of(scope).environment();
        Map<String, String> labels = Labels.of(jobName, "backup");
        return new KubeJob(scope, id, KubeJobProps.builder()
                .metadata(K8s.meta(jobName, labels))
                .spec(jobSpec(environment, labels, script, 0))
                .build());
    }

    public String name() {
        return name;
    }

    /** The volume claim holding the backups. */
    public String claimName() {
        return props.claimName();
    }

    /**
     * The longest time between two runs the schedule allows: an hour when it runs every hour,
     * a day when it runs at fixed hours every day, a week otherwise (used by the backup-age alert).
     */
    public long maxIntervalSeconds() {
        String s = props.schedule().trim();
        if (s.equals("@hourly")) {
            return 3600;
        }
        if (s.equals("@daily") || s.equals("@midnight")) {
            return 86400;
        }
        String[] f = s.split("\\s+");
        if (f.length == 5 && f[2].equals("*") && f[3].equals("*") && f[4].equals("*")) {
            return f[1].equals("*") ? 3600 : 86400;
        }
        return 7 * 86400;
    }

    /** The cron schedule of the backups. */
    public String schedule() {
        return props.schedule();
    }

    public KubeCronJob cronJob() {
        return cronJob;
    }

    /** The backup, restore and restore-test pods (all labelled component {@code backup}). */
    public NetworkPeer peer() {
        return NetworkPeer.pods(name, Map.of(Labels.COMPONENT, "backup"));
    }

    /** Dumps and restores go to the members (the primary Service's endpoint is the leader). */
    @Override
    public List<Connection> connections() {
        return List.of(Connection.of(peer(), props.database().membersPeer(), "pg_dump and restores",
                NetworkPort.tcp(PostgresHA.PORT)));
    }
}
