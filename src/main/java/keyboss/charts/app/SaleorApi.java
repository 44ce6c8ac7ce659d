package keyboss.charts.app;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.core.DatabaseLogin;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.ICache;
import keyboss.charts.core.IDatabase;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.core.Problems;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.SecretContract;
import keyboss.charts.core.ServiceBackend;
import keyboss.charts.model.Size;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.core.Workloads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cdk8s.plus25.k8s.ConfigMapEnvSource;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvFromSource;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.JobSpec;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.KubeJob;
import org.cdk8s.plus25.k8s.KubeJobProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * The Saleor GraphQL API (CUJ1): a Deployment autoscaled on CPU and memory, spread over nodes,
 * with a Service, a PodDisruptionBudget and probes on Saleor's health endpoint. Its database
 * and Valkey settings are derived from the {@link IDatabase} ({@link PostgresHA}) and the
 * {@link ICache} ({@link ValkeySentinel}) it is given; every pod waits until the migrations Job has brought the schema up to date.
 *
 * <p>Objects (ids are public API): {@code settings} and {@code scripts} ConfigMaps,
 * {@code deployment}, {@code service}, {@code hpa}, {@code pdb}, and {@code migrate}, the
 * migrations Job, named after the image version so each version migrates once.
 */
public class SaleorApi extends Component implements Connected {

    public static final int PORT = 8000;
    /** The Saleor image's user and group ({@code useradd -r saleor}: the first system id). */
    static final int SALEOR_UID = 999;
    static final String SETTINGS_DIR = "/app/keyboss";
    static final String SCRIPTS_DIR = "/scripts";

    private final SaleorApiProps props;
    private final String name;
    private final String namespace;
    private final String configMapName;
    private final KubeDeployment deployment;
    private final ServiceBackend backend;
    private KubeJob migrationsJob;
    private final List<KubeJob> seedJobs = new ArrayList<>();

    public SaleorApi(Construct scope, String id, SaleorApiProps props) {
        super(scope, id);
        Environment env = environment;
        this.props = Objects.requireNonNull(props, "SaleorApi props");
        validate(env);
        this.name = props.name();
        this.namespace = env.namespace();
        this.configMapName = AppConfig.NAME;
        if (hasProblems()) {
            this.deployment = null;
            this.backend = null;
            return;
        }
        Map<String, String> labels = Labels.of(name, "api");
        new KubeConfigMap(this, "settings", KubeConfigMapProps.builder()
                .metadata(K8s.meta(settingsConfigMap(), labels))
                .data(Map.of("keyboss_settings.py", Scripts.read("saleor/keyboss_settings.py")))
                .build());
        new KubeConfigMap(this, "scripts", KubeConfigMapProps.builder()
                .metadata(K8s.meta(scriptsConfigMap(), labels))
                .data(Scripts.configMapData("saleor", "wait-for-migrations.sh", "migrate.sh", "seed.sh", "seed.py"))
                .build());

        // Ready: Django answers HTTP on the health path. Alive: uvicorn still accepts connections,
        // a cheaper check that a busy worker does not fail (restarting it would not help).
        Probe health = Probe.builder()
                .httpGet(HttpGetAction.builder().path(props.healthPath()).port(K8s.intOrString("http")).build())
                .periodSeconds(10).timeoutSeconds(5).failureThreshold(3).build();
        Container api = Container.builder()
                .name("saleor-api")
                .image(env.images().saleor().image())
                .imagePullPolicy(env.images().saleor().pullPolicy().value())
                .command(List.of("uvicorn", "--host", "0.0.0.0", "--port", Integer.toString(PORT),
                        "--workers", Integer.toString(props.workers()), "--lifespan", "off", "saleor.asgi:application"))
                .envFrom(environmentFrom())
                .env(environment())
                .ports(List.of(ContainerPort.builder().name("http").containerPort(PORT).build()))
                .startupProbe(Probe.builder()
                        .httpGet(HttpGetAction.builder().path(props.healthPath()).port(K8s.intOrString("http")).build())
                        .periodSeconds(5).timeoutSeconds(5).failureThreshold(60).build())
                .readinessProbe(health)
                .livenessProbe(Probe.builder()
                        .tcpSocket(TcpSocketAction.builder().port(K8s.intOrString("http")).build())
                        .periodSeconds(20).timeoutSeconds(5).failureThreshold(3).build())
                .resources(K8s.resources(props.resources(), SCRATCH))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(mounts())
                .build();
        this.deployment = Workloads.deployment(this, "deployment", name, labels, null, PodSpec.builder()
                .securityContext(K8s.restrictedPod(SALEOR_UID, SALEOR_UID))
                .automountServiceAccountToken(false)
                .affinity(Workloads.spreadOverNodes(name))
                .initContainers(List.of(container("wait-for-migrations", "wait-for-migrations.sh", env)))
                .containers(List.of(api))
                .volumes(volumes())
                .build());
        this.backend = ServiceBackend.of(Workloads.service(this, "service", name, labels, "http", PORT), "http", peer());
        Workloads.autoscaler(this, "hpa", name + "-hpa", name, labels, props.autoscaling());
        Workloads.disruptionBudget(this, "pdb", name, labels, 1);
        KubeJob migrate = addJob(this, "migrate", migrationsJobName(env), "migrate.sh", 86400, labels);
        // The database and Valkey come from the connections (connections()); the API's pods also
        // wait for the migrations, which they never connect to.
        chart.syncHook(migrate);
        chart.dependsOn(deployment, migrate, "the API's pods wait for the migrations (wait-for-migrations)");
        this.migrationsJob = migrate;
    }

