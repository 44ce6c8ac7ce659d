package keyboss.charts.monitoring;

import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.MetricSets;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;

import java.util.ArrayList;
import java.util.List;
import org.cdk8s.plus25.k8s.KubeDeployment;
import software.constructs.Construct;

/**
 * kube-state-metrics (objects {@code kube-state-metrics-*}) for the resources the alerts and
 * dashboards read, with list and watch on them: cluster-wide where the cluster admits
 * cluster-scoped objects, else confined to the namespace with a Role.
 */
public class KubeStateMetrics extends Component implements Scraped {

    /** Its port: the container's, the Service's and the scrape target's. */
    public static final NamedPort PORT = new NamedPort("http-metrics", 8080);
    static final String NAME = "kube-state-metrics";
    private static final List<String> RESOURCES = List.of("pods", "deployments", "statefulsets", "replicasets",
            "jobs", "cronjobs", "horizontalpodautoscalers", "poddisruptionbudgets", "services", "endpoints",
            "persistentvolumeclaims");

    private final KubeDeployment deployment;

    public KubeStateMetrics(Construct scope, String id) {
        super(scope, id);
        boolean clusterWide = environment.clusterScopedAllowed();
        List<String> verbs = List.of("list", "watch");
        MonitoringPods.account(this, environment.namespace(), NAME, List.of(
                MonitoringPods.rule(List.of(""), List.of("pods", "services", "endpoints", "persistentvolumeclaims"), verbs),
                MonitoringPods.rule(List.of("apps"), List.of("deployments", "statefulsets", "replicasets"), verbs),
                MonitoringPods.rule(List.of("batch"), List.of("jobs", "cronjobs"), verbs),
                MonitoringPods.rule(List.of("autoscaling"), List.of("horizontalpodautoscalers"), verbs),
                MonitoringPods.rule(List.of("policy"), List.of("poddisruptionbudgets"), verbs)), List.of(), clusterWide);
        List<String> args = new ArrayList<>(List.of("--resources=" + String.join(",", RESOURCES)));
        if (!clusterWide) {
            args.add("--namespaces=" + environment.namespace());
        }
        this.deployment = MonitoringPods.server(this, new MonitoringPods.Server(NAME, PORT,
                environment.images().monitoring().kubeStateMetrics(), "/healthz", null, MonitoringPods.NOBODY, List.copyOf(args),
                List.of(), List.of(), List.of(), NAME, ContainerResources.of("20m", "64Mi", "200m", "256Mi"), List.of()));
    }

    /** Its pods, standing for its Deployment. */
    public NetworkPeer peer() {
        return MonitoringPods.peer(NAME, deployment);
    }

    @Override
    public List<ScrapeTarget> scrapeTargets() {
        return List.of(ScrapeTarget.builder(NAME).order(ScrapeTarget.ORDER_CLUSTER_STATE).target(NAME, PORT, peer())
                .families(MetricSets.kubeStateMetrics()).build());
    }

    /** To the API server, which it lists and watches. */
    public List<Connection> connections() {
        return environment.network().toKubeApi(peer(), "kube-state-metrics lists and watches objects");
    }
}
