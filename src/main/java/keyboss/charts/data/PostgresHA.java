package keyboss.charts.data;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.core.DatabaseLogin;
import keyboss.charts.env.Environment;
import keyboss.charts.core.IDatabase;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.core.Problems;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;
import keyboss.charts.core.Workloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
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
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.RoleRef;
import org.cdk8s.plus25.k8s.ServicePort;
import org.cdk8s.plus25.k8s.ServiceSpec;
import org.cdk8s.plus25.k8s.StatefulSetSpec;
import org.cdk8s.plus25.k8s.Subject;
import software.constructs.Construct;

/**
 * PostgreSQL members managed by Patroni, with the leader lease held in the Kubernetes API.
 *
 * <p>Each pod of the StatefulSet runs Patroni, which starts PostgreSQL as primary or standby.
 * The leader holds a lease: the annotations of the Endpoints {@code <name>}, renewed every
 * {@code loop_wait} seconds with a compare-and-swap on {@code resourceVersion}; a leader that
 * cannot renew within {@code retry_timeout} demotes itself, before the {@code ttl} runs out and
 * a standby may take the lease. Synchronous mode makes every commit wait for one standby and
 * only that standby may be promoted, so a failover never loses an acknowledged commit; while no
 * standby is healthy the primary commits alone and no standby may be promoted. A returning old
 * primary is rewound with pg_rewind (a failed rewind leaves its data in place, never deleted);
 * an empty volume is copied from the leader, and never initialised while the cluster exists
 * (Patroni runs initdb only while the cluster has no {@code initialize} key).
 *
 * <p>Clients reach the primary at the Service {@code <name>}, which has no selector: the leader
 * writes its own address into the Endpoints of that name. Read-only clients use
 * {@code <name>-replica}, which selects the pods Patroni labels {@code role=replica}. Nothing
 * patches a ConfigMap or restarts a client. Patroni's objects ({@code Endpoints <name>},
 * {@code <name>-config}, {@code <name>-sync}, {@code <name>-failover}) are written at run time
 * and are not in the synthesized output, so Argo CD neither owns nor reverts them.
 *
 * <p>Backups: every member's PostgreSQL archives WAL with pgBackRest (archive_command in
 * patroni.yml's local parameters; only a primary archives, so the archive follows the leader),
 * standbys fetch archived WAL with restore_command, a new or wiped member is restored from the
 * newest backup and the archive before falling back to a copy of the leader, and a
 * {@code pgbackrest} sidecar serves the member's files to the backup jobs over TLS (see
 * {@link PgBackRest}, {@link BaseBackups}).
 *
 * <p>Objects (ids are public API): {@code patroni} ConfigMap (patroni.yml and its scripts),
 * {@code service} (primary), {@code replica-service}, {@code members-service} (headless, the
 * StatefulSet's), {@code config-service} (keeps Patroni's config Endpoints from being garbage
 * collected), {@code statefulset}, {@code pdb}, and {@code sa}, {@code role}, {@code binding}.
 */
public class PostgresHA extends Component implements Connected, IDatabase {

    /** The postgres user of the Debian-based official image (uid and gid 999). */
    static final int POSTGRES_UID = 999;
    /** Resources of each member's pgBackRest server (it compresses and encrypts during a backup). */
    /** Sizes of a member's scratch folders (see {@link #podSpec}). */
    static final Size TMP_SIZE = Size.mi(16);
    static final Size RUN_SIZE = Size.mi(1);
    static final ContainerResources PGBACKREST_RESOURCES = ContainerResources.of("10m", "32Mi", "1", "256Mi");
    /** PostgreSQL's port. */
    public static final int PORT = 5432;
    /** Patroni's REST API port. */
    public static final int API_PORT = 8008;
    /** Where the data volume is mounted; PGDATA is a folder inside it so lost+found does not disturb initdb. */
    static final String DATA_MOUNT = "/var/lib/postgresql/data";
    static final String PGDATA = DATA_MOUNT + "/pgdata";
    /** Where the ConfigMap with patroni.yml and the scripts is mounted. */
    public static final String CONFIG_DIR = "/etc/patroni";
    /** Patroni's label naming the cluster (its default), and the role label it sets on each pod. */
    static final String SCOPE_LABEL = "cluster-name";
    static final String ROLE_LABEL = "role";
    /** Longest StatefulSet name whose controller-revision-hash label still fits in 63 characters. */
    static final int MAX_STATEFULSET_NAME = 52;
    /** The user name guarding Patroni's REST API writes. */
    static final String API_USER = "patroni";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private final PostgresHAProps props;
    private final String name;
    private final KubeStatefulSet statefulSet;
    private final KubeService service;
    private final Size storage;

