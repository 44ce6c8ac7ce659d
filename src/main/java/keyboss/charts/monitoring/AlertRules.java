package keyboss.charts.monitoring;

import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BaseBackups;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.env.MetricCatalog;
import keyboss.charts.data.PgBackRest;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.RestoreDrill;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.Storefront;
import keyboss.charts.data.ValkeyBackup;
import keyboss.charts.data.ValkeySentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * The shop's alerting rules (seed 4.4, tables 8-9), the multi-window burn-rate alerts of the
 * CUJ SLOs (table 6), the synthetic-probe alert, and the HA and backup failure modes (replication
 * lag, no streaming standby, two primaries, no leader, a failover, the HA manager down,
 * Sentinel master switch, WAL archiving, failed or old
 * backups), built from the constructs they watch so that a renamed Deployment cannot leave an
 * alert looking at nothing. Every metric they read is produced by an exporter of
 * {@link MonitoringStack} or declared by the environment ({@link MetricCatalog}).
 */
public final class AlertRules {

    /** Checkout (CUJ1) SLO: fewer than 1% of API requests answer 5xx. */
    public static final double CHECKOUT_ERROR_BUDGET = 0.01;
    /** Key delivery (CUJ2) SLO: workers available 99% of the time. */
    public static final double WORKER_UNAVAILABILITY_BUDGET = 0.01;

    private AlertRules() {
    }

