package keyboss.charts.monitoring;

import keyboss.charts.network.Connection;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.env.MetricSets;
import keyboss.charts.data.ValkeySentinel;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * redis_exporter for a {@link ValkeySentinel} (objects {@code redis-exporter-*}): its own job
 * reads the first data node, and its multi-target endpoint reads each Sentinel (job
 * {@code redis-sentinel}, instance = the Sentinel).
 */
public class RedisExporter extends Exporter {

    /** The port redis_exporter serves on. */
    public static final int PORT = 9121;
    /** The user the image runs as. */
    private static final int UID = 59000;
    private final RedisExporterProps props;

    public RedisExporter(Construct scope, String id, RedisExporterProps props) {
        super(scope, id, new Spec("redis-exporter", "redis-exporter", ScrapeTarget.ORDER_CACHE,
                EnvironmentChart.of(scope).environment().images().monitoring().redisExporter(), PORT, UID, List.of(
                        K8s.env("REDIS_ADDR", "redis://" + props.valkey().hosts().get(0)),
                        // An environment variable: redis_exporter's password file is a JSON map of target URI to
                        // password, and the Secret holds the bare password shared by Valkey and every Sentinel target.
                        K8s.envFromSecret("REDIS_PASSWORD", props.valkey().secretName(), props.valkey().passwordKey())),
                null, MetricSets.redisExporter()));
        this.props = props;
    }

    /** Its own job, and the Sentinels' through its {@code /scrape} endpoint. */
    @Override
    public List<ScrapeTarget> scrapeTargets() {
        ScrapeTarget.Builder sentinels = ScrapeTarget.builder("redis-sentinel").order(ScrapeTarget.ORDER_SENTINELS)
                .path("/scrape").labels(Map.of("namespace", environment.namespace()))
                .relabelling(List.of(
                        Map.of("source_labels", List.of("__address__"), "target_label", "__param_target", "replacement", "redis://$1"),
                        Map.of("source_labels", List.of("__address__"), "target_label", "instance"),
                        Map.of("target_label", "__address__", "replacement", port().address(name()))))
                // Every Sentinel address is rewritten to the exporter's: that is all Prometheus connects to.
                .reach(peer(), port().tcp())
                .families(MetricSets.redisExporterSentinel()).targetLabels(List.of("job", "instance", "namespace"));
        props.valkey().sentinelHosts().forEach(sentinels::address);
        return List.of(exporterJob(), sentinels.build());
    }

    /** To the data nodes and Sentinels, as any of their clients. */
    @Override
    public List<Connection> connections() {
        return props.valkey().clientConnections(peer(), "redis-exporter reads");
    }
}
