package keyboss.charts.monitoring;

import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.CustomResources;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.Volume;
import software.constructs.Construct;

/**
 * A Prometheus exporter: Deployment and Service on its {@link #METRICS_PORT} port (objects
 * {@code <name>-deployment}, {@code <name>-service}), and a ServiceMonitor ({@code <name>-monitor})
 * where the cluster runs the Prometheus Operator, so the central Prometheus reads it too. Ready:
 * /metrics answers; alive: the port accepts connections. Exporters write nothing (the root file
 * system is read-only, no scratch folder); a secret volume, where given, is mounted at
 * {@link #SECRETS_DIR}. Its {@link #scrapeTargets()} job labels the series as a ServiceMonitor
 * scrape labels them, but for pod and container, so one dashboard serves both Prometheuses.
 */
public abstract class Exporter extends Component implements Scraped {

    /** The port name of every exporter's Service, and so the value of their {@code endpoint} target label. */
    public static final String METRICS_PORT = "metrics";
    /** Labels the in-namespace scrape gives an exporter target: those a ServiceMonitor scrape gives, but pod and container. */
    public static final List<String> TARGET_LABELS = List.of("job", "instance", "namespace", "service", "endpoint");
    /** Labels a Prometheus Operator scrape of a ServiceMonitor endpoint gives each target. */
    public static final List<String> SERVICE_MONITOR_TARGET_LABELS = List.of("job", "instance", "namespace", "service", "pod",
            "container", "endpoint");
    /** Where an exporter finds its password file. */
    static final String SECRETS_DIR = "/etc/exporter";
    private static final ContainerResources RESOURCES = ContainerResources.of("10m", "32Mi", "100m", "128Mi");

    /** What an exporter is: its name, image and port, who runs it, what it reads and produces. */
    public record Spec(String name, String job, int order, ImageRef image, int port, int uid, List<EnvVar> env,
            Volume secret, Map<String, List<String>> families) {
    }

    private final Spec spec;
    private final NamedPort port;
    private final KubeDeployment deployment;

    protected Exporter(Construct scope, String id, Spec spec) {
        super(scope, id);
        this.spec = spec;
        this.port = new NamedPort(METRICS_PORT, spec.port());
        Volume secret = spec.secret();
        this.deployment = MonitoringPods.server(this, new MonitoringPods.Server(spec.name(), port, spec.image(), "/metrics", null,
                spec.uid(), List.of(), spec.env(), secret == null ? List.of() : List.of(secret),
                secret == null ? List.of() : List.of(K8s.readOnlyMount(secret.getName(), SECRETS_DIR)), null,
                RESOURCES, List.of()));
        if (environment.monitoring().prometheusOperator()) {
            Map<String, String> labels = new LinkedHashMap<>(MonitoringPods.labels(spec.name()));
            labels.putAll(environment.monitoring().serviceMonitorLabels());
            CustomResources.create(this, spec.name() + "-monitor", CustomResources.SERVICE_MONITOR, "ServiceMonitor", spec.name(),
                    Map.copyOf(labels), Map.of(), Map.of(
                            "selector", Map.of("matchLabels", Labels.selector(spec.name())),
                            "endpoints", List.of(Map.of("port", METRICS_PORT, "interval", "15s"))));
        }
    }

    /** Its name: of its Deployment, Service, pods and ServiceMonitor. */
    public String name() {
        return spec.name();
    }

    /** Its metrics port, as its container and Service declare it. */
    public NamedPort port() {
        return port;
    }

    /** Its pods, standing for its Deployment. */
    public NetworkPeer peer() {
        return MonitoringPods.peer(spec.name(), deployment);
    }

    /** The families it produces, with the labels it gives them. */
    public Map<String, List<String>> families() {
        return spec.families();
    }

    /**
     * Its job: its Service on the metrics port, with the {@code namespace} and {@code endpoint}
     * labels a ServiceMonitor scrape would give and {@code service} from the address.
     */
    protected ScrapeTarget exporterJob() {
        return ScrapeTarget.builder(spec.job()).order(spec.order()).target(spec.name(), port, peer())
                .labels(Map.of("namespace", environment.namespace(), "endpoint", METRICS_PORT))
                .relabelling(List.of(Map.of("source_labels", List.of("__address__"), "regex", "([^:]+):.*",
                        "target_label", "service", "replacement", "$1")))
                .families(spec.families()).targetLabels(TARGET_LABELS).build();
    }

    @Override
    public List<ScrapeTarget> scrapeTargets() {
        return List.of(exporterJob());
    }

    /** Whom its pods connect to, to read what they export. */
    public abstract List<Connection> connections();

    /**
     * The central Prometheus (in the namespace of its URL's host) to the ServiceMonitor's
     * endpoint, where the Prometheus Operator runs and a central URL is set; else none.
     */
    public List<Connection> serviceMonitorConnections() {
        MonitoringSettings settings = environment.monitoring();
        List<Connection> out = new ArrayList<>();
        if (settings.prometheusOperator() && settings.centralPrometheusUrl() != null) {
            String[] host = java.net.URI.create(settings.centralPrometheusUrl()).getHost().split("\\.");
            if (host.length >= 2) {
                NetworkPeer central = NetworkPeer.inNamespace("central-prometheus", host[1], Map.of());
                out.add(Connection.of(central, peer(), "ServiceMonitor " + spec.name(), NetworkPort.named(METRICS_PORT))
                        .withoutWaiting());
            }
        }
        return out;
    }

    /** Whether the central Prometheus reads it through a ServiceMonitor. */
    public boolean serviceMonitored() {
        return environment.monitoring().prometheusOperator();
    }
}
