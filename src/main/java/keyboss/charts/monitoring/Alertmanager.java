package keyboss.charts.monitoring;

import keyboss.charts.env.AlertReceiver;
import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.K8s;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.core.Problems;
import keyboss.charts.model.Rendering;
import keyboss.charts.model.SecretContract;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.Volume;
import software.constructs.Construct;

/**
 * Alertmanager (objects {@code alertmanager-*}): critical and warning routes, grouped by alert
 * and service, warnings inhibited by a critical of the same service, each route to the receiver
 * the environment's {@link MonitoringSettings} names. Receivers read their URLs and passwords from
 * the Secret, mounted read-only at {@link AlertReceiver#SECRETS_DIR}; a key they name that the
 * Secret contract lacks is reported. Not routed on the public host: reached inside the cluster
 * or through {@code kubectl port-forward}, at {@link #LOCAL_URL}.
 */
public class Alertmanager extends Component {

    /** Its port: the container's, the Service's, and Prometheus' and the probe's connections'. */
    public static final NamedPort PORT = new NamedPort("alertmanager", 9093);
    /** Where it serves everything. */
    public static final String ROUTE_PREFIX = "/alertmanager/";
    /** Its external URL: {@code kubectl port-forward svc/alertmanager 9093} (not routed publicly). */
    public static final String LOCAL_URL = "http://localhost:" + PORT.number() + ROUTE_PREFIX;
    /** Its readiness path under its route prefix; the probe exporter asks it through the Service. */
    public static final String READY_PATH = ROUTE_PREFIX + "-/ready";
    static final String NAME = "alertmanager";
    private static final String RECEIVER_SECRETS_VOLUME = "receiver-secrets";

    private final KubeDeployment deployment;

    public Alertmanager(Construct scope, String id, AlertmanagerProps props) {
        super(scope, id);
        SecretContract secrets = props.secrets();
        Size data = props.dataSize() != null ? props.dataSize() : Size.mi(64);
        ContainerResources resources = props.resources() != null ? props.resources()
                : ContainerResources.of("20m", "32Mi", "200m", "128Mi");
        MonitoringSettings settings = environment.monitoring();
        Map<String, String> labels = MonitoringPods.labels(NAME);
        new KubeConfigMap(this, "alertmanager-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("alertmanager-config", labels))
                .data(Map.of("alertmanager.yml", Rendering.toYaml(config(settings))))
                .build());
        List<KeyToPath> receiverKeys = new ArrayList<>();
        for (String key : settings.receiverSecretKeys()) {
            if (secrets.keyNames().contains(key)) {
                receiverKeys.add(KeyToPath.builder().key(secrets.key(key)).path(key).build());
            } else {
                Problems.report(this, "monitoring.receivers", key, "a key of Secret " + secrets.name() + " "
                        + secrets.keyNames(), "add the key to the Secret contract, or name one it declares");
            }
        }
        this.deployment = MonitoringPods.server(this, new MonitoringPods.Server(NAME, PORT,
                environment.images().monitoring().alertmanager(), READY_PATH, ROUTE_PREFIX + "-/healthy", MonitoringPods.NOBODY,
                List.of("--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
                        "--web.external-url=" + LOCAL_URL, "--web.route-prefix=" + ROUTE_PREFIX),
                // Alertmanager's silences and notification log (--storage.path), kept while the pod lives.
                List.of(), List.of(K8s.configMapVolume("config", "alertmanager-config"), K8s.scratchVolume("data", data),
                        Volume.builder().name(RECEIVER_SECRETS_VOLUME).secret(SecretVolumeSource.builder()
                                .secretName(secrets.name()).items(List.copyOf(receiverKeys)).build()).build()),
                List.of(K8s.readOnlyMount("config", "/etc/alertmanager"), K8s.mount("data", "/alertmanager"),
                        K8s.readOnlyMount(RECEIVER_SECRETS_VOLUME, AlertReceiver.SECRETS_DIR)), null,
                resources, List.of(data)));
    }

    /**
     * alertmanager.yml: critical and warning routes, grouping by alert and service, warnings
     * inhibited by a critical of the same service, each route to the environment's receiver.
     */
    private static Map<String, Object> config(MonitoringSettings settings) {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", "warning");
        route.put("group_by", List.of("alertname", "service"));
        route.put("group_wait", "30s");
        route.put("group_interval", "5m");
        route.put("repeat_interval", "4h");
        route.put("routes", List.of(
                Map.of("matchers", List.of("severity=\"critical\""), "receiver", "critical", "group_wait", "10s",
                        "repeat_interval", "1h"),
                Map.of("matchers", List.of("severity=\"warning\""), "receiver", "warning")));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("route", route);
        c.put("inhibit_rules", List.of(Map.of("source_matchers", List.of("severity=\"critical\""),
                "target_matchers", List.of("severity=\"warning\""), "equal", List.of("service"))));
        Map<String, Object> critical = new LinkedHashMap<>(Map.of("name", "critical"));
        critical.putAll(settings.critical().toAlertmanager());
        Map<String, Object> warning = new LinkedHashMap<>(Map.of("name", "warning"));
        warning.putAll(settings.warning().toAlertmanager());
        c.put("receivers", List.of(critical, warning));
        return c;
    }

    /** Its Service's name (the pods' and the Deployment's too). */
    public String serviceName() {
        return NAME;
    }

    /** Its Service inside the namespace, without a trailing slash. */
    public String internalUrl() {
        return "http://" + PORT.address(NAME);
    }

    /** Its pods, standing for its Deployment. */
    public NetworkPeer peer() {
        return MonitoringPods.peer(NAME, deployment);
    }

    /** To the alert webhook, whose URL is a Secret value and so any address on 443 or 80. */
    public List<Connection> connections() {
        return List.of(Connection.of(peer(), NetworkPeer.addresses("alert-webhook", "0.0.0.0/0"),
                "the alert webhook (its URL is a Secret value)", NetworkPort.tcp(443), NetworkPort.tcp(80)));
    }
}
