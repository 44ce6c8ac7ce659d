package keyboss.charts.monitoring;

import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.K8s;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.model.Rendering;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.JsonPatch;
import org.cdk8s.plus25.k8s.ConfigMapVolumeSource;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.Volume;
import software.constructs.Construct;

/**
 * Grafana (objects {@code grafana-*}) served under {@link #ROUTE_PREFIX} of the public URL, with
 * its login (anonymous access, sign-up and organisation creation off, stated explicitly), its
 * Prometheus as the default datasource and the dashboards {@link #addDashboards} gives it,
 * provisioned from a ConfigMap (labelled for the sidecar of a central Grafana where the
 * environment has one). The admin password is read from a file of the Secret.
 */
public class Grafana extends Component {

    /** Its port: the container's, the Service's and the Ingress route's. */
    public static final NamedPort PORT = new NamedPort("grafana", 3000);
    /** Where it serves everything, on the public host. */
    public static final String ROUTE_PREFIX = "/grafana/";
    /** Its health path, which also checks its database: readiness, and the probe exporter's target. */
    public static final String HEALTH_PATH = ROUTE_PREFIX + "api/health";
    /** Where Grafana finds its admin password file. */
    static final String SECRETS_DIR = "/etc/grafana/secrets";
    static final String NAME = "grafana";
    private static final int GRAFANA_UID = 472;
    private static final Size DATA = Size.mi(128);
    private static final Size TMP = Size.mi(16);

    private final Prometheus prometheus;
    private final KubeConfigMap dashboardsConfig;
    private final KubeDeployment deployment;
    private final List<GrafanaDashboard> dashboards = new ArrayList<>();

    public Grafana(Construct scope, String id, GrafanaProps props) {
        super(scope, id);
        this.prometheus = props.prometheus();
        String passwordKey = props.adminPasswordKey() != null ? props.adminPasswordKey() : "GRAFANA_ADMIN_PASSWORD";
        ContainerResources resources = props.resources() != null ? props.resources()
                : ContainerResources.of("50m", "128Mi", "500m", "256Mi");
        Map<String, String> labels = MonitoringPods.labels(NAME);
        new KubeConfigMap(this, "grafana-provisioning", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-provisioning", labels))
                .data(Map.of(
                        "datasources.yaml", Rendering.toYaml(Map.of("apiVersion", 1, "datasources", List.of(Map.of(
                                "name", "Prometheus", "uid", "prometheus", "type", "prometheus", "access", "proxy",
                                "url", prometheus.internalUrl(), "isDefault", true)))),
                        "dashboards.yaml", Rendering.toYaml(Map.of("apiVersion", 1, "providers", List.of(Map.of(
                                "name", "keyboss", "type", "file", "folder", "KeyBoss", "allowUiUpdates", false,
                                "options", Map.of("path", "/var/lib/grafana/dashboards")))))))
                .build());
        Map<String, String> dashboardLabels = new LinkedHashMap<>(labels);
        if (environment.monitoring().centralGrafana()) {
            dashboardLabels.put("grafana_dashboard", "1");
        }
        this.dashboardsConfig = new KubeConfigMap(this, "grafana-dashboards", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-dashboards", Map.copyOf(dashboardLabels)))
                .data(dashboardFiles())
                .build());
        // Ready: /api/health answers (it checks Grafana's database). Alive: the server accepts connections.
        this.deployment = MonitoringPods.server(this, new MonitoringPods.Server(NAME, PORT, environment.images().monitoring().grafana(),
                HEALTH_PATH, null, GRAFANA_UID, List.of(),
                List.of(
                        // Grafana reads any setting from a file named by <VARIABLE>__FILE: the password stays out of the environment.
                        K8s.env("GF_SECURITY_ADMIN_PASSWORD__FILE", SECRETS_DIR + "/admin-password"),
                        // Logs to the container's output only (the image's default also writes /var/log/grafana, read-only here).
                        K8s.env("GF_LOG_MODE", "console"),
                        K8s.env("GF_SERVER_ROOT_URL", environment.publicUrl() + ROUTE_PREFIX),
                        K8s.env("GF_SERVER_SERVE_FROM_SUB_PATH", "true"),
                        K8s.env("GF_ANALYTICS_REPORTING_ENABLED", "false"),
                        // Grafana is public: stated explicitly, so a changed default cannot open it.
                        K8s.env("GF_AUTH_ANONYMOUS_ENABLED", "false"),
                        K8s.env("GF_AUTH_DISABLE_LOGIN_FORM", "false"),
                        K8s.env("GF_USERS_ALLOW_SIGN_UP", "false"),
                        K8s.env("GF_USERS_ALLOW_ORG_CREATE", "false"),
                        K8s.env("GF_SNAPSHOTS_EXTERNAL_ENABLED", "false"),
                        K8s.env("GF_SECURITY_COOKIE_SECURE", Boolean.toString(environment.secureCookies()))),
                List.of(Volume.builder().name("provisioning").configMap(ConfigMapVolumeSource.builder().name("grafana-provisioning")
                                .items(List.of(KeyToPath.builder().key("datasources.yaml").path("datasources/datasources.yaml").build(),
                                        KeyToPath.builder().key("dashboards.yaml").path("dashboards/dashboards.yaml").build()))
                                .build()).build(),
                        K8s.configMapVolume("dashboards", "grafana-dashboards"),
                        // Grafana's data path: its SQLite database, sessions and plugin folder.
                        K8s.scratchVolume("data", DATA),
                        // Temporary files of the server (rendered images, uploads).
                        K8s.scratchVolume("tmp", TMP),
                        MonitoringPods.secretFile("admin-password", props.secrets().name(), props.secrets().key(passwordKey),
                                "admin-password")),
                List.of(K8s.readOnlyMount("provisioning", "/etc/grafana/provisioning"),
                        K8s.readOnlyMount("dashboards", "/var/lib/grafana/dashboards"), K8s.mount("data", "/var/lib/grafana"),
                        K8s.mount("tmp", "/tmp"), K8s.readOnlyMount("admin-password", SECRETS_DIR)),
                null, resources, List.of(DATA, TMP)));
    }

    /** Provisions {@code more} (besides those added before), each as {@code <uid>.json}. */
    public void addDashboards(List<GrafanaDashboard> more) {
        dashboards.addAll(more);
        // The whole data object: the first dashboards find none there to add to.
        dashboardsConfig.addJsonPatch(JsonPatch.add("/data", dashboardFiles()));
    }

    private Map<String, String> dashboardFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        for (GrafanaDashboard d : dashboards) {
            files.put(d.uid() + ".json", Rendering.toJson(d.toJson("prometheus")));
        }
        // Sorted by file name: a patch is applied after cdk8s sorts an object's keys, so it sorts its own.
        return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(files));
    }

    public List<GrafanaDashboard> dashboards() {
        return List.copyOf(dashboards);
    }

    /** Its Service's name (the pods' and the Deployment's too). */
    public String serviceName() {
        return NAME;
    }

    /** Its pods, standing for its Deployment. */
    public NetworkPeer peer() {
        return MonitoringPods.peer(NAME, deployment);
    }

    /** To its datasource, without waiting: it starts first and shows the rest of the sync. */
    public List<Connection> connections() {
        return List.of(Connection.of(peer(), prometheus.peer(), "Grafana's datasource", Prometheus.PORT.tcp()).withoutWaiting());
    }
}