    /** Every rule for the shop in {@code namespace}. */
    public static List<AlertRule> forShop(String namespace, String probeLabel, SaleorApi api, Storefront storefront,
            CeleryWorkers workers, PostgresHA postgres, ValkeySentinel valkey, BackupCronJob backup) {
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
                apiErrorRatio(namespace, api.name(), "5m") + " > 0.05",
                "5m", AlertRule.Severity.WARNING, api.name(),
                "More than 5% of API requests fail with 5xx",
                "{{ $value | humanizePercentage }} of requests to the Saleor API answered 5xx over 5 minutes. Check the"
                        + " API's logs, the database connection (POSTGRES_HOST) and recent deploys."));
        rules.add(new AlertRule("HighAPILatency",
                "histogram_quantile(0.99, sum by (le) (rate(traefik_service_request_duration_seconds_bucket{"
                        + traefikService(namespace, api.name()) + "}[5m]))) > 2",
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
                window -> apiErrorRatio(namespace, api.name(), window),
                CHECKOUT_ERROR_BUDGET, "checkout error budget (5xx under 1%)",
                "Check the API's errors (HighAPIErrorRate), its logs and the database."));
        String available = "kube_deployment_status_replicas_available{" + ns + ",deployment=\"" + workers.name() + "\"}";
        rules.addAll(burnRate("KeyDeliveryAvailabilityBurn", workers.name(),
                window -> "1 - avg_over_time((" + available + " > bool 0)[" + window + ":1m])",
                WORKER_UNAVAILABILITY_BUDGET, "key delivery availability budget (workers up 99%)",
                "Check the celery-worker pods, their liveness ping and the Sentinels."));
        rules.add(backupTooOld(namespace, backup));
        rules.addAll(probeAndHa(ns, probeLabel, postgres, valkey, backup));
        return List.copyOf(rules);
    }

    /**
     * The database backup is older than its schedule allows: the longest gap between two runs of
     * {@code backup}'s schedule (a day for a daily run, 31 days for a monthly one), plus 2 h for
     * the run itself.
     */
    public static AlertRule backupTooOld(String namespace, BackupCronJob backup) {
        long maxAge = backup.maxIntervalSeconds() + 2 * 3600;
        return new AlertRule("BackupTooOld",
                "time() - kube_cronjob_status_last_successful_time{namespace=\"" + namespace + "\",cronjob=\""
                        + backup.name() + "\"} > " + maxAge,
                "10m", AlertRule.Severity.WARNING, backup.name(),
                "The newest successful database backup is older than its schedule allows",
                "The last successful run of {{ $labels.cronjob }} was {{ $value | humanizeDuration }} ago; the"
                        + " schedule promises one at least every " + backup.maxIntervalSeconds() / 3600
                        + " h (plus 2 h of grace). Check the CronJob's last Jobs and their logs, and the backup volume's free space.");
    }

    /** The synthetic-probe alert and the HA and backup failure modes. */
    private static List<AlertRule> probeAndHa(String ns, String probeLabel, PostgresHA postgres, ValkeySentinel valkey,
            BackupCronJob backup) {
        List<AlertRule> rules = new ArrayList<>();
        rules.add(new AlertRule("KeybossEndpointDown",
                "max by (" + probeLabel + ") (keyboss_probe_success{" + ns + "}) == 0",
                "1m", AlertRule.Severity.CRITICAL, "{{ $labels." + probeLabel + " }}",
                "The synthetic probe of {{ $labels." + probeLabel + " }} fails",
                "keyboss-exporter has not had an answer below 400 from {{ $labels." + probeLabel + " }} for a minute"
                        + " (it probes every 15 s): users see what it sees. Check keyboss_probe_status_code for the"
                        + " status (0: no answer or timeout), the component's pods and the ingress."));
        // The alerts' own "service" label names the construct, so series keep apart by "instance".
        String pg = ns + ",service=~\"postgres-exporter-.*\"";
        rules.add(new AlertRule("PostgresReplicationLagHigh",
                "max by (namespace, instance) (pg_replication_lag_seconds{" + pg + "}) > 30",
                "2m", AlertRule.Severity.WARNING, postgres.name(),
                "The PostgreSQL standby behind {{ $labels.instance }} replays WAL more than 30 s late",
                "A failover now would lose up to {{ $value | humanizeDuration }} of acknowledged writes. Check the"
                        + " standby's load and disk, the network to the primary, and long queries on the standby"
                        + " (hot_standby conflicts)."));
        String primaryUp = "(pg_replication_is_replica{" + pg + "} == 0) and on (instance) (pg_up{" + pg + "} == 1)";
        rules.add(new AlertRule("PostgresNoStreamingStandby",
                "(" + primaryUp + ") unless on (instance) (pg_stat_replication_pg_wal_lsn_diff{" + pg + ",state=\"streaming\"})",
                "2m", AlertRule.Severity.CRITICAL, postgres.name(),
                "The PostgreSQL primary behind {{ $labels.service }} has no streaming standby",
                "No standby streams WAL from the primary (pg_stat_replication), so a failover has nothing to promote"
                        + " and the RPO is no longer near zero. Check the standby pod, its bootstrap init container"
                        + " and the replication role's password."));
        rules.add(new AlertRule("PostgresTwoPrimaries",
                "count(" + primaryUp + ") > 1",
                "1m", AlertRule.Severity.CRITICAL, postgres.name(),
                "Two PostgreSQL servers accept writes as primary",
                "Both postgres pods are out of recovery: writes may land on either (split brain). Patroni's"
                        + " lease should make this impossible. Check which member holds the leader lease (the"
                        + " Endpoints `" + postgres.name() + "`, annotation leader) and Patroni's log on the other,"
                        + " which must demote itself or be stopped."));
        String patroni = ns + ",job=\"patroni\"";
        rules.add(new AlertRule("PostgresLeaderMissing",
                "max by (scope) (patroni_cluster_unlocked{" + patroni + "}) == 1",
                "1m", AlertRule.Severity.CRITICAL, postgres.name(),
                "No PostgreSQL member holds the leader lease of {{ $labels.scope }}",
                "Patroni reports the cluster unlocked for over a minute: no primary accepts writes. A failover"
                        + " takes at most the lease's ttl plus a loop, so this is more. Check that a member is"
                        + " healthy enough to be promoted (synchronous, not lagging), Patroni's log on each"
                        + " and whether the members reach the API server."));
        rules.add(new AlertRule("PostgresLeaderChanged",
                // The cluster's timeline is its leader's (a replica may report 0 until it knows it): a
                // promotion raises the maximum, a replica's restart or a full restart does not.
                "changes((max by (scope) (patroni_postgres_timeline{" + patroni + "}))[10m:1m]) > 0",
                "0s", AlertRule.Severity.WARNING, postgres.name(),
                "PostgreSQL {{ $labels.scope }} failed over in the last 10 minutes",
                "A member was promoted (the timeline changed). Check why the old primary lost the lease (its"
                        + " Patroni log, the node, the API server) and that it re-joined as standby with pg_rewind."));
        rules.add(new AlertRule("PatroniDown",
                "up{" + patroni + "} == 0",
                "2m", AlertRule.Severity.CRITICAL, postgres.name(),
                "Patroni on {{ $labels.instance }} does not answer",
                "The HA manager of this member is not running or not reachable, so the member can neither"
                        + " take over nor be watched. Check the postgres pod's patroni container and its log."));
        rules.add(new AlertRule("ValkeySentinelMasterSwitched",
                "count by (master_name) (count by (master_name, master_address) (max_over_time(redis_sentinel_master_status{"
                        + ns + ",job=\"redis-sentinel\"}[10m]))) > 1",
                "0s", AlertRule.Severity.WARNING, valkey.sentinelName(),
                "Sentinel switched the Valkey master {{ $labels.master_name }} in the last 10 minutes",
                "The Sentinels promoted a replica. Check why the old master failed, that it re-joined as replica"
                        + " (redis_connected_slaves), and that Celery reconnected through the Sentinels."));
        rules.add(new AlertRule("PostgresWALArchiveFailing",
                "rate(pg_stat_archiver_failed_count{" + pg + "}[5m]) > 0",
                "10m", AlertRule.Severity.WARNING, postgres.name(),
                "WAL archiving on {{ $labels.service }} keeps failing",
                "archive_command has failed repeatedly for 10 minutes: WAL piles up on the volume and point-in-time"
                        + " recovery has a gap. Check the archive target and the server log (only where"
                        + " archive_mode is on)."));
        String cronJob = "{" + ns + ",cronjob=\"" + backup.name() + "\"}";
        rules.add(new AlertRule("BackupFailed",
                "kube_cronjob_status_last_schedule_time" + cronJob + " - kube_cronjob_status_last_successful_time" + cronJob + " > 0",
                "1h", AlertRule.Severity.WARNING, backup.name(),
                "The last scheduled run of {{ $labels.cronjob }} has not succeeded within an hour",
                "The CronJob started a backup over an hour ago and no run has succeeded since. Check its last Job"
                        + " (kubectl get jobs), the pod's log, the database connection and the backup volume's free space."));
        return rules;
    }

    /**
     * The alerts of the backups that leave the cluster ({@link BaseBackups}, {@link RestoreDrill},
     * {@link ValkeyBackup}): WAL archive stale, base backup failed or too old, restore drill
     * failed or too old, Valkey snapshot too old. Archiving failures are
     * {@code PostgresWALArchiveFailing} of {@link #forShop}.
     */
    public static List<AlertRule> forBackups(String namespace, PostgresHA postgres, BaseBackups base, RestoreDrill drill,
            ValkeyBackup valkey) {
        String ns = "namespace=\"" + namespace + "\"";
        String pg = ns + ",service=~\"postgres-exporter-.*\"";
        List<AlertRule> rules = new ArrayList<>();
        long staleSeconds = 15L * PgBackRest.ARCHIVE_TIMEOUT_SECONDS;
        // Only the primary archives; an idle primary writes no WAL and archives nothing, so the age
        // counts only while WAL moves (its current position, as the standbys' rows report it).
        rules.add(new AlertRule("PostgresWALArchiveStale",
                "max by (namespace, instance) (pg_stat_archiver_last_archive_age{" + pg + "}) > " + staleSeconds
                        + " and on (namespace, instance) (pg_replication_is_replica{" + pg + "} == 0)"
                        + " and on (namespace, instance) (max by (namespace, instance) (delta(pg_stat_replication_pg_current_wal_lsn_bytes{"
                        + pg + "}[15m])) > 0)",
                "5m", AlertRule.Severity.CRITICAL, postgres.name(),
                "The PostgreSQL primary behind {{ $labels.instance }} has archived no WAL for over " + staleSeconds / 60 + " minutes",
                "WAL is being written but the newest archived segment is {{ $value | humanizeDuration }} old, while"
                        + " archive_timeout pushes one at least every " + PgBackRest.ARCHIVE_TIMEOUT_SECONDS + " s: a"
                        + " disaster now loses everything since. Check archive_command in the patroni container's log"
                        + " (pgbackrest archive-push), the object store and its credentials."));
        String baseSel = "{" + ns + ",cronjob=~\"" + base.fullName() + "|" + base.diffName() + "\"}";
        long baseMax = base.maxIntervalSeconds() + 2 * 3600;
        rules.add(new AlertRule("BaseBackupTooOld",
                "time() - max by (namespace) (kube_cronjob_status_last_successful_time" + baseSel + ") > " + baseMax,
                "10m", AlertRule.Severity.WARNING, base.fullName(),
                "The newest successful base backup is older than its schedules allow",
                "The last successful full or differential base backup was {{ $value | humanizeDuration }} ago; the"
                        + " schedules promise one at least every " + base.maxIntervalSeconds() / 3600 + " h (plus 2 h of"
                        + " grace), and point-in-time recovery replays all WAL since. Check the CronJobs "
                        + base.fullName() + " and " + base.diffName() + ", their Jobs' logs and the object store."));
        rules.add(cronJobFailed("BaseBackupFailed", ns, base.fullName() + "|" + base.diffName(), base.fullName(),
                base.deadlineSeconds(), "base backup",
                "Check the Job's log (pgbackrest backup, the members' pgBackRest servers on port " + PgBackRest.TLS_PORT
                        + ", the object store) and whether a standby streams (the drill manifest needs one)."));
        rules.add(cronJobFailed("BackupRestoreDrillFailed", ns, drill.name(), drill.name(), drill.deadlineSeconds(),
                "restore drill",
                "The newest backup did not restore to what was recorded, or could not be restored: its log names"
                        + " each table that differs (DIFFERENCE: ...) or the step that failed. Treat the backups as"
                        + " suspect until a drill passes."));
        long drillMax = drill.maxIntervalSeconds() + 6 * 3600;
        rules.add(new AlertRule("BackupRestoreDrillTooOld",
                "time() - kube_cronjob_status_last_successful_time{" + ns + ",cronjob=\"" + drill.name() + "\"} > " + drillMax,
                "10m", AlertRule.Severity.WARNING, drill.name(),
                "No restore drill has passed for longer than its schedule allows",
                "The last passing drill was {{ $value | humanizeDuration }} ago; its schedule runs one every "
                        + drill.maxIntervalSeconds() / 3600 + " h (plus 6 h of grace). Nobody knows whether the"
                        + " backups restore. Check the CronJob " + drill.name() + " and its Jobs."));
        long valkeyMax = valkey.maxIntervalSeconds() + 2 * 3600;
        rules.add(new AlertRule("ValkeySnapshotTooOld",
                "time() - kube_cronjob_status_last_successful_time{" + ns + ",cronjob=\"" + valkey.name() + "\"} > " + valkeyMax,
                "10m", AlertRule.Severity.WARNING, valkey.name(),
                "The newest Valkey snapshot in the object store is older than its schedule allows",
                "The last successful snapshot was {{ $value | humanizeDuration }} ago; the schedule promises one every "
                        + valkey.maxIntervalSeconds() / 60 + " min (plus 2 h of grace). Check the CronJob "
                        + valkey.name() + ", the Sentinels and the object store."));
        return List.copyOf(rules);
    }

    /**
     * A CronJob whose last scheduled run has not succeeded within the Job's deadline: either an
     * older success than the last schedule, or no success at all (kube-state-metrics then has no
     * last-successful series).
     */
    private static AlertRule cronJobFailed(String name, String ns, String cronJobs, String service, long deadlineSeconds,
            String what, String check) {
        String sel = "{" + ns + ",cronjob=~\"" + cronJobs + "\"}";
        String forDuration = (deadlineSeconds + 600) / 60 + "m";
        return new AlertRule(name,
                "(kube_cronjob_status_last_schedule_time" + sel + " - kube_cronjob_status_last_successful_time" + sel + " > 0)"
                        + " or (kube_cronjob_status_last_schedule_time" + sel + " unless on (namespace, cronjob)"
                        + " kube_cronjob_status_last_successful_time" + sel + ")",
                forDuration, AlertRule.Severity.WARNING, service,
                "The last scheduled " + what + " ({{ $labels.cronjob }}) has not succeeded",
                "{{ $labels.cronjob }} started a run and none has succeeded since, for longer than a Job may run ("
                        + deadlineSeconds / 60 + " min). " + check);
    }

    /** Traefik's services of the API in this namespace: {@code <namespace>-<service>-<port>@kubernetes}. */
    private static String traefikService(String namespace, String apiName) {
        return "service=~\"" + namespace + "-" + apiName + "-.*\"";
    }

    /** The share of requests to the API answered with 5xx over {@code window}, as Traefik counts them. */
    public static String apiErrorRatio(String namespace, String apiName, String window) {
        String requests = "traefik_service_requests_total{" + traefikService(namespace, apiName);
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
