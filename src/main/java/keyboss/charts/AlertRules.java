package keyboss.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * The shop's alerting rules (seed 4.4, tables 8-9), the multi-window burn-rate alerts of the
 * CUJ SLOs (table 6) and the backup-age alert, built from the constructs they watch so that a
 * renamed Deployment cannot leave an alert looking at nothing.
 */
public final class AlertRules {

    /** Checkout (CUJ1) SLO: fewer than 1% of API requests answer 5xx. */
    public static final double CHECKOUT_ERROR_BUDGET = 0.01;
    /** Key delivery (CUJ2) SLO: workers available 99% of the time. */
    public static final double WORKER_UNAVAILABILITY_BUDGET = 0.01;

    private AlertRules() {
    }

    /** Every rule for the shop in {@code namespace}. */
    public static List<AlertRule> forShop(String namespace, SaleorApi api, Storefront storefront, CeleryWorkers workers,
            PostgresHA postgres, ValkeySentinel valkey, BackupCronJob backup) {
        String ns = "namespace=\"" + namespace + "\"";
        List<AlertRule> rules = new ArrayList<>();
        rules.add(down("SaleorAPIDown", ns, api.name(), "the Saleor API", "checkout (CUJ1) fails"));
        rules.add(down("StorefrontDown", ns, storefront.name(), "the storefront", "the shop's pages do not load"));
        rules.add(down("CeleryWorkerDown", ns, workers.name(), "the Celery workers", "bought keys are not delivered (CUJ2)"));
        rules.add(notAllReady("PostgreSQLDown", ns, postgres.name(), "PostgreSQL",
                "the database runs without its standby or has lost its primary. Check the postgres pods,"
                        + " Patroni's log (container patroni) and the Endpoints it holds the lease in."));
        rules.add(notAllReady("RedisDown", ns, valkey.name(), "Valkey",
                "the broker and cache run without a replica. Check the redis pods and ask a Sentinel which master"
                        + " it sees (SENTINEL get-master-addr-by-name)."));
        rules.add(new AlertRule("HighAPIErrorRate",
                apiErrorRatio(api.name(), "5m") + " > 0.05",
                "5m", AlertRule.Severity.WARNING, api.name(),
                "More than 5% of API requests fail with 5xx",
                "{{ $value | humanizePercentage }} of requests to the Saleor API answered 5xx over 5 minutes. Check the"
                        + " API's logs, the database connection (POSTGRES_HOST) and recent deploys."));
        rules.add(new AlertRule("HighAPILatency",
                "histogram_quantile(0.99, sum by (le) (rate(traefik_service_request_duration_seconds_bucket{service=~\".*"
                        + api.name() + ".*\"}[5m]))) > 2",
                "5m", AlertRule.Severity.WARNING, api.name(),
                "API P99 latency is above 2 s",
                "The 99th percentile of API response time is {{ $value | humanizeDuration }}, above the checkout SLO"
                        + " of 2 s. Check the database (slow queries, replication), the API's CPU and the HPA."));
        rules.add(new AlertRule("PodCrashLooping",
                "rate(kube_pod_container_status_restarts_total{" + ns + "}[5m]) * 60 > 1",
                "5m", AlertRule.Severity.WARNING, "{{ $labels.container }}",
                "Container {{ $labels.container }} of {{ $labels.pod }} restarts more than once a minute",
                "The container keeps restarting. Check its previous logs (kubectl logs --previous), its probes and"
                        + " whether it is killed for memory."));
        rules.add(overLimit("HighMemoryUsage", "max by (namespace, pod, container) (container_memory_working_set_bytes{"
                + ns + ",container!=\"\"})", ns, "memory", "Memory", "0.85", "85%",
                "the container will be OOM-killed at 100%. Check for a leak, or raise the limit in the construct's resources."));
        rules.add(overLimit("HighCPUUsage", "sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{"
                + ns + ",container!=\"\"}[5m]))", ns, "cpu", "CPU", "0.9", "90%",
                "the container is throttled. Check the load and the HPA, or raise the limit."));
        rules.add(new AlertRule("HPAMaxedOut",
                "kube_horizontalpodautoscaler_status_current_replicas{" + ns + "} >= "
                        + "kube_horizontalpodautoscaler_spec_max_replicas{" + ns + "}",
                "10m", AlertRule.Severity.WARNING, "{{ $labels.horizontalpodautoscaler }}",
                "{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 10 minutes",
                "Autoscaling has no headroom left: the load may outgrow the service. Check the load, then raise"
                        + " maxReplicas in the construct's autoscaling or add capacity."));
        rules.addAll(burnRate("CheckoutErrorBudgetBurn", api.name(),
                window -> apiErrorRatio(api.name(), window),
                CHECKOUT_ERROR_BUDGET, "checkout error budget (5xx under 1%)",
                "Check the API's errors (HighAPIErrorRate), its logs and the database."));
        String available = "kube_deployment_status_replicas_available{" + ns + ",deployment=\"" + workers.name() + "\"}";
        rules.addAll(burnRate("KeyDeliveryAvailabilityBurn", workers.name(),
                window -> "1 - avg_over_time((" + available + " > bool 0)[" + window + ":1m])",
                WORKER_UNAVAILABILITY_BUDGET, "key delivery availability budget (workers up 99%)",
                "Check the celery-worker pods, their liveness ping and the Sentinels."));
        long maxAge = backup.maxIntervalSeconds() + 2 * 3600;
        rules.add(new AlertRule("BackupTooOld",
                "time() - kube_cronjob_status_last_successful_time{" + ns + ",cronjob=\"" + backup.name() + "\"} > " + maxAge,
                "10m", AlertRule.Severity.WARNING, backup.name(),
                "The newest successful database backup is older than its schedule allows",
                "The last successful run of {{ $labels.cronjob }} was {{ $value | humanizeDuration }} ago; the"
                        + " schedule promises one at least every " + backup.maxIntervalSeconds() / 3600
                        + " h (plus 2 h of grace). Check the CronJob's last Jobs and their logs, and the backup volume's free space."));
        return List.copyOf(rules);
    }

