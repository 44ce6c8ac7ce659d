package keyboss.charts;

import java.util.Map;

/**
 * How an environment is monitored beyond the shop's own stack.
 *
 * @param prometheusOperator   whether the cluster runs the Prometheus Operator (then
 *                             ServiceMonitors are written for its central Prometheus).
 * @param serviceMonitorLabels labels its Prometheus selects ServiceMonitors by ({@code release: prometheus} on deti).
 * @param endpointLabel        the name the probe exporter's {@code endpoint} label arrives under:
 *                             the central Prometheus renames it {@code exported_endpoint} (seed 4.7.1).
 * @param centralGrafana       whether a central Grafana's sidecar picks dashboards up from ConfigMaps.
 */
public record MonitoringSettings(boolean prometheusOperator, Map<String, String> serviceMonitorLabels,
        String endpointLabel, boolean centralGrafana) {

    public MonitoringSettings {
        serviceMonitorLabels = Map.copyOf(serviceMonitorLabels);
    }

    /** Only the shop's own stack. */
    public static MonitoringSettings standalone() {
        return new MonitoringSettings(false, Map.of(), "endpoint", false);
    }

    /** Also a central Prometheus Operator (release: prometheus) and Grafana, as on deti. */
    public static MonitoringSettings central() {
        return new MonitoringSettings(true, Map.of("release", "prometheus"), "exported_endpoint", true);
    }
}
