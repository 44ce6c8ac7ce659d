package keyboss.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.DeploymentSpec;
import org.cdk8s.plus25.k8s.DeploymentStrategy;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.KubeDeploymentProps;
import org.cdk8s.plus25.k8s.KubeRole;
import org.cdk8s.plus25.k8s.KubeRoleBinding;
import org.cdk8s.plus25.k8s.KubeRoleBindingProps;
import org.cdk8s.plus25.k8s.KubeRoleProps;
import org.cdk8s.plus25.k8s.KubeService;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.KubeServiceProps;
import org.cdk8s.plus25.k8s.KubeStatefulSet;
import org.cdk8s.plus25.k8s.KubeStatefulSetProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.PolicyRule;
import org.cdk8s.plus25.k8s.RoleRef;
import org.cdk8s.plus25.k8s.ServicePort;
import org.cdk8s.plus25.k8s.ServiceSpec;
import org.cdk8s.plus25.k8s.StatefulSetSpec;
import org.cdk8s.plus25.k8s.Subject;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.ConfigMapVolumeSource;
import software.constructs.Construct;

/**
 * PostgreSQL with streaming replication: a StatefulSet of two pods ({@code postgres-0} starts
 * as primary, {@code postgres-1} as hot standby) behind the headless Service {@code postgres},
 * and a failover watchdog that promotes the standby when the primary stops answering.
 *
 * <p>Objects (ids are public API): {@code scripts} ConfigMap, {@code service}, {@code statefulset},
 * {@code pdb}, and {@code watchdog-sa}, {@code watchdog-role}, {@code watchdog-binding},
 * {@code watchdog} for the watchdog Deployment with only the RBAC verbs it uses.
 */
public class PostgresHA extends Component {

    /** The postgres image runs as this user (uid and gid 999 in the Debian-based image). */
    static final int POSTGRES_UID = 999;
    /** Resources of each member's pgBackRest server (it compresses and encrypts during a backup). */
    static final ContainerResources PGBACKREST_RESOURCES = ContainerResources.of("10m", "32Mi", "1", "256Mi");
    /** PostgreSQL's port. */
    public static final int PORT = 5432;
    /** Where the data volume is mounted; PGDATA is a folder inside it so lost+found does not disturb initdb. */
    static final String DATA_MOUNT = "/var/lib/postgresql/data";
    static final String PGDATA = DATA_MOUNT + "/pgdata";
    /** Longest StatefulSet name whose controller-revision-hash label still fits in 63 characters. */
    static final int MAX_STATEFULSET_NAME = 52;

    private final PostgresHAProps props;
    private final String name;
    private final KubeStatefulSet statefulSet;
    private final KubeService service;
    private final KubeDeployment watchdog;

    public PostgresHA(Construct scope, String id, PostgresHAProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "PostgresHA props");
        this.name = validate(environment) ? props.name() : "postgres";
        Size storage = Checks.storage(this, "storageSize", props.storageSize(), environment);
        if (hasProblems()) {
            // Synthesis will refuse and list the problems; build nothing from invalid input.
            this.statefulSet = null;
            this.service = null;
            this.watchdog = null;
            return;
        }

