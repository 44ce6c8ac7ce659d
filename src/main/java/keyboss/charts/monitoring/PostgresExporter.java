package keyboss.charts.monitoring;

import keyboss.charts.network.Connection;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.env.MetricSets;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.data.PostgresHA;

import java.util.List;
import software.constructs.Construct;

/**
 * postgres_exporter for one member of a {@link PostgresHA} (objects
 * {@code postgres-exporter-<member>-*}), logged in as the monitoring role with its password read
 * from a file. Every member's exporter shares the job {@code postgres-exporter}.
 */
public class PostgresExporter extends Exporter {

    /** The port postgres_exporter serves on. */
    public static final int PORT = 9187;
    private final PostgresExporterProps props;

    public PostgresExporter(Construct scope, String id, PostgresExporterProps props) {
        super(scope, id, spec(scope, props));
        this.props = props;
    }

    private static Spec spec(Construct scope, PostgresExporterProps props) {
        PostgresHA db = props.database();
        return new Spec("postgres-exporter-" + props.member(), "postgres-exporter", ScrapeTarget.ORDER_DATABASE,
                EnvironmentChart.of(scope).environment().images().monitoring().postgresExporter(), PORT, MonitoringPods.NOBODY,
                List.of(K8s.env("DATA_SOURCE_URI", db.podHost(props.member()) + ":" + db.port() + "/" + db.database()
                                + "?sslmode=disable"),
                        K8s.env("DATA_SOURCE_USER", db.monitorUser()),
                        // postgres_exporter reads the password from the file DATA_SOURCE_PASS_FILE names.
                        K8s.env("DATA_SOURCE_PASS_FILE", SECRETS_DIR + "/password")),
                MonitoringPods.secretFile("secrets", props.secrets().name(), props.secrets().key(db.monitorPasswordKey()), "password"),
                MetricSets.postgresExporter());
    }

    /** To its member. */
    @Override
    public List<Connection> connections() {
        return List.of(Connection.of(peer(), props.database().membersPeer(), "postgres-exporter reads its member",
                NetworkPort.tcp(PostgresHA.PORT)));
    }
}