    /** The migrations Job, which every Saleor pod waits for. */
    KubeJob migrationsJob() {
        return migrationsJob;
    }

    private void validate(Environment env) {
        Checks.required(this, "database", props.database(), "the chart's PostgresHA (or another IDatabase)");
        Checks.required(this, "cache", props.cache(), "the chart's ValkeySentinel (or another ICache)");
        Checks.required(this, "secrets", props.secrets(), "SecretContract.keyboss()");
        Checks.dnsLabel(this, "name", props.name(), 50, " (the HPA is <name>-hpa and Deployments add pod suffixes)");
        if (Checks.required(this, "autoscaling", props.autoscaling(), "Autoscaling.of(2, 6, 60)")) {
            props.autoscaling().validate(this, "autoscaling");
        }
        Checks.between(this, "workers", props.workers(), 1, 32, "uvicorn workers per pod", "use 2, or leave it unset");
        Checks.path(this, "healthPath", props.healthPath());
        if (props.adminEmail() == null || !props.adminEmail().matches("^[^@\\s]+@[^@\\s]+$")) {
            Problems.report(this, "adminEmail", props.adminEmail(), "an e-mail address", "use admin@admin.com");
        }
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"250m\", \"512Mi\", \"1\", \"1Gi\")");
        Checks.image(this, "images.saleor", env.images().saleor());
    }

    /**
     * Everything a Saleor process reads besides {@link #environmentFrom()}: database URL, secrets,
     * settings module. The secrets stay environment variables: Saleor's settings read SECRET_KEY,
     * RSA_PRIVATE_KEY and DATABASE_URL from the environment only, and Celery its broker URL (with
     * the Valkey password) before any setting is loaded.
     */
    public List<EnvVar> environment() {
        IDatabase db = props.database();
        if (db == null || props.cache() == null || props.secrets() == null) {
            return List.of(); // reported: nothing to connect to
        }
        DatabaseLogin owner = db.owner();
        SecretContract secrets = props.secrets();
        secrets.key(props.cache().passwordKey());
        // The password goes into DATABASE_URL unescaped: where it is the shop's Secret, its contract must say so.
        String passwordKey = owner.secretName().equals(secrets.name()) ? secrets.urlKey(owner.passwordKey())
                : owner.passwordKey();
        return K8s.envs(List.of(
                // Read explicitly (it is also in envFrom) so DATABASE_URL below can expand it. For
                // PostgresHA it names the primary Service, whose endpoints follow the leader: nothing
                // changes on failover.
                AppConfig.ref("POSTGRES_HOST", configMapName, AppConfig.POSTGRES_HOST),
                K8s.envFromSecret("POSTGRES_PASSWORD", owner.secretName(), passwordKey),
                K8s.env("DATABASE_URL", "postgres://" + owner.user() + ":$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):"
                        + db.port() + "/" + db.database()),
                K8s.envFromSecret("SECRET_KEY", secrets.name(), secrets.key("SECRET_KEY")),
                K8s.envFromSecret("RSA_PRIVATE_KEY", secrets.name(), secrets.key("RSA_PRIVATE_KEY")),
                K8s.env("DJANGO_SETTINGS_MODULE", "keyboss_settings"),
                K8s.env("PYTHONPATH", SETTINGS_DIR),
                // The root file system is read-only: Python would try (and fail) to cache bytecode.
                K8s.env("PYTHONDONTWRITEBYTECODE", "1"),
                K8s.env("DEBUG", "False")),
                props.cache().clientEnvironment(AppConfig.BROKER_DATABASE, AppConfig.RESULTS_DATABASE));
    }

    /** The whole {@code keyboss-config} ConfigMap, as environment variables. */
    public List<EnvFromSource> environmentFrom() {
        return List.of(EnvFromSource.builder()
                .configMapRef(ConfigMapEnvSource.builder().name(configMapName).build()).build());
    }

    /**
     * The settings module and the scripts, as every Saleor container mounts them, and the two
     * folders Saleor writes into under its read-only root file system: /tmp (Django spools
     * uploads above 2.5 MB there, FILE_UPLOAD_MAX_MEMORY_SIZE, as do other tempfile users) and
     * Saleor's MEDIA_ROOT (/app/media: product images, thumbnails and exports when no object
     * storage is configured; per pod and lost on restart, as the container layer was before).
     */
    List<VolumeMount> mounts() {
        return List.of(K8s.readOnlyMount("settings", SETTINGS_DIR), K8s.readOnlyMount("scripts", SCRIPTS_DIR),
                K8s.mount("tmp", "/tmp"), K8s.mount("media", MEDIA_DIR));
    }

    List<Volume> volumes() {
        return List.of(K8s.configMapVolume("settings", settingsConfigMap()),
                K8s.configMapVolume("scripts", scriptsConfigMap()),
                K8s.scratchVolume("tmp", TMP_SIZE), K8s.scratchVolume("media", MEDIA_SIZE));
    }

    /** The scratch folders of {@link #volumes()}, which a Saleor container's ephemeral-storage limit covers. */
    static final Size[] SCRATCH = {Size.mi(64), Size.mi(128)};
    static final Size TMP_SIZE = SCRATCH[0];
    static final Size MEDIA_SIZE = SCRATCH[1];
    /** Saleor's MEDIA_ROOT in its image (PROJECT_ROOT/media). */
    static final String MEDIA_DIR = "/app/media";

    /** A container of the Saleor image running {@code script} from the scripts ConfigMap. */
    Container container(String containerName, String script, Environment env, EnvVar... extraEnv) {
        return Container.builder()
                .name(containerName)
                .image(env.images().saleor().image())
                .imagePullPolicy(env.images().saleor().pullPolicy().value())
                .command(List.of(SCRIPTS_DIR + "/" + script))
                .envFrom(environmentFrom())
                .env(K8s.envs(environment(), List.of(extraEnv)))
                .resources(K8s.resources(props.resources(), SCRATCH))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(mounts())
                .build();
    }

    /**
     * Adds the one-time seed-data Job (seed 2.4): the admin (password from the Secret's
     * {@code ADMIN_PASSWORD}), product type, attributes, categories and collections. It only
     * creates what is missing, so a re-run changes nothing; its name carries a hash of the
     * seed, so a changed seed runs once more.
     */
    public Optional<KubeJob> addSeedJob(Construct scope, String id) {
        if (deployment == null) {
            return Optional.empty();
        }
        Environment env = EnvironmentChart.of(scope).environment();
        String hash = sha256(Scripts.read("saleor/seed.py") + env.images().saleor().image() + props.adminEmail());
        String seedName = name.replace("-api", "") + "-seed-" + hash.substring(0, 8);
        // No TTL: the finished Job stays, so neither Argo CD nor kubectl apply runs it again.
        KubeJob seed = addJob(scope, id, seedName, "seed.sh", null,
                Labels.of(name, "api"), K8s.env("ADMIN_EMAIL", props.adminEmail()),
                K8s.envFromSecret("ADMIN_PASSWORD", props.secrets().name(), props.secrets().key("ADMIN_PASSWORD")));
        seedJobs.add(seed);
        EnvironmentChart.of(scope).dependsOn(seed, migrationsJob, "the seed writes into the migrated schema");
        return Optional.of(seed);
    }

    private KubeJob addJob(Construct scope, String id, String jobName, String script, Integer ttlSeconds,
            Map<String, String> labels, EnvVar... extraEnv) {
        Environment env = EnvironmentChart.of(scope).environment();
        Container container = container(script.replace(".sh", ""), script, env, extraEnv);
        Map<String, String> jobLabels = Labels.of(jobName, "api-job");
        JobSpec.Builder spec = JobSpec.builder().backoffLimit(6).activeDeadlineSeconds(1800);
        if (ttlSeconds != null) {
            spec.ttlSecondsAfterFinished(ttlSeconds);
        }
        return new KubeJob(scope, id, KubeJobProps.builder()
                .metadata(K8s.meta(jobName, jobLabels))
                .spec(spec
                        .template(PodTemplateSpec.builder()
                                .metadata(K8s.meta(null, jobLabels))
                                .spec(PodSpec.builder()
                                        .restartPolicy("OnFailure")
                                        .securityContext(K8s.restrictedPod(SALEOR_UID, SALEOR_UID))
                                        .automountServiceAccountToken(false)
                                        .containers(List.of(container))
                                        .volumes(volumes())
                                        .build())
                                .build())
                        .build())
                .build());
    }

    /** {@code saleor-migrate-<image tag>}: one Job per version; old ones expire a day after finishing. */
    private String migrationsJobName(Environment env) {
        String image = env.images().saleor().image();
        String tag = image.contains("@") ? image.substring(image.indexOf('@') + 8, image.indexOf('@') + 20)
                : image.substring(image.lastIndexOf(':') + 1);
        String slug = tag.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        String jobName = name.replace("-api", "") + "-migrate-" + slug;
        return jobName.length() <= 52 ? jobName : jobName.substring(0, 52).replaceAll("-$", "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String settingsConfigMap() {
        return name + "-settings";
    }

    private String scriptsConfigMap() {
        return name + "-scripts";
    }

    /** Deployment and Service name. */
    public String name() {
        return name;
    }

    /** The path the API serves GraphQL on, behind the ingress and inside the cluster. */
    public String path() {
        return "/graphql/";
    }

    /** The Service's cluster DNS name, e.g. {@code saleor-api.tenant-keyboss.svc}. */
    public String serviceHost() {
        return name + "." + namespace + ".svc";
    }

    /** The GraphQL URL inside the cluster, for server-side rendering. */
    public String internalUrl() {
        return "http://" + serviceHost() + ":" + PORT + path();
    }

    public int port() {
        return PORT;
    }

    /** The ConfigMap every Saleor pod and the frontends read. */
    public String configMapName() {
        return configMapName;
    }

    /** The Deployment (empty when its input had problems: then it built nothing). */
    public Optional<KubeDeployment> deployment() {
        return Optional.ofNullable(deployment);
    }

    /** The Service's port {@code http} and the API's pods: what an Ingress path routes to. */
    public ServiceBackend backend() {
        return backend != null ? backend : new ServiceBackend(name, "http", peer());
    }

    /** The API's pods. */
    public NetworkPeer peer() {
        return NetworkPeer.pods(name, Labels.selector(name), deployment);
    }

    /** The pods of the migrations and seed Jobs (all labelled component {@code api-job}). */
    public NetworkPeer jobsPeer() {
        return NetworkPeer.pods(name + "-jobs", Map.of(Labels.COMPONENT, "api-job"), migrationsJob)
                .withObjects(seedJobs.toArray(KubeJob[]::new));
    }

    /** What a pod running Saleor's code opens: the database (for PostgresHA, its primary Service, so the members' pods) and the cache. */
    public List<Connection> backendConnections(NetworkPeer client) {
        List<Connection> out = new ArrayList<>();
        if (props.database() != null) {
            out.addAll(props.database().clientConnections(client, "Saleor's database (through the primary Service)"));
        }
        if (props.cache() != null) {
            out.addAll(props.cache().clientConnections(client, "Saleor's cache and Celery broker"));
        }
        return out;
    }

    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>(backendConnections(peer()));
        out.addAll(backendConnections(jobsPeer()));
        return List.copyOf(out);
    }
}
