package keyboss.charts.monitoring;

import keyboss.charts.network.ClusterNetwork;
import keyboss.charts.network.Connection;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.env.MetricSets;
import keyboss.charts.network.NetworkPort;

import java.util.List;
import software.constructs.Construct;

/**
 * The keyboss probe exporter (objects {@code keyboss-exporter-*}): it requests the shop's
 * endpoints every 15 s and exports whether and how fast they answered
 * ({@code keyboss_probe_success}, with the endpoint's name in {@code endpoint}), and
 * {@code keyboss_build_info}.
 */
public class KeybossExporter extends Exporter {

    /** The port the probe exporter serves on. */
    public static final int PORT = 9100;
    /** The user the image runs as. */
    private static final int UID = 1000;
    private final KeybossExporterProps props;

    public KeybossExporter(Construct scope, String id, KeybossExporterProps props) {
        super(scope, id, spec(scope, props));
        this.props = props;
    }

    private static Spec spec(Construct scope, KeybossExporterProps props) {
        Environment environment = EnvironmentChart.of(scope).environment();
        return new Spec("keyboss-exporter", "keyboss-exporter", ScrapeTarget.ORDER_PROBES,
                environment.images().monitoring().keybossExporter(), PORT, UID, List.of(
                        K8s.env("PROBE_TARGETS", probeTargets(environment, props)),
                        K8s.env("PROBE_INTERVAL_SECONDS", "15"),
                        K8s.env("PROBE_TIMEOUT_SECONDS", "10"),
                        K8s.env("GRAPHQL_URL", props.api().internalUrl()),
                        // Where it runs, for keyboss_build_info (the namespace: charts never read the environment's name).
                        K8s.env("KEYBOSS_ENVIRONMENT", environment.namespace())),
                null, MetricSets.keybossExporter());
    }

    /**
     * The five endpoints it requests, named as its dashboards show them: the public routes
     * through the public URL, Alertmanager (not routed) through its Service.
     */
    private static String probeTargets(Environment environment, KeybossExporterProps props) {
        String url = environment.publicUrl();
        return String.join(",",
                "storefront=" + url + props.storefront().path(),
                "graphql_api=" + props.api().internalUrl(),
                "dashboard=" + url + "/dashboard/",
                "grafana=" + url + Grafana.HEALTH_PATH,
                "alertmanager=" + props.alertmanager().internalUrl() + Alertmanager.READY_PATH);
    }

    /**
     * To the API's internal URL, to the ingress controller for the public URLs (waiting for the
     * shop's Ingress they go through) and to Alertmanager's Service.
     */
    @Override
    public List<Connection> connections() {
        ClusterNetwork network = environment.network();
        return List.of(
                Connection.of(peer(), props.api().peer(), "probe of the API's internal URL", NetworkPort.tcp(props.api().port())),
                new Connection(peer(), network.ingressController().withObjects(props.ingress().ingress()),
                        network.ingressPortsFor(environment.publicUrl()), "probes of the public URLs"),
                Connection.of(peer(), props.alertmanager().peer(), "probe of Alertmanager's Service", Alertmanager.PORT.tcp()));
    }
}