    /** A cluster with every default of {@link PostgresHAProps}. */
    public PostgresHA(Construct scope, String id) {
        this(scope, id, PostgresHAProps.builder().build());
    }

    public PostgresHA(Construct scope, String id, PostgresHAProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "PostgresHA props");
        this.name = validate(environment) ? props.name() : "postgres";
        this.storage = Checks.storage(this, "storageSize", props.storageSize(), environment);
        if (hasProblems()) {
            // Synthesis will refuse and list the problems; build nothing from invalid input.
            this.statefulSet = null;
            this.service = null;
            return;
        }

        Map<String, String> labels = Labels.of(name, "database");
        new KubeConfigMap(this, "patroni", KubeConfigMapProps.builder()
                .metadata(K8s.meta(configMapName(), labels))
                .data(configMapData())
                .build());

        // The primary: no selector; the leader writes its address into the Endpoints of this name.
        this.service = new KubeService(this, "service", KubeServiceProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(ServiceSpec.builder()
                        .ports(List.of(ServicePort.builder().name("postgresql").port(PORT).targetPort(K8s.intOrString(PORT)).build()))
                        .build())
                .build());
        new KubeService(this, "replica-service", KubeServiceProps.builder()
                .metadata(K8s.meta(replicaServiceName(), labels))
                .spec(ServiceSpec.builder()
                        .selector(new TreeMap<>(Map.of(Labels.NAME, name, SCOPE_LABEL, name, ROLE_LABEL, "replica")))
                        .ports(List.of(ServicePort.builder().name("postgresql").port(PORT)
                                .targetPort(K8s.intOrString("postgresql")).build()))
                        .build())
                .build());
        new KubeService(this, "members-service", KubeServiceProps.builder()
                .metadata(K8s.meta(membersServiceName(), labels))
                .spec(ServiceSpec.builder()
                        .clusterIp("None")
                        // Members and exporters find each pod by name whether or not it is ready.
                        .publishNotReadyAddresses(true)
                        .selector(Labels.selector(name))
                        .ports(List.of(
                                ServicePort.builder().name("postgresql").port(PORT).targetPort(K8s.intOrString("postgresql")).build(),
                                ServicePort.builder().name("patroni").port(API_PORT).targetPort(K8s.intOrString("patroni")).build()))
                        .build())
                .build());
        // Patroni keeps its settings in the Endpoints <name>-config; a Service of that name stops the
        // endpoints controller from deleting them as orphans (Patroni would create it, which would
        // need the right to create Services).
        new KubeService(this, "config-service", KubeServiceProps.builder()
                .metadata(K8s.meta(name + "-config", labels))
                .spec(ServiceSpec.builder().clusterIp("None").build())
                .build());

        Map<String, String> podLabels = new TreeMap<>(Map.of(Labels.NAME, name, Labels.COMPONENT, "database", SCOPE_LABEL, name));
        this.statefulSet = new KubeStatefulSet(this, "statefulset", KubeStatefulSetProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(StatefulSetSpec.builder()
                        .serviceName(membersServiceName())
                        .replicas(props.replicas())
                        // Patroni decides who leads; members need not wait for each other to start.
                        .podManagementPolicy("Parallel")
                        .selector(K8s.selector(Labels.selector(name)))
                        .template(PodTemplateSpec.builder()
                                .metadata(org.cdk8s.plus25.k8s.ObjectMeta.builder().labels(podLabels)
                                        // Patroni labels each pod with its role; the replica Service selects on it.
                                        .annotations(Map.of(CrossReferences.RUN_TIME_LABELS, ROLE_LABEL)).build())
                                .spec(podSpec(environment))
                                .build())
                        .volumeClaimTemplates(List.of(K8s.claimTemplate("data", labels, environment, storage)))
                        .build())
                .build());