    /** The share of requests to the API answered with 5xx over {@code window}, as Traefik counts them. */
    public static String apiErrorRatio(String apiName, String window) {
        String requests = "traefik_service_requests_total{service=~\".*" + apiName + ".*\"";
        return "sum(rate(" + requests + ",code=~\"5..\"}[" + window + "])) / sum(rate(" + requests + "}[" + window + "]))";
    }

    /** A container using more than {@code threshold} of its {@code resource} limit for 10 minutes. */
    private static AlertRule overLimit(String name, String usage, String ns, String resource, String shown,
            String threshold, String percent, String consequence) {
        return new AlertRule(name, usage + " / on (namespace, pod, container) kube_pod_container_resource_limits{" + ns
                        + ",resource=\"" + resource + "\"} > " + threshold,
                "10m", AlertRule.Severity.WARNING, "{{ $labels.container }}",
                "Container {{ $labels.container }} of {{ $labels.pod }} uses more than " + percent + " of its "
                        + (resource.equals("cpu") ? "CPU" : resource) + " limit",
                shown + " is at {{ $value | humanizePercentage }} of the limit; " + consequence);
    }

    /** A threshold as PromQL reads it, without floating-point noise. */
    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static AlertRule notAllReady(String name, String ns, String statefulSet, String what, String impact) {
        String selector = "{" + ns + ",statefulset=\"" + statefulSet + "\"}";
        return new AlertRule(name, "kube_statefulset_status_replicas_ready" + selector + " < kube_statefulset_replicas" + selector,
                "1m", AlertRule.Severity.CRITICAL, statefulSet,
                "A " + what + " pod of {{ $labels.statefulset }} is not ready",
                "Fewer " + what + " pods are ready than desired: " + impact);
    }

    private static AlertRule down(String name, String ns, String deployment, String what, String impact) {
        return new AlertRule(name,
                "kube_deployment_status_replicas_available{" + ns + ",deployment=\"" + deployment + "\"} == 0",
                "2m", AlertRule.Severity.CRITICAL, deployment,
                "No replica of " + what + " is available",
                "Deployment {{ $labels.deployment }} has had no available replica for 2 minutes: " + impact
                        + ". Check its pods (kubectl get pods -l app.kubernetes.io/name=" + deployment
                        + "), their events and logs.");
    }

    /**
     * Multi-window, multi-burn-rate alerts (Google SRE workbook): page when the budget burns 14.4
     * times too fast over 1 h and 5 min, open a ticket at 6 times over 6 h and 30 min.
     */
    private static List<AlertRule> burnRate(String name, String service, java.util.function.Function<String, String> ratio,
            double budget, String what, String check) {
        return List.of(
                new AlertRule(name + "Fast", "(" + ratio.apply("1h") + ") > " + number(14.4 * budget) + " and ("
                        + ratio.apply("5m") + ") > " + number(14.4 * budget), "2m", AlertRule.Severity.CRITICAL, service,
                        "The " + what + " burns 14.4 times too fast",
                        "At this rate the month's budget is gone in about two days (1 h and 5 min windows). " + check),
                new AlertRule(name + "Slow", "(" + ratio.apply("6h") + ") > " + number(6 * budget) + " and ("
                        + ratio.apply("30m") + ") > " + number(6 * budget), "15m", AlertRule.Severity.WARNING, service,
                        "The " + what + " burns 6 times too fast",
                        "At this rate the month's budget is gone in about five days (6 h and 30 min windows). " + check));
    }
}