        Map<String, String> labels = Labels.of(name, "database");
        String scriptsName = name + "-scripts";
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsName, labels))
                .data(Scripts.configMapData("postgres", "bootstrap.sh", "init-primary.sh", "watchdog.sh"))
                .build());

        this.service = new KubeService(this, "service", KubeServiceProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(ServiceSpec.builder()
                        .clusterIp("None")
                        // Pods must resolve each other before they are ready: the standby copies the primary
                        // while starting, and a restarting pod looks for a promoted peer.
                        .publishNotReadyAddresses(true)
                        .selector(Labels.selector(name))
                        .ports(List.of(ServicePort.builder().name("postgres").port(PORT)
                                .targetPort(K8s.intOrString("postgres")).build()))
                        .build())
                .build());

        this.statefulSet = new KubeStatefulSet(this, "statefulset", KubeStatefulSetProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(StatefulSetSpec.builder()
                        .serviceName(name)
                        .replicas(2)
                        .selector(K8s.selector(Labels.selector(name)))
                        .template(PodTemplateSpec.builder()
                                .metadata(K8s.meta(null, labels))
                                .spec(podSpec(environment, scriptsName))
                                .build())
                        .volumeClaimTemplates(List.of(K8s.claimTemplate("data", labels, environment, storage)))
                        .build())
                .build());

        Workloads.disruptionBudget(this, "pdb", name, labels, 1);

        this.watchdog = addWatchdog(environment, scriptsName);
    }

    private boolean validate(Environment environment) {
        boolean nameOk = Checks.dnsLabel(this, "name", props.name(), MAX_STATEFULSET_NAME,
                " (pods are named <name>-N and the StatefulSet adds an 11-character revision hash)");
        Checks.between(this, "replicas", props.replicas(), 2, 2,
                "(a primary and one hot standby; the watchdog fails over between exactly two pods)",
                "set replicas to 2, or leave it unset");
        String sqlName = "lower-case letters, digits and '_', starting with a letter or '_', at most 63 characters"
                + " (it is written unquoted into SQL, pg_hba.conf and the connection URL)";
        Checks.format(this, "database", props.database(), Checks.SQL_NAME, sqlName, "\"saleor\"");
        Checks.format(this, "user", props.user(), Checks.SQL_NAME, sqlName, "\"saleor\"");
        Checks.format(this, "replicationUser", props.replicationUser(), Checks.SQL_NAME, sqlName, "\"replicator\"");
        Checks.required(this, "secretName", props.secretName(), "\"keyboss-secrets\"");
        String secretKey = "a Secret key: letters, digits, '-', '_' and '.'";
        Checks.format(this, "passwordKey", props.passwordKey(), Checks.DATA_KEY, secretKey, "\"POSTGRES_PASSWORD\"");
        Checks.format(this, "replicationPasswordKey", props.replicationPasswordKey(), Checks.DATA_KEY, secretKey,
                "\"POSTGRES_REPLICATION_PASSWORD\"");
        Checks.required(this, "configMapName", props.configMapName(), "\"keyboss-config\"");
        Checks.required(this, "hostKey", props.hostKey(), "\"POSTGRES_HOST\"");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"250m\", \"512Mi\", \"1\", \"1Gi\")");
        Checks.required(this, "watchdogResources", props.watchdogResources(), "ContainerResources.of(\"10m\", \"32Mi\", \"100m\", \"64Mi\")");
        Checks.between(this, "maxWalSenders", props.maxWalSenders(), 2, 100,
                "(the standby and pg_basebackup each hold a WAL sender)", "set maxWalSenders to 5, or leave it unset");
        Checks.between(this, "checkIntervalSeconds", props.checkIntervalSeconds(), 1, 60,
                "seconds between the watchdog's checks", "use 3, or leave it unset");
        Checks.between(this, "failureThreshold", props.failureThreshold(), 2, 20,
                "failed checks in a row (1 would fail over on a single slow answer)", "use 3, or leave it unset");
        Checks.between(this, "connectTimeoutSeconds", props.connectTimeoutSeconds(), 1, 30,
                "seconds one check waits", "use 2, or leave it unset");
        int detection = props.checkIntervalSeconds() * props.failureThreshold() + props.connectTimeoutSeconds();
        Checks.between(this, "rejoinWindowSeconds", props.rejoinWindowSeconds(), detection + 1, 600,
                "(a restarting primary must wait longer than the watchdog takes to promote its peer,"
                        + " checkIntervalSeconds x failureThreshold + connectTimeoutSeconds = " + detection + " s,"
                        + " or two primaries could run)",
                "raise rejoinWindowSeconds above " + detection + " or lower the watchdog's detection time");
        if (props.restartDeployments() == null) {
            Checks.required(this, "restartDeployments", null, "List.of(\"saleor-api\")");
        } else {
            for (String deployment : props.restartDeployments()) {
                Checks.dnsLabel(this, "restartDeployments", deployment, Names.MAX_LABEL, "");
            }
        }
        Checks.image(this, "images.postgres", environment.images().postgres());
        return nameOk;
    }

    private PodSpec podSpec(Environment environment, String scriptsName) {
        ImageRef image = environment.images().postgres();
        List<EnvVar> credentials = List.of(
                K8s.env("PGDATA", PGDATA),
                K8s.env("POSTGRES_USER", props.user()),
                K8s.envFromSecret("POSTGRES_PASSWORD", props.secretName(), props.passwordKey()),
                K8s.env("POSTGRES_DB", props.database()),
                K8s.env("POSTGRES_REPLICATION_USER", props.replicationUser()),
                K8s.envFromSecret("POSTGRES_REPLICATION_PASSWORD", props.secretName(), props.replicationPasswordKey()));
        Container bootstrap = Container.builder()
                .name("bootstrap")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("/scripts/bootstrap.sh"))
                .env(K8s.envs(List.of(K8s.envFromField("POD_NAME", "metadata.name")), credentials, List.of(
                        K8s.env("SELF", "$(POD_NAME)." + name + ":" + PORT),
                        K8s.env("PEERS", String.join(" ", peers())),
                        K8s.env("REJOIN_WINDOW", Integer.toString(props.rejoinWindowSeconds())))))
                .resources(K8s.resources(props.resources()))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.of(K8s.mount("data", DATA_MOUNT), K8s.readOnlyMount("scripts", "/scripts")))
                .build();
        List<String> ready = List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", Integer.toString(PORT),
                "-U", props.user());
        Container postgres = Container.builder()
                .name("postgres")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                // Server flags rather than postgresql.conf edits: they hold for both roles on every start.
                .args(serverArgs())
                // archive_command and restore_command run pgBackRest, configured by these variables.
                .env(K8s.envs(credentials, PgBackRest.member(environment, props.secretName(), stanza(), PGDATA, props.user())))
                .ports(List.of(ContainerPort.builder().name("postgres").containerPort(PORT).build()))
                .startupProbe(K8s.execProbe(ready, 5, 3, 60))
                .readinessProbe(K8s.execProbe(ready, 5, 3, 3))
                .livenessProbe(K8s.execProbe(ready, 10, 5, 6))
                .resources(K8s.resources(props.resources()))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.of(K8s.mount("data", DATA_MOUNT), K8s.mount("run", PgBackRest.SOCKET_DIR),
                        K8s.readOnlyMount("initdb", "/docker-entrypoint-initdb.d")))
                .build();
        // The seed's superuser is the application role (POSTGRES_USER of the image's entrypoint).
        Container pgbackrest = PgBackRest.serverSidecar(environment, props.secretName(), stanza(), PGDATA, props.user(),
                List.of(K8s.mount("data", DATA_MOUNT), K8s.mount("run", PgBackRest.SOCKET_DIR)), PGBACKREST_RESOURCES);
        return PodSpec.builder()
                .securityContext(K8s.restrictedPod(POSTGRES_UID, POSTGRES_UID))
                .automountServiceAccountToken(false)
                .initContainers(List.of(bootstrap))
                .containers(List.of(postgres, pgbackrest))
                .volumes(List.of(
                        K8s.configMapVolume("scripts", scriptsName),
                        K8s.emptyDirVolume("run"),
                        PgBackRest.tlsVolume(props.secretName()),
                        Volume.builder().name("initdb").configMap(ConfigMapVolumeSource.builder()
                                .name(scriptsName)
                                .defaultMode(K8s.SCRIPT_MODE)
                                .items(List.of(KeyToPath.builder().key("init-primary.sh").path("init-primary.sh").build()))
                                .build()).build()))
                .build();
    }

    private KubeDeployment addWatchdog(Environment environment, String scriptsName) {
        String watchdogName = name + "-watchdog";
        Map<String, String> labels = Labels.of(watchdogName, "failover-watchdog");
        new KubeServiceAccount(this, "watchdog-sa", KubeServiceAccountProps.builder()
                .metadata(K8s.meta(watchdogName, labels))
                .build());
        List<PolicyRule> rules = new ArrayList<>();
        rules.add(PolicyRule.builder().apiGroups(List.of("")).resources(List.of("configmaps"))
                .resourceNames(List.of(props.configMapName())).verbs(List.of("patch")).build());
        if (!props.restartDeployments().isEmpty()) {
            rules.add(PolicyRule.builder().apiGroups(List.of("apps")).resources(List.of("deployments"))
                    .resourceNames(props.restartDeployments()).verbs(List.of("patch")).build());
        }
        new KubeRole(this, "watchdog-role", KubeRoleProps.builder()
                .metadata(K8s.meta(watchdogName, labels))
                .rules(List.copyOf(rules))
                .build());
        new KubeRoleBinding(this, "watchdog-binding", KubeRoleBindingProps.builder()
                .metadata(K8s.meta(watchdogName, labels))
                .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(watchdogName).build())
                .subjects(List.of(Subject.builder().kind("ServiceAccount").name(watchdogName)
                        .namespace(environment.namespace()).build()))
                .build());

        ImageRef image = environment.images().postgresWatchdog();
        Container container = Container.builder()
                .name("watchdog")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("/scripts/watchdog.sh"))
                .env(List.of(
                        K8s.env("PEERS", String.join(" ", peers())),
                        K8s.env("POSTGRES_USER", props.user()),
                        K8s.envFromSecret("POSTGRES_PASSWORD", props.secretName(), props.passwordKey()),
                        K8s.envFromField("NAMESPACE", "metadata.namespace"),
                        K8s.env("CONFIGMAP", props.configMapName()),
                        K8s.env("CONFIGMAP_KEY", props.hostKey()),
                        K8s.env("RESTART_DEPLOYMENTS", String.join(" ", props.restartDeployments())),
                        K8s.env("CHECK_INTERVAL", Integer.toString(props.checkIntervalSeconds())),
                        K8s.env("FAILURE_THRESHOLD", Integer.toString(props.failureThreshold())),
                        K8s.env("CONNECT_TIMEOUT", Integer.toString(props.connectTimeoutSeconds()))))
                .resources(K8s.resources(props.watchdogResources()))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.of(K8s.readOnlyMount("scripts", "/scripts")))
                .build();
        return new KubeDeployment(this, "watchdog", KubeDeploymentProps.builder()
                .metadata(K8s.meta(watchdogName, labels))
                .spec(DeploymentSpec.builder()
                        .replicas(1)
                        // Never two watchdogs at once: both could promote.
                        .strategy(DeploymentStrategy.builder().type("Recreate").build())
                        .selector(K8s.selector(Labels.selector(watchdogName)))
                        .template(PodTemplateSpec.builder()
                                .metadata(K8s.meta(null, labels))
                                .spec(PodSpec.builder()
                                        .serviceAccountName(watchdogName)
                                        .securityContext(K8s.restrictedPod(POSTGRES_UID, POSTGRES_UID))
                                        .containers(List.of(container))
                                        .volumes(List.of(K8s.configMapVolume("scripts", scriptsName)))
                                        .build())
                                .build())
                        .build())
                .build());
    }

    private List<String> serverArgs() {
        List<String> args = new ArrayList<>(List.of("postgres",
                "-c", "wal_level=replica",
                "-c", "max_wal_senders=" + props.maxWalSenders(),
                "-c", "wal_keep_size=" + props.walKeepSize(),
                "-c", "hot_standby=on"));
        // Continuous archiving: only a primary archives, so the archive follows the leader; a standby
        // fetches from the archive what its primary no longer keeps.
        PgBackRest.postgresParameters(stanza()).forEach((k, v) -> args.addAll(List.of("-c", k + "=" + v)));
        args.addAll(List.of("-c", "restore_command=" + PgBackRest.restoreCommand(stanza())));
        return List.copyOf(args);
    }

    /** pgBackRest's name for this cluster in the repository: the StatefulSet's name. */
    public String stanza() {
        return name;
    }

    /** The superuser pgBackRest connects as through the socket (the seed image's POSTGRES_USER). */
    public String superuser() {
        return props.user();
    }

    /** StatefulSet and headless Service name. */
    public String name() {
        return name;
    }

    /** Stable DNS name of pod {@code ordinal}, e.g. {@code postgres-0.postgres}. */
    public String podHost(int ordinal) {
        return name + "-" + ordinal + "." + name;
    }

    /** The pod that starts as primary; the watchdog moves clients elsewhere after a failover. */
    public String primaryHost() {
        return podHost(0);
    }

    /** {@code host:port} of each pod, the initial primary first (the scripts' PEERS). */
    public List<String> peers() {
        return List.of(podHost(0) + ":" + PORT, podHost(1) + ":" + PORT);
    }

    public int port() {
        return PORT;
    }

    public String database() {
        return props.database();
    }

    public String user() {
        return props.user();
    }

    public String secretName() {
        return props.secretName();
    }

    public String passwordKey() {
        return props.passwordKey();
    }

    /** ConfigMap and key the watchdog rewrites on failover. */
    public String configMapName() {
        return props.configMapName();
    }

    public String hostKey() {
        return props.hostKey();
    }

    public KubeStatefulSet statefulSet() {
        return statefulSet;
    }

    public KubeService service() {
        return service;
    }

    public KubeDeployment watchdog() {
        return watchdog;
    }
}
