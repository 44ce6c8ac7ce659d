package keyboss.charts;

import java.util.List;

/** The seed's three Grafana dashboards (4.7.3), as code, from the constructs they show. */
public final class Dashboards {

    private Dashboards() {
    }

    /**
     * @param endpointLabel the probe exporter's endpoint label as the Prometheus in use sees it
     *                      ({@code endpoint}, or {@code exported_endpoint} behind the central one).
     */
    public static List<GrafanaDashboard> forShop(String namespace, String endpointLabel, SaleorApi api,
            Storefront storefront, CeleryWorkers workers, PostgresHA postgres, ValkeySentinel valkey, BackupCronJob backup) {
        String ns = "namespace=\"" + namespace + "\"";
        String apiService = "service=~\".*" + api.name() + ".*\"";
        GrafanaDashboard business = new GrafanaDashboard("keyboss-business-health", "KeyBoss Business & API Health", List.of(
                GrafanaDashboard.Panel.stat("GraphQL P99 latency", "s",
                        "histogram_quantile(0.99, sum by (le) (rate(traefik_service_request_duration_seconds_bucket{" + apiService + "}[5m])))"),
                GrafanaDashboard.Panel.stat("API 5xx ratio", "percentunit", AlertRules.apiErrorRatio(api.name(), "5m")),
                GrafanaDashboard.Panel.graph("Requests per second by code", "reqps",
                        "sum by (code) (rate(traefik_service_requests_total{" + apiService + "}[5m]))"),
                GrafanaDashboard.Panel.graph("Synthetic probe duration by endpoint", "s",
                        "max by (" + endpointLabel + ") (keyboss_probe_duration_seconds)"),
                GrafanaDashboard.Panel.graph("Synthetic probe success by endpoint", "percentunit",
                        "max by (" + endpointLabel + ") (keyboss_probe_success)"),
                GrafanaDashboard.Panel.graph("Checkout error budget burn rate (1h)", "none",
                        "(" + AlertRules.apiErrorRatio(api.name(), "1h") + ") / " + AlertRules.CHECKOUT_ERROR_BUDGET)));
        GrafanaDashboard platform = new GrafanaDashboard("keyboss-platform-reliability", "KeyBoss Platform Reliability", List.of(
                GrafanaDashboard.Panel.graph("Available replicas", "none",
                        "kube_deployment_status_replicas_available{" + ns + ",deployment=~\"" + api.name() + "|" + workers.name() + "|" + storefront.name() + "\"}"),
                GrafanaDashboard.Panel.graph("HPA replicas vs maximum", "none",
                        "kube_horizontalpodautoscaler_status_current_replicas{" + ns + "}",
                        "kube_horizontalpodautoscaler_spec_max_replicas{" + ns + "}"),
                GrafanaDashboard.Panel.stat("Data layer pods ready", "none",
                        "sum(kube_statefulset_status_replicas_ready{" + ns + ",statefulset=~\"" + postgres.name() + "|" + valkey.name() + "\"})"),
                GrafanaDashboard.Panel.stat("Hours since last backup", "h",
                        "(time() - kube_cronjob_status_last_successful_time{" + ns + ",cronjob=\"" + backup.name() + "\"}) / 3600"),
                GrafanaDashboard.Panel.graph("Pod restarts (1h)", "none",
                        "sum by (pod) (increase(kube_pod_container_status_restarts_total{" + ns + "}[1h]))"),
                GrafanaDashboard.Panel.graph("Memory of limit by pod", "percentunit",
                        "max by (pod) (container_memory_working_set_bytes{" + ns + ",container!=\"\"}) / max by (pod) (kube_pod_container_resource_limits{" + ns + ",resource=\"memory\"})"),
                GrafanaDashboard.Panel.graph("CPU by pod", "cores",
                        "sum by (pod) (rate(container_cpu_usage_seconds_total{" + ns + ",container!=\"\"}[5m]))")));
        GrafanaDashboard infra = new GrafanaDashboard("keyboss-infra", "KeyBoss PostgreSQL & Redis", List.of(
                GrafanaDashboard.Panel.stat("PostgreSQL up", "none", "pg_up{service=~\"postgres-exporter-.*\"}"),
                GrafanaDashboard.Panel.stat("PostgreSQL role (1 = standby)", "none", "pg_replication_is_replica{service=~\"postgres-exporter-.*\"}"),
                GrafanaDashboard.Panel.graph("Replication lag", "s", "pg_replication_lag_seconds{service=~\"postgres-exporter-.*\"}"),
                GrafanaDashboard.Panel.graph("Connections to " + postgres.database(), "none",
                        "sum by (service) (pg_stat_activity_count{datname=\"" + postgres.database() + "\"})"),
                GrafanaDashboard.Panel.graph("Transactions per second", "ops",
                        "sum by (service) (rate(pg_stat_database_xact_commit{datname=\"" + postgres.database() + "\"}[5m]))"),
                GrafanaDashboard.Panel.stat("Valkey up", "none", "redis_up{job=\"redis-exporter\"}"),
                GrafanaDashboard.Panel.graph("Valkey memory", "bytes", "redis_memory_used_bytes{job=\"redis-exporter\"}"),
                GrafanaDashboard.Panel.graph("Keyspace hits and misses", "ops",
                        "rate(redis_keyspace_hits_total{job=\"redis-exporter\"}[5m])",
                        "rate(redis_keyspace_misses_total{job=\"redis-exporter\"}[5m])")));
        return List.of(business, platform, infra);
    }
}
