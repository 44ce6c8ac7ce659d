package keyboss.charts.env;

import keyboss.charts.monitoring.MonitoringStack;

import java.util.List;
import java.util.Map;

/**
 * The metric families the exporters this library deploys expose, with their own labels (before
 * a scrape adds target labels), for the versions pinned in {@link MonitoringImages}. Only the
 * families the rules and dashboards read, and their neighbours, are listed; a query of a family
 * missing here fails the provenance test, which is the point: add it here after checking the
 * exporter's source or documentation for that version.
 */
public final class MetricSets {

    private MetricSets() {
    }

    /**
     * postgres_exporter v0.15.0: {@code pg_up}; the {@code replication} collector (no labels;
     * lag is 0 on a primary and on a standby that has replayed all it received); the built-in
     * queries {@code pg_stat_replication} (one series per connected standby, on the primary),
     * {@code pg_stat_archiver} and {@code pg_stat_activity} (label {@code server}); the
     * {@code stat_database} collector.
     */
    public static Map<String, List<String>> postgresExporter() {
        List<String> replication = List.of("application_name", "client_addr", "slot_name", "state", "server");
        return Map.ofEntries(
                Map.entry("pg_up", List.of()),
                Map.entry("pg_replication_lag_seconds", List.of()),
                Map.entry("pg_replication_is_replica", List.of()),
                Map.entry("pg_stat_replication_pg_wal_lsn_diff", replication),
                Map.entry("pg_stat_replication_pg_current_wal_lsn_bytes", replication),
                Map.entry("pg_stat_archiver_archived_count", List.of("server")),
                Map.entry("pg_stat_archiver_failed_count", List.of("server")),
                Map.entry("pg_stat_archiver_last_archive_age", List.of("server")),
                Map.entry("pg_stat_activity_count", List.of("datname", "state", "usename", "application_name", "server")),
                Map.entry("pg_stat_database_xact_commit", List.of("datid", "datname")),
                Map.entry("pg_stat_database_xact_rollback", List.of("datid", "datname")));
    }

    /**
     * Patroni 4.1.5's own {@code GET /metrics} on its REST API (port {@value PostgresHA#API_PORT},
     * no authentication for reads), every family labelled {@code scope} (the cluster) and
     * {@code name} (the member): patroni/api.py, {@code do_GET_metrics}.
     */
    public static Map<String, List<String>> patroni() {
        List<String> member = List.of("scope", "name");
        return Map.ofEntries(
                Map.entry("patroni_primary", member),
                Map.entry("patroni_replica", member),
                Map.entry("patroni_sync_standby", member),
                Map.entry("patroni_postgres_running", member),
                Map.entry("patroni_postgres_streaming", member),
                Map.entry("patroni_postgres_timeline", member),
                Map.entry("patroni_cluster_unlocked", member),
                Map.entry("patroni_dcs_last_seen", member),
                Map.entry("patroni_xlog_location", member),
                Map.entry("patroni_is_paused", member));
    }

    /** redis_exporter v1.62.0 scraping a Valkey server. */
    public static Map<String, List<String>> redisExporter() {
        return Map.of(
                "redis_up", List.of(),
                "redis_memory_used_bytes", List.of(),
                "redis_keyspace_hits_total", List.of(),
                "redis_keyspace_misses_total", List.of(),
                "redis_connected_slaves", List.of(),
                "redis_instance_info", List.of("role", "redis_version", "redis_build_id", "redis_mode", "os",
                        "maxmemory_policy", "tcp_port", "run_id", "process_id"));
    }

    /** redis_exporter v1.62.0 scraping a Sentinel (its {@code /scrape?target=} endpoint). */
    public static Map<String, List<String>> redisExporterSentinel() {
        List<String> master = List.of("master_name", "master_address");
        return Map.of(
                "redis_up", List.of(),
                "redis_sentinel_masters", List.of(),
                "redis_sentinel_master_status", List.of("master_name", "master_address", "master_status"),
                "redis_sentinel_master_ok_sentinels", master,
                "redis_sentinel_master_ok_slaves", master,
                "redis_sentinel_master_slaves", master);
    }

    /** kube-state-metrics v2.13.0, for the resources {@link MonitoringStack} enables. */
    public static Map<String, List<String>> kubeStateMetrics() {
        List<String> deployment = List.of("namespace", "deployment");
        List<String> statefulSet = List.of("namespace", "statefulset");
        List<String> hpa = List.of("namespace", "horizontalpodautoscaler");
        List<String> cronJob = List.of("namespace", "cronjob");
        return Map.ofEntries(
                Map.entry("kube_deployment_status_replicas_available", deployment),
                Map.entry("kube_deployment_spec_replicas", deployment),
                Map.entry("kube_statefulset_status_replicas_ready", statefulSet),
                Map.entry("kube_statefulset_replicas", statefulSet),
                Map.entry("kube_horizontalpodautoscaler_status_current_replicas", hpa),
                Map.entry("kube_horizontalpodautoscaler_spec_max_replicas", hpa),
                Map.entry("kube_horizontalpodautoscaler_spec_min_replicas", hpa),
                Map.entry("kube_pod_container_status_restarts_total", List.of("namespace", "pod", "container", "uid")),
                Map.entry("kube_pod_container_resource_limits",
                        List.of("namespace", "pod", "container", "node", "resource", "unit", "uid")),
                Map.entry("kube_cronjob_status_last_successful_time", cronJob),
                Map.entry("kube_cronjob_status_last_schedule_time", cronJob),
                Map.entry("kube_job_status_failed", List.of("namespace", "job_name", "reason")),
                Map.entry("kube_job_owner", List.of("namespace", "job_name", "owner_kind", "owner_name", "owner_is_controller")));
    }

    /** The keyboss probe exporter (images/keyboss-exporter; seed table 10). */
    public static Map<String, List<String>> keybossExporter() {
        return Map.of(
                "keyboss_probe_success", List.of("endpoint"),
                "keyboss_probe_duration_seconds", List.of("endpoint"),
                "keyboss_probe_status_code", List.of("endpoint"),
                "keyboss_probe_runs_total", List.of("endpoint", "result"),
                "keyboss_catalogue_products_total", List.of(),
                "keyboss_graphql_up", List.of(),
                "keyboss_graphql_query_seconds", List.of(),
                "keyboss_build_info", List.of("version", "environment"));
    }

    /** The kubelet's cAdvisor endpoint ({@code /metrics/cadvisor}): per-container usage. */
    public static Map<String, List<String>> cadvisor() {
        List<String> container = List.of("namespace", "pod", "container", "id", "image", "name");
        return Map.of(
                "container_cpu_usage_seconds_total", List.of("namespace", "pod", "container", "id", "image", "name", "cpu"),
                "container_memory_working_set_bytes", container);
    }

    /** Traefik's Prometheus metrics, per Traefik service ({@code <namespace>-<service>-<port>@kubernetes}). */
    public static Map<String, List<String>> traefik() {
        List<String> request = List.of("code", "method", "protocol", "service");
        return Map.of(
                "traefik_service_requests_total", request,
                "traefik_service_request_duration_seconds_bucket", List.of("code", "method", "protocol", "service", "le"),
                "traefik_service_request_duration_seconds_count", request,
                "traefik_service_request_duration_seconds_sum", request);
    }
}
