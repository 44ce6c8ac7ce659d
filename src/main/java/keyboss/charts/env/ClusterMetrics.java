package keyboss.charts.env;

import java.util.List;
import java.util.Map;

/**
 * Metric families a cluster's central Prometheus holds for every tenant, declared by the
 * {@link Environment} (nothing here can ask the cluster): the producer, the labels the series
 * carry there, and which label picks this tenant's series out of everyone's.
 *
 * @param producer     who scrapes them, for messages and the README.
 * @param tenantLabel  the label that tells tenants apart ({@code namespace}, or Traefik's {@code service}).
 * @param tenantRegex  its value for this tenant, with {@code {namespace}} standing for the namespace.
 * @param families     family name to labels, as the central Prometheus stores them.
 */
public record ClusterMetrics(String producer, String tenantLabel, String tenantRegex, Map<String, List<String>> families) {

    public ClusterMetrics {
        families = Map.copyOf(families);
    }

    /** Labels a central kube-prometheus-stack scrape adds to a kubelet or exporter target. */
    private static final List<String> TARGET = List.of("job", "instance", "endpoint", "service", "node", "metrics_path");

    /** cAdvisor through the kubelet, per container, selected by {@code namespace}. */
    public static ClusterMetrics cadvisor() {
        return new ClusterMetrics("the central Prometheus' kubelet/cAdvisor job", "namespace", "{namespace}",
                withTarget(MetricSets.cadvisor(), TARGET));
    }

    /**
     * Traefik's metrics, per Traefik service, selected by its {@code service} label
     * ({@code <namespace>-<service>-<port>@kubernetes}). Declared with Traefik's own labels plus
     * {@code job} and {@code instance}: the central scrape keeps Traefik's {@code service}
     * label (a ServiceMonitor would rename it {@code exported_service}; change this declaration
     * if yours does, and the provenance test names every query to fix).
     */
    public static ClusterMetrics traefik() {
        return new ClusterMetrics("the central Prometheus' Traefik job", "service", "{namespace}-.*",
                withTarget(MetricSets.traefik(), List.of("job", "instance")));
    }

    /** The central kube-state-metrics, cluster-wide, selected by {@code namespace}. */
    public static ClusterMetrics kubeStateMetrics() {
        return new ClusterMetrics("the central kube-state-metrics", "namespace", "{namespace}",
                withTarget(MetricSets.kubeStateMetrics(), List.of("job", "instance")));
    }

    /** The federation selector of {@code family} for this tenant, e.g. {@code {__name__="x",namespace=~"ns"}}. */
    public String federationMatch(String family, String namespace) {
        return "{__name__=\"" + family + "\"," + tenantLabel + "=~\"" + tenantRegex.replace("{namespace}", namespace) + "\"}";
    }

    private static Map<String, List<String>> withTarget(Map<String, List<String>> families, List<String> target) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        families.forEach((name, labels) -> {
            List<String> all = new java.util.ArrayList<>(labels);
            target.stream().filter(l -> !all.contains(l)).forEach(all::add);
            out.put(name, List.copyOf(all));
        });
        return out;
    }
}
