package keyboss.charts.monitoring;

import keyboss.charts.data.BackupCronJob;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.Storefront;
import keyboss.charts.data.ValkeySentinel;

import java.util.List;

/**
 * The seed's three Grafana dashboards (4.7.3), as code, from the constructs they show. Every
 * query reads only families its Prometheus holds (checked by the provenance test) and picks this
 * tenant's series by {@code namespace} (or Traefik's service prefix), since on a shared cluster
 * the central Prometheus also holds other tenants' exporters of the same names.
 */
public final class Dashboards {

    private Dashboards() {
    }

    /**
     * @param probeLabel the probe exporter's endpoint label as the Prometheuses see it
     *                   ({@code exported_endpoint}: both scrapes set their own {@code endpoint}).
     */
    public static List<GrafanaDashboard> forShop(String namespace, String probeLabel, SaleorApi api,
            Storefront storefront, CeleryWorkers workers, PostgresHA postgres, ValkeySentinel valkey, BackupCronJob backup) {
        String ns = "namespace=\"" + namespace + "\"";
        String apiService = "service=~\"" + namespace + "-" + api.name() + "-.*\"";
        String probe = "{" + ns + "}";
        GrafanaDashboard business = new GrafanaDashboard("keyboss-business-health", "KeyBoss Business & API Health", List.of(
                GrafanaDashboard.Panel.graph("Synthetic probe success by endpoint", "none",
                        "max by (" + probeLabel + ") (keyboss_probe_success" + probe + ")"),
                GrafanaDashboard.Panel.stat("Products in the catalogue", "none", "max(keyboss_catalogue_products_total" + probe + ")"),
                GrafanaDashboard.Panel.stat("Probe availability (5m)", "percentunit",
                        "sum(rate(keyboss_probe_runs_total{" + ns + ",result=\"success\"}[5m])) / sum(rate(keyboss_probe_runs_total" + probe + "[5m]))"),
                GrafanaDashboard.Panel.graph("Synthetic probe duration by endpoint", "s",
                        "max by (" + probeLabel + ") (keyboss_probe_duration_seconds" + probe + ")"),
                GrafanaDashboard.Panel.graph("Probe latency percentiles (storefront, graphql_api)", "s",
                        "quantile_over_time(0.5, keyboss_probe_duration_seconds{" + ns + "," + probeLabel + "=~\"storefront|graphql_api\"}[30m])",
                        "quantile_over_time(0.95, keyboss_probe_duration_seconds{" + ns + "," + probeLabel + "=~\"storefront|graphql_api\"}[30m])",
                        "quantile_over_time(0.99, keyboss_probe_duration_seconds{" + ns + "," + probeLabel + "=~\"storefront|graphql_api\"}[30m])"),
                GrafanaDashboard.Panel.stat("GraphQL P99 latency", "s",
                        "histogram_quantile(0.99, sum by (le) (rate(traefik_service_request_duration_seconds_bucket{" + apiService + "}[5m])))"),
                GrafanaDashboard.Panel.stat("API 5xx ratio", "percentunit", AlertRules.apiErrorRatio(namespace, api.name(), "5m")),
                GrafanaDashboard.Panel.graph("Requests per second by code", "reqps",
                        "sum by (code) (rate(traefik_service_requests_total{" + apiService + "}[5m]))"),
                GrafanaDashboard.Panel.graph("Checkout error budget burn rate (1h)", "none",
                        "(" + AlertRules.apiErrorRatio(namespace, api.name(), "1h") + ") / " + AlertRules.CHECKOUT_ERROR_BUDGET)));
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
        String pg = "{" + ns + ",service=~\"postgres-exporter-.*\"}";
        String redis = "{" + ns + ",service=\"redis-exporter\"}";
        GrafanaDashboard infra = new GrafanaDashboard("keyboss-infra", "KeyBoss PostgreSQL & Redis", List.of(
                GrafanaDashboard.Panel.stat("PostgreSQL up", "none", "pg_up" + pg),
                GrafanaDashboard.Panel.stat("PostgreSQL role (1 = standby)", "none", "pg_replication_is_replica" + pg),
                GrafanaDashboard.Panel.graph("Replication lag", "s", "pg_replication_lag_seconds" + pg),
                GrafanaDashboard.Panel.stat("Streaming standbys", "none",
                        "count by (service) (pg_stat_replication_pg_wal_lsn_diff{" + ns + ",service=~\"postgres-exporter-.*\",state=\"streaming\"})"),
                GrafanaDashboard.Panel.graph("Connections to " + postgres.database(), "none",
                        "sum by (service) (pg_stat_activity_count{" + ns + ",service=~\"postgres-exporter-.*\",datname=\"" + postgres.database() + "\"})"),
                GrafanaDashboard.Panel.graph("Transactions per second", "ops",
                        "sum by (service) (rate(pg_stat_database_xact_commit{" + ns + ",service=~\"postgres-exporter-.*\",datname=\"" + postgres.database() + "\"}[5m]))"),
                GrafanaDashboard.Panel.stat("Valkey up", "none", "redis_up" + redis),
                GrafanaDashboard.Panel.graph("Valkey memory", "bytes", "redis_memory_used_bytes" + redis),
                GrafanaDashboard.Panel.graph("Keyspace hits and misses", "ops",
                        "rate(redis_keyspace_hits_total" + redis + "[5m])",
                        "rate(redis_keyspace_misses_total" + redis + "[5m])")));
        return List.of(business, platform, infra);
    }
}
