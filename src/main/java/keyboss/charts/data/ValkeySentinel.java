package keyboss.charts.data;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.Environment;
import keyboss.charts.core.ICache;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.env.PodSpread;
import keyboss.charts.core.Problems;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;
import keyboss.charts.core.Workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.Optional;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import org.cdk8s.plus25.k8s.KubeService;
import org.cdk8s.plus25.k8s.KubeServiceProps;
import org.cdk8s.plus25.k8s.KubeStatefulSet;
import org.cdk8s.plus25.k8s.KubeStatefulSetProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.ServicePort;
import org.cdk8s.plus25.k8s.ServiceSpec;
import org.cdk8s.plus25.k8s.StatefulSetSpec;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * Valkey with Sentinel failover: a StatefulSet of data pods ({@code redis-0} starts as master,
 * the others replicate it) and a StatefulSet of Sentinels that promote a replica when the
 * master is silent for {@code downAfterMillis}. Clients ask the Sentinels for
 * {@link #masterName()}, so they follow the master across failovers. Servers and Sentinels
 * require the password of the Secret ({@link ValkeySentinelProps#passwordKey()}, read from a
 * mounted file); a master cut off from its replicas refuses writes
 * ({@code min-replicas-to-write}), and so does a master no majority of the Sentinels has named
 * for half their down-after period (sidecar {@code fence}, {@code fence.sh}), before they can
 * promote a replica; a restarting pod or Sentinel finds the current master
 * instead of assuming the first pod (see the init scripts). Members are spread over nodes as
 * the environment's {@link PodSpread} says.
 *
 * <p>Objects (ids are public API): {@code scripts}, {@code service}, {@code statefulset},
 * {@code pdb}, {@code sentinel-service}, {@code sentinel-statefulset}, {@code sentinel-pdb}.
 */
public class ValkeySentinel extends Component implements Connected, ICache {

    /** The valkey Alpine image's user and group. */
    static final int VALKEY_UID = 999;
    static final int VALKEY_GID = 1000;
    public static final int PORT = 6379;
    public static final int SENTINEL_PORT = 26379;
    /** The environment variable client pods read the password from. */
    public static final String PASSWORD_ENV = "VALKEY_PASSWORD";
    static final String AUTH_FILE = "/secrets/password";
    static final String DATA_DIR = "/data";

    private final ValkeySentinelProps props;
    private final String name;
    private final String sentinelName;
    private final KubeStatefulSet statefulSet;
    private final KubeStatefulSet sentinelStatefulSet;

    /** Valkey and its Sentinels with every default of {@link ValkeySentinelProps}. */
    public ValkeySentinel(Construct scope, String id) {
        this(scope, id, ValkeySentinelProps.builder().build());
    }

    public ValkeySentinel(Construct scope, String id, ValkeySentinelProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "ValkeySentinel props");
        boolean namesOk = validate(environment);
        this.name = namesOk ? props.name() : "redis";
        this.sentinelName = namesOk ? props.sentinelName() : "redis-sentinel";
        Size storage = Checks.storage(this, "storageSize", props.storageSize(), environment);
        if (hasProblems()) {
            this.statefulSet = null;
            this.sentinelStatefulSet = null;
            return;
        }

        String scriptsName = name + "-scripts";
        Map<String, String> labels = Labels.of(name, "cache");
        Map<String, String> sentinelLabels = Labels.of(sentinelName, "sentinel");
        K8s.configMap(this, "scripts", scriptsName, labels,
                Scripts.configMapData("valkey", "init.sh", "sentinel-init.sh", "ping.sh", "fence.sh"));

        headlessService("service", name, labels, "valkey", PORT);
        ImageRef image = environment.images().valkey();
        List<EnvVar> topology = List.of(
                K8s.envFromField("POD_NAME", "metadata.name"),
                K8s.env("PEERS", String.join(" ", hosts())),
                K8s.env("SENTINELS", String.join(" ", sentinelHosts())),
                K8s.env("MASTER_NAME", props.masterName()),
                K8s.env("AUTH_FILE", AUTH_FILE));
        List<Volume> volumes = List.of(memoryVolume("conf"), K8s.configMapVolume("scripts", scriptsName), passwordVolume());
        // The configuration lives on the data volume: Sentinel rewrites it at every failover, so a
        // pod that restarts remembers its last role. The password is included from memory.
        Container init = configContainer(image, "/scripts/init.sh", List.of(K8s.mount("data", DATA_DIR)),
                K8s.envs(topology, List.of(
                        K8s.env("SELF", "$(POD_NAME)." + name + ":" + PORT),
                        K8s.env("CONF", DATA_DIR + "/valkey.conf"),
                        K8s.env("AUTH_CONF", "/conf/auth.conf"),
                        K8s.env("DATA_DIR", DATA_DIR),
                        K8s.env("MIN_REPLICAS_TO_WRITE", Integer.toString(props.minReplicasToWrite())),
                        K8s.env("MIN_REPLICAS_MAX_LAG", Integer.toString(props.minReplicasMaxLagSeconds())),
                        K8s.env("MAXMEMORY", maxMemory()),
                        K8s.env("PEER_WAIT_SECONDS", "10"))));
        Container server = serverContainer(image, "valkey", PORT, List.of("valkey-server", DATA_DIR + "/valkey.conf"),
                props.resources(), List.of(K8s.mount("data", DATA_DIR), K8s.mount("conf", "/conf")));
        // A master the Sentinels cannot see refuses writes before they promote a replica (fence.sh).
        Container fence = Container.builder()
                .name("fence")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("/scripts/fence.sh"))
                .env(K8s.envs(topology, List.of(
                        K8s.env("SELF", "$(POD_NAME)." + name + ":" + PORT),
                        K8s.env("MIN_REPLICAS_TO_WRITE", Integer.toString(props.minReplicasToWrite())),
                        K8s.env("FENCE_AFTER_MS", Integer.toString(fenceAfterMillis())))))
                .resources(K8s.resources(props.sentinelResources()))
                .securityContext(K8s.restrictedContainer())
                // fence.sh keeps the Sentinels' last answers in a mktemp folder.
                .volumeMounts(List.of(K8s.readOnlyMount("scripts", "/scripts"), K8s.readOnlyMount("password", "/secrets"),
                        K8s.mount("tmp", "/tmp")))
                .build();
        // Roles are decided by the init script, not by start order, so the pods start together.
        this.statefulSet = statefulSet("statefulset", name, labels, props.replicas(), "Parallel",
                List.of(init), List.of(server, fence),
                java.util.stream.Stream.concat(volumes.stream(), java.util.stream.Stream.of(memoryVolume("tmp"))).toList(),
                List.of(K8s.claimTemplate("data", labels, environment, storage)));
        // A drain never takes so many pods that the master could not find the replicas it needs.
        Workloads.disruptionBudget(this, "pdb", name, labels, props.minReplicasToWrite() + 1);

        headlessService("sentinel-service", sentinelName, sentinelLabels, "sentinel", SENTINEL_PORT);
        Container sentinelInit = configContainer(image, "/scripts/sentinel-init.sh", List.of(), K8s.envs(topology, List.of(
                K8s.env("SELF", "$(POD_NAME)." + sentinelName + ":" + SENTINEL_PORT),
                K8s.env("QUORUM", Integer.toString(props.quorum())),
                K8s.env("DOWN_AFTER_MS", Integer.toString(props.downAfterMillis())),
                K8s.env("FAILOVER_TIMEOUT_MS", Integer.toString(props.failoverTimeoutMillis())),
                K8s.env("CONF", "/conf/sentinel.conf"))));
        // Sentinel rewrites its configuration file (it holds the password), so it lives in memory.
        Container sentinel = serverContainer(image, "sentinel", SENTINEL_PORT,
                List.of("valkey-server", "/conf/sentinel.conf", "--sentinel"), props.sentinelResources(),
                List.of(K8s.mount("conf", "/conf")));
        this.sentinelStatefulSet = statefulSet("sentinel-statefulset", sentinelName, sentinelLabels, props.sentinels(),
                "Parallel", List.of(sentinelInit), List.of(sentinel), volumes, List.of());
        Workloads.disruptionBudget(this, "sentinel-pdb", sentinelName, sentinelLabels, props.quorum());
    }

    /**
     * How long a master may go without a majority of the Sentinels naming it before it refuses
     * writes: half their down-after period, so it is fenced before they can start a failover.
     */
    public int fenceAfterMillis() {
        return props.downAfterMillis() / 2;
    }

    private boolean validate(Environment environment) {
        String why = " (pods are named <name>-N and the StatefulSet adds an 11-character revision hash)";
        boolean ok = Checks.dnsLabel(this, "name", props.name(), PostgresHA.MAX_STATEFULSET_NAME, why);
        ok &= Checks.dnsLabel(this, "sentinelName", props.sentinelName(), PostgresHA.MAX_STATEFULSET_NAME, why);
        if (ok && props.name().equals(props.sentinelName())) {
            Problems.report(this, "sentinelName", "'" + props.sentinelName() + "'",
                    "must differ from name: each StatefulSet needs its own Service",
                    "leave sentinelName unset (redis-sentinel) or pick another name");
            ok = false;
        }
        Checks.between(this, "replicas", props.replicas(), 2, 5,
                "(a master and at least one replica to promote)", "set replicas to 3, or leave it unset");
        Checks.between(this, "sentinels", props.sentinels(), 3, 7,
                "(a majority of Sentinels must survive the loss of one)", "set sentinels to 3, or leave it unset");
        int majority = props.sentinels() / 2 + 1;
        Checks.between(this, "quorum", props.quorum(), majority, Math.max(majority, props.sentinels()),
                "(a majority of the " + props.sentinels() + " Sentinels, so two partitions never both fail over)",
                "set quorum to " + majority);
        Checks.format(this, "masterName", props.masterName(), Checks.SENTINEL_NAME,
                "1 to 64 letters, digits, '.', '-' or '_' (it is written into sentinel.conf and read by Celery)",
                "\"mymaster\"");
        Checks.between(this, "downAfterMillis", props.downAfterMillis(), 1000, 60000,
                "milliseconds of silence before the master is deemed down", "use 5000, or leave it unset");
        Checks.between(this, "failoverTimeoutMillis", props.failoverTimeoutMillis(), props.downAfterMillis(), 600000,
                "milliseconds, not below downAfterMillis", "use 30000, or leave it unset");
        Checks.between(this, "minReplicasToWrite", props.minReplicasToWrite(), 1, Math.max(1, props.replicas() - 1),
                "replicas a master must reach to take writes (0 lets a cut-off master take writes a failover"
                        + " discards; more than replicas - 1 never lets it write)", "use 1, or leave it unset");
        // The master re-counts its replicas once a second and a replica acknowledges once a second.
        int maxLag = Math.max(1, props.downAfterMillis() / 1000 - 2);
        Checks.between(this, "minReplicasMaxLagSeconds", props.minReplicasMaxLagSeconds(), 1, maxLag,
                "seconds; a master cut off from its replicas must stop taking writes (lag + 2 s) before"
                        + " the Sentinels can fail over (downAfterMillis " + props.downAfterMillis() + ")",
                "use 2, or leave it unset");
        Checks.required(this, "secretName", props.secretName(), "\"keyboss-secrets\"");
        Checks.required(this, "passwordKey", props.passwordKey(), "\"VALKEY_PASSWORD\"");
        if (Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"50m\", \"64Mi\", \"500m\", \"256Mi\")")) {
            try {
                Size.parse(props.resources().memoryLimit());
            } catch (IllegalArgumentException e) {
                Problems.report(this, "resources.memoryLimit", props.resources().memoryLimit(),
                        "a memory quantity such as 256Mi (maxmemory is half of it)", "use \"256Mi\"");
            }
        }
        Checks.required(this, "sentinelResources", props.sentinelResources(), "ContainerResources.of(\"10m\", \"16Mi\", \"100m\", \"64Mi\")");
        Checks.image(this, "images.valkey", environment.images().valkey());
        return ok;
    }

    /** The memory limit of a Valkey server: the most its snapshot takes. */
    Size memoryLimit() {
        return Size.parse(props.resources().memoryLimit());
    }

    /** {@code maxmemory} in bytes: half the memory limit. */
    private String maxMemory() {
        return Size.parse(props.resources().memoryLimit()).bytes()
                .divide(java.math.BigDecimal.valueOf(2)).toBigInteger().toString();
    }

    private static Volume memoryVolume(String volumeName) {
        return K8s.memoryVolume(volumeName, Size.mi(1));
    }

    /** The password key of the Secret, as the file {@value #AUTH_FILE}. */
    private Volume passwordVolume() {
        return Volume.builder().name("password")
                .secret(SecretVolumeSource.builder()
                        .secretName(props.secretName())
                        .defaultMode(0440)
                        .items(List.of(KeyToPath.builder().key(props.passwordKey()).path("password").build()))
                        .build())
                .build();
    }

    /** The init container that writes a configuration into the shared {@code conf} emptyDir. */
    private Container configContainer(ImageRef image, String script, List<VolumeMount> extraMounts, List<EnvVar> env) {
        List<VolumeMount> mounts = new ArrayList<>(List.of(K8s.mount("conf", "/conf"),
                K8s.readOnlyMount("scripts", "/scripts"), K8s.readOnlyMount("password", "/secrets")));
        mounts.addAll(extraMounts);
        return Container.builder()
                .name("config")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of(script))
                .env(env)
                .resources(K8s.resources(props.sentinelResources()))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.copyOf(mounts))
                .build();
    }

    /**
     * A Valkey server or Sentinel: ready while it answers PING with the password on {@code port}
     * (loaded, authenticated); alive while the port accepts connections, a cheaper check that a
     * server still loading its data or busy with a sync does not fail. It writes only into its
     * data volume or (a Sentinel rewriting its configuration) the {@code conf} folder.
     */
    private Container serverContainer(ImageRef image, String portName, int port, List<String> command,
            ContainerResources resources, List<VolumeMount> mounts) {
        List<String> ping = List.of("/scripts/ping.sh", Integer.toString(port));
        List<VolumeMount> all = new ArrayList<>(mounts);
        all.add(K8s.readOnlyMount("scripts", "/scripts"));
        all.add(K8s.readOnlyMount("password", "/secrets"));
        return Container.builder()
                .name(portName)
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(command)
                .env(List.of(K8s.env("AUTH_FILE", AUTH_FILE)))
                .ports(List.of(ContainerPort.builder().name(portName).containerPort(port).build()))
                .readinessProbe(K8s.execProbe(ping, 5, 2, 3))
                .livenessProbe(Probe.builder()
                        .tcpSocket(TcpSocketAction.builder().port(K8s.intOrString(portName)).build())
                        .periodSeconds(10).timeoutSeconds(5).failureThreshold(6).build())
                .resources(K8s.resources(resources))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.copyOf(all))
                .build();
    }

    private void headlessService(String id, String serviceName, Map<String, String> labels, String portName, int port) {
        new KubeService(this, id, KubeServiceProps.builder()
                .metadata(K8s.meta(serviceName, labels))
                .spec(ServiceSpec.builder()
                        .clusterIp("None")
                        // Init scripts reach peers by name before those peers are ready.
                        .publishNotReadyAddresses(true)
                        .selector(Labels.selector(serviceName))
                        .ports(List.of(ServicePort.builder().name(portName).port(port)
                                .targetPort(K8s.intOrString(portName)).build()))
                        .build())
                .build());
    }

    private KubeStatefulSet statefulSet(String id, String setName, Map<String, String> labels, int replicas,
            String podManagementPolicy, List<Container> initContainers, List<Container> containers, List<Volume> volumes,
            List<KubePersistentVolumeClaimProps> claims) {
        StatefulSetSpec.Builder spec = StatefulSetSpec.builder()
                .serviceName(setName)
                .replicas(replicas)
                .podManagementPolicy(podManagementPolicy)
                .selector(K8s.selector(Labels.selector(setName)))
                .template(PodTemplateSpec.builder()
                        .metadata(K8s.meta(null, labels))
                        .spec(PodSpec.builder()
                                .securityContext(K8s.restrictedPod(VALKEY_UID, VALKEY_GID))
                                .automountServiceAccountToken(false)
                                .affinity(Workloads.spreadMembers(setName, environment.podSpread()))
                                .initContainers(initContainers)
                                .containers(containers)
                                .volumes(volumes)
                                .build())
                        .build());
        if (!claims.isEmpty()) {
            spec.volumeClaimTemplates(claims);
        }
        return new KubeStatefulSet(this, id, KubeStatefulSetProps.builder()
                .metadata(K8s.meta(setName, labels))
                .spec(spec.build())
                .build());
    }

    /** Data StatefulSet and headless Service name. */
    public String name() {
        return name;
    }

    /** {@code host:port} of each data pod, the initial master first. */
    public List<String> hosts() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < props.replicas(); i++) {
            hosts.add(name + "-" + i + "." + name + ":" + PORT);
        }
        return List.copyOf(hosts);
    }

    /** {@code host:port} of each Sentinel. */
    @Override
    public List<String> sentinelHosts() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < props.sentinels(); i++) {
            hosts.add(sentinelName + "-" + i + "." + sentinelName + ":" + SENTINEL_PORT);
        }
        return List.copyOf(hosts);
    }

    /** Sentinel StatefulSet and headless Service name. */
    public String sentinelName() {
        return sentinelName;
    }

    /** The name clients ask the Sentinels for. */
    @Override
    public String masterName() {
        return props.masterName();
    }

    /**
     * A kombu/Celery Sentinel URL for database {@code db}, authenticating with the value of the
     * environment variable {@code passwordVar} (expanded by Kubernetes): every Sentinel, each with
     * the password and the database, e.g.
     * {@code sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-0.redis-sentinel:26379/1;sentinel://...}.
     * Kombu and Celery take the password and database of the first URL, so each carries them.
     */
    public String sentinelUrl(int db, String passwordVar) {
        return sentinelHosts().stream().map(h -> "sentinel://:$(" + passwordVar + ")@" + h + "/" + db)
                .collect(Collectors.joining(";"));
    }

    /**
     * What a client pod needs to reach Valkey: {@value #PASSWORD_ENV} from the Secret, then
     * {@code CELERY_BROKER_URL} and {@code CELERY_RESULT_BACKEND} built from it (Celery reads
     * these two variables before any setting, so the credentials have to be in them; they cannot
     * be in the ConfigMap).
     */
    @Override
    public List<EnvVar> clientEnvironment(int brokerDb, int resultsDb) {
        return List.of(
                K8s.envFromSecret(PASSWORD_ENV, props.secretName(), props.passwordKey()),
                K8s.env("CELERY_BROKER_URL", sentinelUrl(brokerDb, PASSWORD_ENV)),
                K8s.env("CELERY_RESULT_BACKEND", sentinelUrl(resultsDb, PASSWORD_ENV)));
    }

    /** Secret and key of the password. */
    @Override
    public String secretName() {
        return props.secretName();
    }

    @Override
    public String passwordKey() {
        return props.passwordKey();
    }

    /** The data StatefulSet (empty when its input had problems: then it built nothing). */
    public Optional<KubeStatefulSet> statefulSet() {
        return Optional.ofNullable(statefulSet);
    }

    /** The Sentinels' StatefulSet (empty when its input had problems: then it built nothing). */
    public Optional<KubeStatefulSet> sentinelStatefulSet() {
        return Optional.ofNullable(sentinelStatefulSet);
    }

    /** The Valkey data pods. */
    public NetworkPeer dataPeer() {
        return NetworkPeer.pods(name, Labels.selector(name), statefulSet);
    }

    /** The Sentinel pods. */
    public NetworkPeer sentinelPeer() {
        return NetworkPeer.pods(sentinelName, Labels.selector(sentinelName), sentinelStatefulSet);
    }

    /** What a client of the cache opens: the data pods and the Sentinels that name the master. */
    @Override
    public List<Connection> clientConnections(NetworkPeer client, String why) {
        return List.of(
                Connection.of(client, dataPeer(), why + ": Valkey", NetworkPort.tcp(PORT)),
                Connection.of(client, sentinelPeer(), why + ": Sentinel", NetworkPort.tcp(SENTINEL_PORT)));
    }

    /** Replicas follow the master; Sentinels watch the data pods and gossip; data pods ask the Sentinels. */
    @Override
    public List<Connection> connections() {
        return List.of(
                Connection.of(dataPeer(), dataPeer(), "replication between Valkey pods", NetworkPort.tcp(PORT)),
                Connection.of(sentinelPeer(), dataPeer(), "Sentinels watch and reconfigure the data pods", NetworkPort.tcp(PORT)),
                Connection.of(sentinelPeer(), sentinelPeer(), "Sentinels agree on failovers", NetworkPort.tcp(SENTINEL_PORT)),
                // init.sh asks the Sentinels for the current master at every start, and the fence
                // sidecar asks them every half second whether they still name this pod.
                Connection.of(dataPeer(), sentinelPeer(), "Valkey pods ask the Sentinels who the master is",
                        NetworkPort.tcp(SENTINEL_PORT)));
    }
}
