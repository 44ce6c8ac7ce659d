package keyboss.charts.env;

import keyboss.charts.model.SecretContract;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an environment is monitored beyond the shop's own stack, and where alerts go.
 *
 * @param prometheusOperator   whether the cluster runs the Prometheus Operator (then
 *                             ServiceMonitors are written for its central Prometheus).
 * @param serviceMonitorLabels labels its Prometheus selects ServiceMonitors by ({@code release: prometheus} on deti).
 * @param centralGrafana       whether a central Grafana's sidecar picks dashboards up from ConfigMaps
 *                             (its datasource is the central Prometheus, so the dashboards must
 *                             be fed there too).
 * @param centralPrometheusUrl the central Prometheus, inside the cluster, that the shop's
 *                             Prometheus federates {@code clusterMetrics} from; null where the
 *                             shop's Prometheus scrapes the cluster itself.
 * @param clusterMetrics       what the central Prometheus holds for every tenant (declared: Traefik,
 *                             cAdvisor, kube-state-metrics on deti).
 * @param critical             receiver of critical alerts.
 * @param warning              receiver of warnings.
 */
public record MonitoringSettings(boolean prometheusOperator, Map<String, String> serviceMonitorLabels,
        boolean centralGrafana, String centralPrometheusUrl, List<ClusterMetrics> clusterMetrics,
        AlertReceiver critical, AlertReceiver warning) {

    /** The Secret key holding the alert webhook URL by default. */
    public static final String ALERT_WEBHOOK_URL = SecretContract.ALERT_WEBHOOK_URL;

    public MonitoringSettings {
        serviceMonitorLabels = Map.copyOf(serviceMonitorLabels);
        clusterMetrics = List.copyOf(clusterMetrics);
        List<String> problems = new ArrayList<>();
        if (critical == null || warning == null) {
            problems.add("critical and warning receivers are required, e.g. AlertReceiver.webhook(\"" + ALERT_WEBHOOK_URL + "\")");
        }
        if (centralPrometheusUrl != null) {
            URI uri = URI.create(centralPrometheusUrl);
            if (uri.getHost() == null || !List.of("http", "https").contains(uri.getScheme())) {
                problems.add("centralPrometheusUrl '" + centralPrometheusUrl + "' is not an http(s) URL with a host");
            }
        }
        if (centralPrometheusUrl == null && !clusterMetrics.isEmpty() && !centralGrafana) {
            problems.add("clusterMetrics are declared but nothing reads them: set centralPrometheusUrl (federation) or centralGrafana");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("MonitoringSettings are invalid:\n  - " + String.join("\n  - ", problems));
        }
    }

    /**
     * Only the shop's own stack, which scrapes the cluster itself where it may. Alerts go to
     * the webhook URL in Secret key {@value #ALERT_WEBHOOK_URL}; {@code bin/create-secrets}
     * generates an obviously local one for a development cluster (see README, "Alert delivery").
     */
    public static MonitoringSettings standalone() {
        AlertReceiver webhook = AlertReceiver.webhook(ALERT_WEBHOOK_URL);
        return new MonitoringSettings(false, Map.of(), false, null, List.of(), webhook, webhook);
    }

    /**
     * A shared cluster with a central Prometheus Operator (release {@code prometheus}) and
     * Grafana, as on deti: ServiceMonitors for the exporters; Traefik, cAdvisor and
     * kube-state-metrics come from the central Prometheus, which the shop's Prometheus
     * federates (at the Service kube-prometheus-stack names after the release, in namespace
     * {@code monitoring}: override with {@link #withCentralPrometheusUrl} if it lives elsewhere).
     * Alerts go to the webhook URL in Secret key {@value #ALERT_WEBHOOK_URL}.
     */
    public static MonitoringSettings central() {
        AlertReceiver webhook = AlertReceiver.webhook(ALERT_WEBHOOK_URL);
        return new MonitoringSettings(true, Map.of("release", "prometheus"), true,
                "http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090",
                List.of(ClusterMetrics.traefik(), ClusterMetrics.cadvisor(), ClusterMetrics.kubeStateMetrics()),
                webhook, webhook);
    }

    public MonitoringSettings withReceivers(AlertReceiver criticalReceiver, AlertReceiver warningReceiver) {
        return new MonitoringSettings(prometheusOperator, serviceMonitorLabels, centralGrafana, centralPrometheusUrl,
                clusterMetrics, criticalReceiver, warningReceiver);
    }

    public MonitoringSettings withCentralPrometheusUrl(String url) {
        return new MonitoringSettings(prometheusOperator, serviceMonitorLabels, centralGrafana, url, clusterMetrics,
                critical, warning);
    }

    /** The Secret keys the receivers read, each once. */
    public List<String> receiverSecretKeys() {
        List<String> keys = new ArrayList<>();
        for (AlertReceiver r : List.of(critical, warning)) {
            r.secretKeys().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        }
        return keys;
    }
}
