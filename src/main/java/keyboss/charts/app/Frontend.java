package keyboss.charts.app;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.core.ServiceBackend;
import keyboss.charts.model.Size;
import keyboss.charts.core.Workloads;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.PodSecurityContext;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.SecurityContext;
import software.constructs.Construct;

/** What {@link Storefront} and {@link Dashboard} share: a Deployment and Service of one web app under a path. */
abstract class Frontend extends Component {

    protected final FrontendProps props;
    protected final boolean valid;
    private final KubeDeployment deployment;
    private final ServiceBackend backend;

    /** {@code props}, its nulls taken from {@code defaults}, builds a frontend of {@code component}. */
    Frontend(Construct scope, String id, FrontendProps given, FrontendProps defaults, String component, int minReplicas) {
        super(scope, id);
        Environment env = environment;
        FrontendProps props = java.util.Objects.requireNonNull(given, getClass().getSimpleName() + " props").orDefaults(defaults);
        this.props = props;
        Checks.required(this, "api", props.api(), "the chart's SaleorApi");
        Checks.dnsLabel(this, "name", props.name(), 50, " (Deployments add pod suffixes)");
        Checks.path(this, "path", props.path());
        Checks.between(this, "replicas", props.replicas(), minReplicas, 20, "pods"
                + (minReplicas > 1 ? " (high availability needs a second pod while one restarts)" : ""),
                "use " + Math.max(minReplicas, 1));
        Checks.between(this, "port", props.port(), 1, 65535, "a TCP port", "use the port the image listens on");
        Checks.between(this, "runAsUser", props.runAsUser(), 1, Integer.MAX_VALUE, "a user id other than root's (0)",
                "use the image's user, " + defaults.runAsUser());
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"100m\", \"128Mi\", \"500m\", \"256Mi\")");
        Checks.image(this, "images", image(env));
        this.valid = !hasProblems() && !props.api().hasProblems();
        if (!valid) {
            this.deployment = null;
            this.backend = null;
            return;
        }
        Map<String, String> labels = Labels.of(props.name(), component);
        Container.Builder container = Container.builder()
                .name(props.name())
                .image(image(env).image())
                .imagePullPolicy(image(env).pullPolicy().value())
                .ports(List.of(ContainerPort.builder().name("http").containerPort(props.port()).build()))
                .readinessProbe(readinessProbe())
                .livenessProbe(livenessProbe())
                .resources(K8s.resources(props.resources(), scratch()))
                .securityContext(containerSecurity());
        List<org.cdk8s.plus25.k8s.EnvVar> settings = environment(props.api());
        if (!settings.isEmpty()) {
            container.env(settings);
        }
        org.cdk8s.plus25.k8s.PodSpec.Builder pod = org.cdk8s.plus25.k8s.PodSpec.builder()
                .securityContext(podSecurity())
                .automountServiceAccountToken(false)
                .affinity(Workloads.spreadOverNodes(props.name()));
        List<org.cdk8s.plus25.k8s.Volume> volumes = volumes();
        if (!volumes.isEmpty()) {
            container.volumeMounts(mounts());
            pod.volumes(volumes);
            List<Container> init = initContainers(env);
            if (!init.isEmpty()) {
                pod.initContainers(init);
            }
        }
        this.deployment = Workloads.deployment(this, "deployment", props.name(), labels, props.replicas(),
                pod.containers(List.of(container.build())).build());
        this.backend = ServiceBackend.of(Workloads.service(this, "service", props.name(), labels, "http", props.port()),
                "http", peer());
        if (props.replicas() > 1) {
            Workloads.disruptionBudget(this, "pdb", props.name(), labels, props.replicas() - 1);
        }
    }

    /** The image, from the environment. */
    abstract ImageRef image(Environment env);

    /** The app's settings, read from the shop's ConfigMap. */
    abstract List<EnvVar> environment(SaleorApi api);

    /** Whether the app can serve: the Service sends it requests only then. */
    abstract Probe readinessProbe();

    /** Whether the process is alive, checked more cheaply than readiness: failing it restarts the container. */
    Probe livenessProbe() {
        return Probe.builder()
                .tcpSocket(org.cdk8s.plus25.k8s.TcpSocketAction.builder().port(K8s.intOrString("http")).build())
                .periodSeconds(20).timeoutSeconds(3).failureThreshold(3).build();
    }

    /** Sizes of the disk emptyDirs of {@link #volumes()} the app's pod keeps filled, for its ephemeral-storage limit. */
    Size[] scratch() {
        return new Size[0];
    }

    /** Volumes of the pod; with none, the pod has no mounts and no init containers. */
    List<org.cdk8s.plus25.k8s.Volume> volumes() {
        return List.of();
    }

    /** Where the app's container mounts {@link #volumes()}. */
    List<org.cdk8s.plus25.k8s.VolumeMount> mounts() {
        return List.of();
    }

    /** Containers that prepare {@link #volumes()} before the app starts. */
    List<Container> initContainers(Environment env) {
        return List.of();
    }

    PodSecurityContext podSecurity() {
        return K8s.restrictedPod(props.runAsUser(), props.runAsUser());
    }

    SecurityContext containerSecurity() {
        return K8s.restrictedContainer();
    }

    public String name() {
        return props.name();
    }

    /** The path the app serves itself under. */
    public String path() {
        return props.path();
    }

    public int port() {
        return props.port();
    }

    /** The Service's port {@code http} and the frontend's pods: what an Ingress path routes to. */
    public ServiceBackend backend() {
        return backend != null ? backend : new ServiceBackend(props.name(), "http", peer());
    }

    /** The frontend's pods. */
    public NetworkPeer peer() {
        return NetworkPeer.pods(props.name(), Labels.selector(props.name()), deployment);
    }

    /** The API it serves (empty when none was given: a reported problem). */
    public java.util.Optional<SaleorApi> api() {
        return java.util.Optional.ofNullable(props.api());
    }

    /** The Deployment (empty when its input had problems: then it built nothing). */
    public Optional<KubeDeployment> deployment() {
        return Optional.ofNullable(deployment);
    }
}