        Workloads.disruptionBudget(this, "pdb", name, labels, props.replicas() - 1);
        addRbac(environment, labels);
    }

    private boolean validate(Environment environment) {
        boolean nameOk = Checks.dnsLabel(this, "name", props.name(), MAX_STATEFULSET_NAME,
                " (pods are named <name>-N and the StatefulSet adds an 11-character revision hash)");
        Checks.between(this, "replicas", props.replicas(), 2, 5,
                "(a primary and at least one standby, which synchronous replication needs)",
                "set replicas to 2, or leave it unset");
        String sqlName = "lower-case letters, digits and '_', starting with a letter or '_', at most 63 characters"
                + " (it is written unquoted into SQL, pg_hba.conf and the connection URL)";
        for (String[] role : new String[][] {
                {"database", props.database(), "\"saleor\""}, {"user", props.user(), "\"saleor\""},
                {"superuser", props.superuser(), "\"postgres\""}, {"replicationUser", props.replicationUser(), "\"replicator\""},
                {"rewindUser", props.rewindUser(), "\"rewinder\""}, {"monitorUser", props.monitorUser(), "\"monitor\""},
                {"backupUser", props.backupUser(), "\"backup\""}}) {
            Checks.format(this, role[0], role[1], Checks.SQL_NAME, sqlName, role[2]);
        }
        Checks.required(this, "secretName", props.secretName(), "\"keyboss-secrets\"");
        String secretKey = "a Secret key: letters, digits, '-', '_' and '.'";
        for (String[] key : new String[][] {
                {"passwordKey", props.passwordKey(), "\"POSTGRES_PASSWORD\""},
                {"superuserPasswordKey", props.superuserPasswordKey(), "\"POSTGRES_SUPERUSER_PASSWORD\""},
                {"replicationPasswordKey", props.replicationPasswordKey(), "\"POSTGRES_REPLICATION_PASSWORD\""},
                {"rewindPasswordKey", props.rewindPasswordKey(), "\"POSTGRES_REWIND_PASSWORD\""},
                {"monitorPasswordKey", props.monitorPasswordKey(), "\"POSTGRES_MONITOR_PASSWORD\""},
                {"backupPasswordKey", props.backupPasswordKey(), "\"POSTGRES_BACKUP_PASSWORD\""},
                {"apiPasswordKey", props.apiPasswordKey(), "\"PATRONI_API_PASSWORD\""}}) {
            Checks.format(this, key[0], key[1], Checks.DATA_KEY, secretKey, key[2]);
        }
        if (props.user() != null && props.user().equals(props.superuser())) {
            Problems.report(this, "user", props.user(), "a role other than the superuser '" + props.superuser() + "'",
                    "give the application its own role, e.g. \"saleor\"");
        }
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"250m\", \"512Mi\", \"1\", \"1Gi\")");
        Checks.between(this, "maxWalSenders", props.maxWalSenders(), props.replicas() + 1, 100,
                "(each standby and a pg_basebackup hold a WAL sender)", "set maxWalSenders to 5, or leave it unset");
        Checks.between(this, "loopWaitSeconds", props.loopWaitSeconds(), 1, 60, "seconds between Patroni's HA loops",
                "use 5, or leave it unset");
        Checks.between(this, "retryTimeoutSeconds", props.retryTimeoutSeconds(), 1, 60,
                "seconds Patroni retries the API before the primary demotes itself", "use 5, or leave it unset");
        int floor = props.loopWaitSeconds() + 2 * props.retryTimeoutSeconds();
        Checks.between(this, "ttlSeconds", props.ttlSeconds(), Math.max(floor, 10), 600,
                "(the lease must outlast loopWaitSeconds + 2 x retryTimeoutSeconds = " + floor
                        + " s, or a standby could be promoted while the primary still accepts writes)",
                "raise ttlSeconds to at least " + Math.max(floor, 10) + " or lower loopWaitSeconds/retryTimeoutSeconds");
        if (props.maximumLagOnFailoverBytes() < 0) {
            Problems.report(this, "maximumLagOnFailoverBytes", props.maximumLagOnFailoverBytes(), "0 or more bytes",
                    "use 1048576 (1 MiB), or leave it unset");
        }
        Checks.image(this, "images.postgresHa", environment.images().postgresHa());
        return nameOk;
    }

    /** patroni.yml, post-init.sh and the helpers it sources. */
    private Map<String, String> configMapData() {
        Map<String, String> data = new LinkedHashMap<>(Scripts.configMapData("postgres", "post-init.sh"));
        try {
            data.put("patroni.yml", "# Patroni settings of PostgresHA '" + name + "'. Per-pod values (name, address,"
                    + " passwords) come from PATRONI_* environment variables.\n" + YAML.writeValueAsString(K8s.stable(patroniConfig())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new TreeMap<>(data);
    }

    /** Patroni's configuration; see each comment for why. */
    Map<String, Object> patroniConfig() {
        Map<String, Object> dcs = new LinkedHashMap<>();
        dcs.put("ttl", props.ttlSeconds());
        dcs.put("loop_wait", props.loopWaitSeconds());
        dcs.put("retry_timeout", props.retryTimeoutSeconds());
        dcs.put("maximum_lag_on_failover", props.maximumLagOnFailoverBytes());
        dcs.put("synchronous_mode", props.synchronousMode());
        // Not strict: with no healthy standby the primary keeps committing, and no standby may be promoted.
        dcs.put("synchronous_mode_strict", false);
        // A primary that cannot reach the API demotes itself (no failsafe hand-over between members).
        dcs.put("failsafe_mode", false);
        dcs.put("postgresql", Map.of(
                "use_pg_rewind", true,
                "use_slots", true,
                "parameters", new TreeMap<>(Map.of(
                        "wal_level", "replica",
                        "hot_standby", "on",
                        "max_wal_senders", props.maxWalSenders(),
                        "max_replication_slots", props.maxWalSenders(),
                        "wal_keep_size", props.walKeepSize(),
                        // pg_rewind needs hint bits in WAL (or data checksums, which initdb also enables).
                        "wal_log_hints", "on",
                        "password_encryption", "scram-sha-256"))));

        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("dcs", dcs);
        bootstrap.put("initdb", List.of(Map.of("encoding", "UTF8"), "data-checksums", Map.of("auth-local", "peer"),
                Map.of("auth-host", "scram-sha-256")));
        bootstrap.put("post_bootstrap", CONFIG_DIR + "/post-init.sh");

        Map<String, Object> kubernetes = new LinkedHashMap<>();
        // The lease and Patroni's state live in Endpoints, so the leader's Endpoints are also the primary Service's.
        kubernetes.put("use_endpoints", true);
        kubernetes.put("labels", Map.of(Labels.NAME, name));
        kubernetes.put("scope_label", SCOPE_LABEL);
        kubernetes.put("role_label", ROLE_LABEL);
        kubernetes.put("leader_label_value", "primary");
        kubernetes.put("follower_label_value", "replica");
        kubernetes.put("ports", List.of(Map.of("name", "postgresql", "port", PORT)));

        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("listen", "0.0.0.0:" + PORT);
        postgresql.put("data_dir", PGDATA);
        postgresql.put("pgpass", "/tmp/pgpass");
        postgresql.put("use_unix_socket", true);
        // A new member copies the leader at once instead of waiting for a spread checkpoint.
        postgresql.put("basebackup", List.of(Map.of("checkpoint", "fast")));
        // Never delete a data directory: a member whose rewind fails stays stopped with its data.
        postgresql.put("remove_data_directory_on_rewind_failure", false);
        postgresql.put("remove_data_directory_on_diverged_timelines", false);
        postgresql.put("authentication", Map.of(
                "superuser", Map.of("username", props.superuser()),
                "replication", Map.of("username", props.replicationUser()),
                "rewind", Map.of("username", props.rewindUser())));
        postgresql.put("pg_hba", List.of(
                "local all all peer",
                "host all " + props.superuser() + " all reject",
                "host replication " + props.replicationUser() + " all scram-sha-256",
                "host all all all scram-sha-256"));
        // Local parameters, which take precedence over the cluster-wide ones and apply on every
        // start (bootstrap.dcs is read once, when the cluster is initialised). Continuous archiving
        // with pgBackRest: only a primary archives, so the archive follows the leader.
        Map<String, Object> parameters = new TreeMap<>(Map.of("unix_socket_directories", PgBackRest.SOCKET_DIR));
        parameters.putAll(PgBackRest.postgresParameters(stanza()));
        postgresql.put("parameters", parameters);
        // restore_command for standbys (WAL their primary no longer keeps comes from the archive),
        // and a new or wiped member restored from the newest backup before falling back to a copy
        // of the leader.
        postgresql.putAll(PgBackRest.patroniPostgresql(stanza()));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("scope", name);
        config.put("kubernetes", kubernetes);
        config.put("restapi", Map.of("listen", "0.0.0.0:" + API_PORT, "authentication", Map.of("username", API_USER)));
        config.put("bootstrap", bootstrap);
        config.put("postgresql", postgresql);
        // No softdog in a pod; fencing is Patroni demoting the primary it runs next to.
        config.put("watchdog", Map.of("mode", "off"));
        return config;
    }

    private PodSpec podSpec(Environment environment) {
        ImageRef image = environment.images().postgresHa();
        String secret = props.secretName();
        List<EnvVar> env = List.of(
                K8s.envFromField("PATRONI_NAME", "metadata.name"),
                K8s.envFromField("PATRONI_KUBERNETES_NAMESPACE", "metadata.namespace"),
                K8s.envFromField("PATRONI_KUBERNETES_POD_IP", "status.podIP"),
                K8s.env("PATRONI_POSTGRESQL_CONNECT_ADDRESS", "$(PATRONI_KUBERNETES_POD_IP):" + PORT),
                K8s.env("PATRONI_RESTAPI_CONNECT_ADDRESS", "$(PATRONI_KUBERNETES_POD_IP):" + API_PORT),
                // Environment variables: Patroni reads its passwords from patroni.yml or PATRONI_*
                // variables only (no password files), and passes them on to post-init.sh.
                K8s.envFromSecret("PATRONI_SUPERUSER_PASSWORD", secret, props.superuserPasswordKey()),
                K8s.envFromSecret("PATRONI_REPLICATION_PASSWORD", secret, props.replicationPasswordKey()),
                K8s.envFromSecret("PATRONI_REWIND_PASSWORD", secret, props.rewindPasswordKey()),
                K8s.envFromSecret("PATRONI_RESTAPI_PASSWORD", secret, props.apiPasswordKey()),
                // Read by post-init.sh when the cluster is first initialised.
                K8s.env("POSTGRES_DB", props.database()),
                K8s.env("POSTGRES_USER", props.user()),
                K8s.envFromSecret("POSTGRES_PASSWORD", secret, props.passwordKey()),
                K8s.env("MONITOR_USER", props.monitorUser()),
                K8s.envFromSecret("MONITOR_PASSWORD", secret, props.monitorPasswordKey()),
                K8s.env("BACKUP_USER", props.backupUser()),
                K8s.envFromSecret("BACKUP_PASSWORD", secret, props.backupPasswordKey()),
                // The root file system is read-only: Python would try (and fail) to cache bytecode.
                K8s.env("PYTHONDONTWRITEBYTECODE", "1"));
        // archive_command, restore_command and the pgbackrest replica method run pgBackRest
        // (Patroni passes its environment on to PostgreSQL), configured by these variables.
        List<EnvVar> pgbackrestEnv = PgBackRest.member(environment, secret, stanza(), PGDATA, props.superuser());
        Container patroni = Container.builder()
                .name("patroni")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("patroni", CONFIG_DIR + "/patroni.yml"))
                .env(K8s.envs(env, pgbackrestEnv))
                .ports(List.of(
                        ContainerPort.builder().name("postgresql").containerPort(PORT).build(),
                        ContainerPort.builder().name("patroni").containerPort(API_PORT).build()))
                // Ready: the leader, or a standby that streams (what the replica Service may send reads to).
                .readinessProbe(httpProbe("/readiness", 5, 3))
                // Alive: Patroni's loop runs. A hung Patroni is restarted; PostgreSQL stays fenced by
                // synchronous replication meanwhile (its commits wait for a standby that left).
                .livenessProbe(httpProbe("/liveness", 10, 6))
                .resources(K8s.resources(props.resources(), TMP_SIZE, RUN_SIZE))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.of(K8s.mount("data", DATA_MOUNT), K8s.mount("run", PgBackRest.SOCKET_DIR),
                        K8s.mount("tmp", "/tmp"), K8s.readOnlyMount("patroni", CONFIG_DIR)))
                .build();
        // The member's pgBackRest server: the backup jobs copy the primary's files through it over
        // TLS; it reaches PostgreSQL through the shared socket folder as the superuser (peer).
        Container pgbackrest = PgBackRest.serverSidecar(environment, image, secret, stanza(), PGDATA, props.superuser(),
                List.of(K8s.mount("data", DATA_MOUNT), K8s.mount("run", PgBackRest.SOCKET_DIR), K8s.mount("tmp", "/tmp")),
                PGBACKREST_RESOURCES);
        return PodSpec.builder()
                .serviceAccountName(name)
                // Patroni holds the lease with this ServiceAccount's token.
                .automountServiceAccountToken(true)
                .securityContext(K8s.restrictedPod(POSTGRES_UID, POSTGRES_UID))
                .affinity(Workloads.spreadMembers(name, environment.podSpread()))
                // Patroni stops PostgreSQL and hands the lease over on SIGTERM.
                .terminationGracePeriodSeconds(60)
                .containers(List.of(patroni, pgbackrest))
                // Written besides the data volume: PostgreSQL's socket and its lock file (run, shared
                // with the pgBackRest server, which connects through it), and /tmp: Patroni's pgpass
                // file and pgBackRest's lock folder (/tmp/pgbackrest) for archive-push and restores.
                .volumes(List.of(K8s.configMapVolume("patroni", configMapName()), K8s.scratchVolume("run", RUN_SIZE),
                        K8s.scratchVolume("tmp", TMP_SIZE), PgBackRest.tlsVolume(secret)))
                .build();
    }

    /** The size of each member's data volume: the most a dump or a restored copy of the database takes. */
    @Override
    public Size storageSize() {
        return storage;
    }

    private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return Probe.builder()
                .httpGet(HttpGetAction.builder().path(path).port(K8s.intOrString("patroni")).build())
                .periodSeconds(periodSeconds).timeoutSeconds(3).failureThreshold(failureThreshold).build();
    }

    /**
     * What Patroni calls, and nothing more: it lists and watches its pods and Endpoints, creates
     * its Endpoints on first start, reads and compare-and-swaps them (patch with a
     * resourceVersion), and labels its own pod with its role.
     */
    private void addRbac(Environment environment, Map<String, String> labels) {
        new KubeServiceAccount(this, "sa", KubeServiceAccountProps.builder()
                .metadata(K8s.meta(name, labels))
                .build());
        List<String> patroniObjects = List.of(name, name + "-config", name + "-failover", name + "-sync");
        new KubeRole(this, "role", KubeRoleProps.builder()
                .metadata(K8s.meta(name, labels))
                .rules(List.of(
                        PolicyRule.builder().apiGroups(List.of("")).resources(List.of("endpoints"))
                                .verbs(List.of("create", "list", "watch")).build(),
                        PolicyRule.builder().apiGroups(List.of("")).resources(List.of("endpoints"))
                                .resourceNames(patroniObjects).verbs(List.of("get", "patch")).build(),
                        PolicyRule.builder().apiGroups(List.of("")).resources(List.of("pods"))
                                .verbs(List.of("get", "list", "watch", "patch")).build()))
                .build());
        new KubeRoleBinding(this, "binding", KubeRoleBindingProps.builder()
                .metadata(K8s.meta(name, labels))
                .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(name).build())
                .subjects(List.of(Subject.builder().kind("ServiceAccount").name(name)
                        .namespace(environment.namespace()).build()))
                .build());
    }

    /** pgBackRest's name for this cluster in the repository: the StatefulSet's name. */
    public String stanza() {
        return name;
    }

    /** The superuser pgBackRest connects as through the socket (peer authentication as the postgres user). */
    public String superuser() {
        return props.superuser();
    }

    /** StatefulSet name and Patroni scope. */
    @Override
    public String name() {
        return name;
    }

    /** The Service clients write through: its endpoints are always the current primary. */
    public String primaryHost() {
        return name;
    }

    /** The primary Service ({@link #primaryHost()}): nothing changes for clients on failover. */
    @Override
    public String host() {
        return primaryHost();
    }

    /** The application role and its password in {@link #secretName()}. */
    @Override
    public DatabaseLogin owner() {
        return new DatabaseLogin(user(), secretName(), passwordKey());
    }

    /** The backup role (a member of {@code pg_read_all_data}) and its password in {@link #secretName()}. */
    @Override
    public DatabaseLogin reader() {
        return new DatabaseLogin(backupUser(), secretName(), backupPasswordKey());
    }

    /** Every member: a client of the primary Service reaches the leader's pod ({@link #membersPeer()}). */
    @Override
    public NetworkPeer peer() {
        return membersPeer();
    }

    /** The Service of the streaming standbys, for read-only clients. */
    public String replicaServiceName() {
        return name + "-replica";
    }

    /** The StatefulSet's headless Service, which gives each pod a stable name. */
    public String membersServiceName() {
        return name + "-members";
    }

    /** ConfigMap holding patroni.yml and the post-init script. */
    public String configMapName() {
        return name + "-patroni";
    }

    /** Stable DNS name of pod {@code ordinal}, e.g. {@code postgres-0.postgres-members}. */
    public String podHost(int ordinal) {
        return name + "-" + ordinal + "." + membersServiceName();
    }

    /** {@code host:port} of each member. */
    public List<String> peers() {
        return members();
    }

    /** {@code host:port} of each member. */
    @Override
    public List<String> members() {
        return java.util.stream.IntStream.range(0, props.replicas()).mapToObj(i -> podHost(i) + ":" + PORT).toList();
    }

    public int replicas() {
        return props.replicas();
    }

    @Override
    public int port() {
        return PORT;
    }

    @Override
    public String database() {
        return props.database();
    }

    /** The application role (owner of {@link #database()}, not a superuser). */
    public String user() {
        return props.user();
    }

    public String monitorUser() {
        return props.monitorUser();
    }

    public String backupUser() {
        return props.backupUser();
    }

    public String secretName() {
        return props.secretName();
    }

    public String passwordKey() {
        return props.passwordKey();
    }

    public String monitorPasswordKey() {
        return props.monitorPasswordKey();
    }

    public String backupPasswordKey() {
        return props.backupPasswordKey();
    }

    /** Patroni's lease timing, as written to the cluster's configuration at initialisation. */
    public int ttlSeconds() {
        return props.ttlSeconds();
    }

    public int loopWaitSeconds() {
        return props.loopWaitSeconds();
    }

    /** The StatefulSet (empty when its input had problems: then it built nothing). */
    public Optional<KubeStatefulSet> statefulSet() {
        return Optional.ofNullable(statefulSet);
    }

    /** The primary Service (empty when its input had problems: then it built nothing). */
    public Optional<KubeService> service() {
        return Optional.ofNullable(service);
    }

    /**
     * The members' pods. The Service {@code postgres} has no selector (Patroni sets its endpoint
     * to the leader), so a policy allows traffic to the members' pods by label.
     */
    public NetworkPeer membersPeer() {
        return NetworkPeer.pods(name, Labels.selector(name), statefulSet);
    }

    /** Replication and Patroni's REST API between members; Patroni keeps its leader lease in the API server. */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        out.add(Connection.of(membersPeer(), membersPeer(), "replication and Patroni's REST API between members",
                NetworkPort.tcp(PORT), NetworkPort.tcp(API_PORT)));
        out.addAll(environment.network().toKubeApi(membersPeer(), "Patroni's leader lease and member state (Kubernetes DCS)"));
        out.add(BackupJobs.toObjectStore(environment, membersPeer(), "WAL archiving, and re-seeding a member from the archive"));
        return List.copyOf(out);
    }
}
