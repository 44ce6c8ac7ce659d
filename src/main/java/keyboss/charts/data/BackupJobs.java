package keyboss.charts.data;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.CronSchedule;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.core.Problems;
import keyboss.charts.model.Size;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.CronJobSpec;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.JobSpec;
import org.cdk8s.plus25.k8s.JobTemplateSpec;
import org.cdk8s.plus25.k8s.KubeCronJob;
import org.cdk8s.plus25.k8s.KubeCronJobProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/** What the backup constructs share: schedule checks, and the shape of their Jobs and CronJobs. */
public final class BackupJobs {

    /**
     * Every backup, restore and drill pod (label {@code component: backup}): one peer for the
     * network policies, as all of them reach the object store and most the database members.
     * {@code jobs} are the workloads of the construct declaring the connection (what waits).
     */
    static NetworkPeer peer(org.cdk8s.ApiObject... jobs) {
        return NetworkPeer.pods("backup", Map.of(Labels.COMPONENT, "backup"), jobs);
    }

    /**
     * {@code from} to the environment's object store. Its address is a host name outside the
     * cluster, which a NetworkPolicy cannot name: any address on the store's port.
     */
    static Connection toObjectStore(Environment environment, NetworkPeer from, String why) {
        return Connection.of(from, NetworkPeer.addresses("object-store", "0.0.0.0/0"), why,
                NetworkPort.tcp(environment.objectStorage().port()));
    }

    /** Longest CronJob name: Jobs it creates append an 11-character suffix to stay within 63. */
    static final int MAX_CRONJOB_NAME = 52;
    /** Where a backup container has scratch space (an emptyDir) and its scripts. */
    static final String WORK_DIR = "/work";
    static final String SCRIPTS_DIR = "/scripts";
    private static final Pattern CRON = Pattern.compile("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|(\\S+\\s+){4}\\S+)$");
    private static final Pattern CRON_FIELD = Pattern.compile("^[0-9*/,\\-A-Za-z?]+$");

    private BackupJobs() {
    }

    /** Reports {@code schedule} unless it is a five-field cron expression or a macro like @daily. */
    static void checkSchedule(Component scope, String property, String schedule, String example) {
        boolean ok = schedule != null && CRON.matcher(schedule.trim()).matches()
                && (schedule.startsWith("@") || Arrays.stream(schedule.trim().split("\\s+"))
                        .allMatch(f -> CRON_FIELD.matcher(f).matches()));
        if (!ok) {
            Problems.report(scope, property, schedule == null ? "(missing)" : "'" + schedule + "'",
                    "a cron expression of five fields (minute hour day-of-month month day-of-week) or @daily",
                    "use \"" + example + "\"");
        } else if (CronSchedule.problem(schedule.trim()) == null
                && CronSchedule.longestGapSeconds(List.of(schedule.trim())).isEmpty()) {
            // Such as the 30th of February: the API server accepts it, and the backup never runs.
            Problems.report(scope, property, "'" + schedule + "'", "a schedule that runs at least twice in 37 years",
                    "name days that exist, such as \"" + example + "\"");
        }
    }

    /**
     * The longest time between two runs {@code schedules} (together) allow, from the schedules
     * themselves ({@link CronSchedule#longestGapSeconds}): an hour for {@code 15 * * * *}, a day
     * for {@code 0 2 * * *}, three days for weekdays only, 31 days for a monthly run. A schedule
     * that does not parse or never runs has had its problem reported by {@link #checkSchedule}
     * (synthesis is refused); the week returned then only keeps the rules buildable.
     */
    public static long maxIntervalSeconds(String... schedules) {
        return CronSchedule.longestGapSeconds(Arrays.stream(schedules).map(String::trim).toList()).orElse(7 * 86400);
    }

    /**
     * /tmp of every backup container (its root file system is read-only): pgBackRest's lock
     * folder (/tmp/pgbackrest) and the scripts' mktemp files.
     */
    static final Size TMP_SIZE = Size.mi(16);

    /**
     * A container of the postgres image (with the backup tools) running {@code command}, with
     * {@code mounts} and /tmp. {@code work} is the size of the work folder it fills (null when
     * it mounts none), counted in its ephemeral-storage limit with /tmp.
     */
    static Container container(Environment environment, ImageRef image, String name, List<String> command, List<EnvVar> env,
            ContainerResources resources, List<VolumeMount> mounts, Size work) {
        List<VolumeMount> all = new java.util.ArrayList<>(mounts);
        all.add(K8s.mount("tmp", "/tmp"));
        return Container.builder()
                .name(name)
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(command)
                .env(env)
                .resources(work == null ? K8s.resources(resources, TMP_SIZE) : K8s.resources(resources, TMP_SIZE, work))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.copyOf(all))
                .build();
    }

    /** The work folder of a backup job on the node's disk, at most {@code size}. */
    static Volume workVolume(Size size) {
        return K8s.scratchVolume("work", size);
    }

    /** A Job that runs its containers once (after its init containers), as {@code uid}, without API access. */
    static JobSpec jobSpec(Map<String, String> labels, List<Container> initContainers, List<Container> containers,
            List<Volume> volumes, int uid, int backoffLimit, int deadlineSeconds) {
        List<Volume> all = new java.util.ArrayList<>(volumes);
        all.add(K8s.scratchVolume("tmp", TMP_SIZE));
        PodSpec.Builder pod = PodSpec.builder()
                .restartPolicy("Never")
                .automountServiceAccountToken(false)
                .securityContext(K8s.restrictedPod(uid, uid))
                .containers(containers)
                .volumes(List.copyOf(all));
        if (!initContainers.isEmpty()) {
            pod.initContainers(initContainers);
        }
        return JobSpec.builder()
                .backoffLimit(backoffLimit)
                .activeDeadlineSeconds(deadlineSeconds)
                .template(PodTemplateSpec.builder().metadata(K8s.meta(null, labels)).spec(pod.build()).build())
                .build();
    }

    /** A CronJob that never overlaps itself and keeps the last Jobs for their logs. */
    static KubeCronJob cronJob(Construct scope, String id, String name, Map<String, String> labels, String schedule,
            int jobHistory, JobSpec job) {
        return new KubeCronJob(scope, id, KubeCronJobProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(CronJobSpec.builder()
                        .schedule(schedule)
                        .concurrencyPolicy("Forbid")
                        .successfulJobsHistoryLimit(jobHistory)
                        .failedJobsHistoryLimit(3)
                        .jobTemplate(JobTemplateSpec.builder().metadata(K8s.meta(null, labels)).spec(job).build())
                        .build())
                .build());
    }

    /** The retention, as the scripts read it. */
    static List<EnvVar> retention(BackupRetention retention) {
        return List.of(
                K8s.env("RETENTION_DAYS", Integer.toString(retention.days())),
                K8s.env("RETENTION_MIN_COUNT", Integer.toString(retention.minCount())));
    }
}
