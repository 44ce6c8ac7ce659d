package keyboss.charts;

import keyboss.charts.env.AlertReceiver;
import keyboss.charts.monitoring.AlertRule;
import keyboss.charts.monitoring.AlertRules;
import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.app.CeleryWorkersProps;
import keyboss.charts.network.Connection;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.app.Dashboard;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.lab.Exec;
import keyboss.charts.monitoring.Exporter;
import keyboss.charts.monitoring.GrafanaDashboard;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.env.MetricCatalog;
import keyboss.charts.env.MetricSets;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.monitoring.MonitoringStack;
import keyboss.charts.lab.MonitoringTools;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Problems;
import keyboss.charts.monitoring.Prometheus;
import keyboss.charts.model.Rendering;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.SaleorApiProps;
import keyboss.charts.monitoring.ScrapeTarget;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.ShopIngressProps;
import keyboss.charts.app.Storefront;
import keyboss.charts.cli.Synthesizer;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MonitoringStack checked with the real tools: promtool (rules, unit tests of every alert,
 * every dashboard query) and amtool (Alertmanager configuration).
 */
class MonitoringTest {

    private static final String NS = "tenant-keyboss";
    /** The seed's 11, four burn-rate alerts, backup age, the probe alert and six HA and backup failure modes. */
    private static final int RULES = 32;

    private static String data(String env, String configMap, String key) {
        return (String) Manifest.map(find(Fixtures.builtIn(env), "ConfigMap", configMap).object().get("data")).get(key);
    }

    private static String promtool() {
        return Exec.require("promtool", "apt-get install -y prometheus");
    }

    @Test
    void rulesPassPromtoolAndSaySomething(@TempDir Path tmp) throws IOException {
        for (String env : List.of("local", "deti")) {
            Path rules = tmp.resolve(env + ".rules.yml");
            Files.writeString(rules, data(env, "prometheus-rules", "keyboss.rules.yml"));
            Exec.Result r = Exec.run(List.of(promtool(), "check", "rules", rules.toString()), Map.of(), 60);
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("SUCCESS: " + RULES + " rules found"), r.output());
        }
        MonitoringStack stack = Fixtures.builtInChart("deti").monitoring();
        for (String name : List.of("SaleorAPIDown", "StorefrontDown", "CeleryWorkerDown", "PostgreSQLDown", "RedisDown",
                "HighAPIErrorRate", "HighAPILatency", "PodCrashLooping", "HighMemoryUsage", "HighCPUUsage", "HPAMaxedOut",
                "CheckoutErrorBudgetBurnFast", "CheckoutErrorBudgetBurnSlow", "KeyDeliveryAvailabilityBurnFast",
                "KeyDeliveryAvailabilityBurnSlow", "BackupTooOld", "KeybossEndpointDown", "PostgresReplicationLagHigh",
                "PostgresNoStreamingStandby", "PostgresTwoPrimaries", "PostgresLeaderMissing", "PostgresLeaderChanged",
                "PatroniDown", "ValkeySentinelMasterSwitched",
                "PostgresWALArchiveFailing", "BackupFailed")) {
            AlertRule rule = stack.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
            assertTrue(rule.summary().length() > 10 && rule.description().contains("Check"), name + " says what to check");
        }
        Map<String, String> expected = Map.of("SaleorAPIDown", "2m", "StorefrontDown", "2m", "CeleryWorkerDown", "2m",
                "PostgreSQLDown", "1m", "RedisDown", "1m", "HighAPIErrorRate", "5m", "HighAPILatency", "5m",
                "PodCrashLooping", "5m", "HighMemoryUsage", "10m", "HPAMaxedOut", "10m");
        expected.forEach((name, duration) -> assertEquals(duration, stack.rules().stream()
                .filter(r -> r.name().equals(name)).findFirst().orElseThrow().forDuration(), name));
    }

    /** One alert's unit test: series that should fire it, when it must not fire yet, when it must. */
    private record Case(String alert, Map<String, String> firing, Map<String, String> healthy, String before,
            String after, Map<String, String> labels) {
    }

    private static Map<String, String> m(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    private static List<Case> cases() {
        String api = "service=\"" + NS + "-saleor-api-http@kubernetes\"";
        List<Case> c = new ArrayList<>();
        for (String[] d : new String[][] {{"SaleorAPIDown", "saleor-api"}, {"StorefrontDown", "saleor-storefront"},
                {"CeleryWorkerDown", "celery-worker"}}) {
            String s = "kube_deployment_status_replicas_available{namespace=\"" + NS + "\",deployment=\"" + d[1] + "\"}";
            c.add(new Case(d[0], m(s, "0x40"), m(s, "2x40"), "1m30s", "2m30s",
                    m("severity", "critical", "service", d[1], "namespace", NS, "deployment", d[1])));
        }
        for (String[] d : new String[][] {{"PostgreSQLDown", "postgres"}, {"RedisDown", "redis"}}) {
            String ready = "kube_statefulset_status_replicas_ready{namespace=\"" + NS + "\",statefulset=\"" + d[1] + "\"}";
            String desired = "kube_statefulset_replicas{namespace=\"" + NS + "\",statefulset=\"" + d[1] + "\"}";
            c.add(new Case(d[0], m(ready, "1x40", desired, "2x40"), m(ready, "2x40", desired, "2x40"), "30s", "1m30s",
                    m("severity", "critical", "service", d[1], "namespace", NS, "statefulset", d[1])));
        }
        String ok = "traefik_service_requests_total{" + api + ",code=\"200\"}";
        String err = "traefik_service_requests_total{" + api + ",code=\"500\"}";
        c.add(new Case("HighAPIErrorRate", m(ok, "0+60x40", err, "0+6x40"), m(ok, "0+60x40", err, "0x40"), "4m", "10m",
                m("severity", "warning", "service", "saleor-api")));
        String b = "traefik_service_request_duration_seconds_bucket{" + api + ",le=\"";
        c.add(new Case("HighAPILatency",
                m(b + "0.5\"}", "0+1x40", b + "2\"}", "0+1x40", b + "5\"}", "0+60x40", b + "+Inf\"}", "0+60x40"),
                m(b + "0.5\"}", "0+60x40", b + "2\"}", "0+60x40", b + "5\"}", "0+60x40", b + "+Inf\"}", "0+60x40"),
                "4m", "10m", m("severity", "warning", "service", "saleor-api")));
        String restarts = "kube_pod_container_status_restarts_total{namespace=\"" + NS + "\",pod=\"saleor-api-1\",container=\"saleor-api\"}";
        c.add(new Case("PodCrashLooping", m(restarts, "0+2x40"), m(restarts, "0x40"), "4m", "10m",
                m("severity", "warning", "service", "saleor-api", "namespace", NS, "pod", "saleor-api-1", "container", "saleor-api")));
        String pod = "namespace=\"" + NS + "\",pod=\"saleor-api-1\",container=\"saleor-api\"";
        c.add(new Case("HighMemoryUsage",
                m("container_memory_working_set_bytes{" + pod + "}", "900x40", "kube_pod_container_resource_limits{" + pod + ",resource=\"memory\"}", "1000x40"),
                m("container_memory_working_set_bytes{" + pod + "}", "100x40", "kube_pod_container_resource_limits{" + pod + ",resource=\"memory\"}", "1000x40"),
                "9m", "11m", m("severity", "warning", "service", "saleor-api", "namespace", NS, "pod", "saleor-api-1", "container", "saleor-api")));
        // rate() over 5m ramps up during the series' first 5 minutes, so the condition holds from about 5m.
        c.add(new Case("HighCPUUsage",
                m("container_cpu_usage_seconds_total{" + pod + "}", "10000+57x40", "kube_pod_container_resource_limits{" + pod + ",resource=\"cpu\"}", "1x40"),
                m("container_cpu_usage_seconds_total{" + pod + "}", "0+6x40", "kube_pod_container_resource_limits{" + pod + ",resource=\"cpu\"}", "1x40"),
                "13m", "16m", m("severity", "warning", "service", "saleor-api", "namespace", NS, "pod", "saleor-api-1", "container", "saleor-api")));
        String hpa = "namespace=\"" + NS + "\",horizontalpodautoscaler=\"saleor-api-hpa\"";
        c.add(new Case("HPAMaxedOut",
                m("kube_horizontalpodautoscaler_status_current_replicas{" + hpa + "}", "6x40", "kube_horizontalpodautoscaler_spec_max_replicas{" + hpa + "}", "6x40"),
                m("kube_horizontalpodautoscaler_status_current_replicas{" + hpa + "}", "2x40", "kube_horizontalpodautoscaler_spec_max_replicas{" + hpa + "}", "6x40"),
                "9m", "11m", m("severity", "warning", "service", "saleor-api-hpa", "namespace", NS, "horizontalpodautoscaler", "saleor-api-hpa")));
        c.add(new Case("CheckoutErrorBudgetBurnFast", m(ok, "0+60x40", err, "0+30x40"), m(ok, "0+60x40", err, "0x40"), "2m", "5m",
                m("severity", "critical", "service", "saleor-api")));
        c.add(new Case("CheckoutErrorBudgetBurnSlow", m(ok, "0+60x40", err, "0+30x40"), m(ok, "0+60x40", err, "0x40"), "10m", "20m",
                m("severity", "warning", "service", "saleor-api")));
        String workers = "kube_deployment_status_replicas_available{namespace=\"" + NS + "\",deployment=\"celery-worker\"}";
        for (String[] d : new String[][] {{"KeyDeliveryAvailabilityBurnFast", "critical", "1m", "5m"},
                {"KeyDeliveryAvailabilityBurnSlow", "warning", "10m", "20m"}}) {
            // Active from the first evaluation: "before" is under the for of 2m and 15m.
            c.add(new Case(d[0], m(workers, "0x40"), m(workers, "2x40"), d[2], d[3],
                    m("severity", d[1], "service", "celery-worker", "namespace", NS, "deployment", "celery-worker")));
        }
        String backup = "kube_cronjob_status_last_successful_time{namespace=\"" + NS + "\",cronjob=\"postgres-backup\"}";
        c.add(new Case("BackupTooOld", m(backup, "0x1700"), m(backup, "0+60x1700"), "26h5m", "26h20m",
                m("severity", "warning", "service", "postgres-backup", "namespace", NS, "cronjob", "postgres-backup")));
        c.addAll(haCases());
        return c;
    }

    /** The probe alert and the HA and backup failure modes, on the series their exporters produce. */
    private static List<Case> haCases() {
        List<Case> c = new ArrayList<>();
        String probe = "keyboss_probe_success{namespace=\"" + NS + "\",job=\"keyboss-exporter\",exported_endpoint=\"storefront\"}";
        c.add(new Case("KeybossEndpointDown", m(probe, "0x40"), m(probe, "1x40"), "30s", "2m",
                m("severity", "critical", "service", "storefront", "exported_endpoint", "storefront")));
        // As the in-namespace scrape labels them (MetricCatalog): job, instance, namespace, service, endpoint.
        String pg0 = "{namespace=\"" + NS + "\",job=\"postgres-exporter\",endpoint=\"metrics\",service=\"postgres-exporter-0\","
                + "instance=\"postgres-exporter-0:9187\"}";
        String pg1 = "{namespace=\"" + NS + "\",job=\"postgres-exporter\",endpoint=\"metrics\",service=\"postgres-exporter-1\","
                + "instance=\"postgres-exporter-1:9187\"}";
        c.add(new Case("PostgresReplicationLagHigh", m("pg_replication_lag_seconds" + pg1, "60x40", "pg_replication_lag_seconds" + pg0, "0x40"),
                m("pg_replication_lag_seconds" + pg1, "2x40", "pg_replication_lag_seconds" + pg0, "0x40"), "1m", "3m",
                m("severity", "warning", "service", "postgres", "namespace", NS, "instance", "postgres-exporter-1:9187")));
        String streaming = "pg_stat_replication_pg_wal_lsn_diff{namespace=\"" + NS + "\",service=\"postgres-exporter-0\",instance=\"postgres-exporter-0:9187\","
                + "state=\"streaming\",application_name=\"postgres-1\",server=\"postgres-0.postgres:5432\"}";
        c.add(new Case("PostgresNoStreamingStandby",
                m("pg_replication_is_replica" + pg0, "0x40", "pg_up" + pg0, "1x40", "pg_replication_is_replica" + pg1, "1x40", "pg_up" + pg1, "1x40"),
                m("pg_replication_is_replica" + pg0, "0x40", "pg_up" + pg0, "1x40", "pg_replication_is_replica" + pg1, "1x40", "pg_up" + pg1, "1x40",
                        streaming, "0x40"),
                "1m", "3m", m("severity", "critical", "service", "postgres", "namespace", NS, "job", "postgres-exporter",
                        "endpoint", "metrics", "instance", "postgres-exporter-0:9187")));
        c.add(new Case("PostgresTwoPrimaries",
                m("pg_replication_is_replica" + pg0, "0x40", "pg_up" + pg0, "1x40", "pg_replication_is_replica" + pg1, "0x40", "pg_up" + pg1, "1x40"),
                m("pg_replication_is_replica" + pg0, "0x40", "pg_up" + pg0, "1x40", "pg_replication_is_replica" + pg1, "1x40", "pg_up" + pg1, "1x40"),
                "30s", "2m", m("severity", "critical", "service", "postgres")));
        // Patroni's own metrics, as the patroni job labels them (one series per member).
        String member0 = "{namespace=\"" + NS + "\",job=\"patroni\",service=\"postgres\",instance=\"postgres-0.postgres-members:8008\","
                + "scope=\"postgres\",name=\"postgres-0\"}";
        String member1 = "{namespace=\"" + NS + "\",job=\"patroni\",service=\"postgres\",instance=\"postgres-1.postgres-members:8008\","
                + "scope=\"postgres\",name=\"postgres-1\"}";
        c.add(new Case("PostgresLeaderMissing",
                m("patroni_cluster_unlocked" + member0, "1x40", "patroni_cluster_unlocked" + member1, "1x40"),
                m("patroni_cluster_unlocked" + member0, "0x40", "patroni_cluster_unlocked" + member1, "0x40"), "30s", "2m",
                m("severity", "critical", "service", "postgres", "scope", "postgres")));
        // The leader (timeline 1) dies at 6m and the replica, which reported 0, is promoted onto timeline 2.
        // Healthy: a replica that reports 0 until it learns the timeline changes nothing.
        c.add(new Case("PostgresLeaderChanged",
                m("patroni_postgres_timeline" + member0, "1x5 _x35", "patroni_postgres_timeline" + member1, "0x5 2x35"),
                m("patroni_postgres_timeline" + member0, "1x40", "patroni_postgres_timeline" + member1, "0x3 1x37"), "3m", "7m",
                m("severity", "warning", "service", "postgres", "scope", "postgres")));
        String up1 = "up{namespace=\"" + NS + "\",job=\"patroni\",service=\"postgres\",instance=\"postgres-1.postgres-members:8008\"}";
        c.add(new Case("PatroniDown", m(up1, "0x40"), m(up1, "1x40"), "1m", "3m",
                m("severity", "critical", "service", "postgres", "namespace", NS, "job", "patroni",
                        "instance", "postgres-1.postgres-members:8008")));
        String sentinel = "redis_sentinel_master_status{namespace=\"" + NS + "\",job=\"redis-sentinel\",master_name=\"mymaster\","
                + "master_status=\"ok\",master_address=";
        // The first master until 5m, then the promoted replica: both within the 10-minute window from 5m on.
        c.add(new Case("ValkeySentinelMasterSwitched",
                m(sentinel + "\"10.42.0.11:6379\"}", "1x5 _x35", sentinel + "\"10.42.0.12:6379\"}", "_x5 1x35"),
                m(sentinel + "\"10.42.0.11:6379\"}", "1x40"), "3m", "7m",
                m("severity", "warning", "service", "redis-sentinel", "master_name", "mymaster")));
        String archiver = "pg_stat_archiver_failed_count{namespace=\"" + NS + "\",service=\"postgres-exporter-0\","
                + "instance=\"postgres-exporter-0:9187\",server=\"postgres-0.postgres:5432\"}";
        c.add(new Case("PostgresWALArchiveFailing", m(archiver, "0+1x40"), m(archiver, "3x40"), "5m", "15m",
                m("severity", "warning", "service", "postgres", "namespace", NS, "instance", "postgres-exporter-0:9187",
                        "server", "postgres-0.postgres:5432")));
        String cronJob = "{namespace=\"" + NS + "\",cronjob=\"postgres-backup\"}";
        // Scheduled at 7200 s; the failed run never set a newer success (healthy: it succeeded at 7300 s).
        c.add(new Case("BackupFailed",
                m("kube_cronjob_status_last_schedule_time" + cronJob, "7200x200", "kube_cronjob_status_last_successful_time" + cronJob, "0x200"),
                m("kube_cronjob_status_last_schedule_time" + cronJob, "7200x200", "kube_cronjob_status_last_successful_time" + cronJob, "7300x200"),
                "30m", "1h30m", m("severity", "warning", "service", "postgres-backup", "namespace", NS, "cronjob", "postgres-backup")));
        c.addAll(backupCases(pg0));
        return c;
    }

    /**
     * Alerts whose threshold is days, tested with hourly series and evaluations (at 15 s a week
     * takes promtool minutes): the condition holds from 174 h, pending at the next evaluation,
     * firing at the one after (for: 10m).
     */
    private static List<Case> hourlyCases() {
        String drill = "{namespace=\"" + NS + "\",cronjob=\"postgres-restore-drill\"}";
        // Weekly: 7 days and 6 h of grace.
        return List.of(new Case("BackupRestoreDrillTooOld", m("kube_cronjob_status_last_successful_time" + drill, "0x200"),
                m("kube_cronjob_status_last_successful_time" + drill, "0+3600x200"), "175h", "176h",
                m("severity", "warning", "service", "postgres-restore-drill", "namespace", NS, "cronjob", "postgres-restore-drill")));
    }

    /** The alerts of the backups in the object store (AlertRules.forBackups). */
    private static List<Case> backupCases(String pg0) {
        List<Case> c = new ArrayList<>();
        String labels0 = pg0.substring(1, pg0.length() - 1);
        String age = "pg_stat_archiver_last_archive_age{" + labels0 + ",server=\"postgres-0.postgres-members:5432\"}";
        String walPosition = "pg_stat_replication_pg_current_wal_lsn_bytes{" + labels0 + ",state=\"streaming\","
                + "application_name=\"postgres-1\",server=\"postgres-0.postgres-members:5432\"}";
        // The primary writes WAL; its newest archived segment ages (firing) or stays fresh (healthy).
        c.add(new Case("PostgresWALArchiveStale",
                m(age, "1000+60x40", "pg_replication_is_replica" + pg0, "0x40", walPosition, "0+100000x40"),
                m(age, "30x40", "pg_replication_is_replica" + pg0, "0x40", walPosition, "0+100000x40"), "4m", "8m",
                m("severity", "critical", "service", "postgres", "namespace", NS, "instance", "postgres-exporter-0:9187")));
        // An idle primary (no WAL written) archives nothing and is not stale.
        c.add(new Case("PostgresWALArchiveStale",
                m(age, "1000+60x40", "pg_replication_is_replica" + pg0, "0x40", walPosition, "0+100000x40"),
                m(age, "1000+60x40", "pg_replication_is_replica" + pg0, "0x40", walPosition, "5000x40"), "4m", "8m",
                m("severity", "critical", "service", "postgres", "namespace", NS, "instance", "postgres-exporter-0:9187")));
        String diff = "kube_cronjob_status_last_successful_time{namespace=\"" + NS + "\",cronjob=\"postgres-basebackup-diff\"}";
        String full = "kube_cronjob_status_last_successful_time{namespace=\"" + NS + "\",cronjob=\"postgres-basebackup-full\"}";
        // The daily differential promises one backup a day: 26 h (with grace) after the last, it fires.
        c.add(new Case("BaseBackupTooOld", m(diff, "0x1700", full, "0x1700"), m(diff, "0+60x1700", full, "0x1700"), "26h5m", "26h20m",
                m("severity", "warning", "service", "postgres-basebackup-full", "namespace", NS)));
        String fullCron = "{namespace=\"" + NS + "\",cronjob=\"postgres-basebackup-full\"}";
        // Scheduled at 7200 s and not succeeded since, for longer than the Job's 4 h deadline.
        c.add(new Case("BaseBackupFailed",
                m("kube_cronjob_status_last_schedule_time" + fullCron, "7200x400", "kube_cronjob_status_last_successful_time" + fullCron, "0x400"),
                m("kube_cronjob_status_last_schedule_time" + fullCron, "7200x400", "kube_cronjob_status_last_successful_time" + fullCron, "7300x400"),
                "4h", "4h20m", m("severity", "warning", "service", "postgres-basebackup-full", "namespace", NS,
                        "cronjob", "postgres-basebackup-full")));
        String drill = "{namespace=\"" + NS + "\",cronjob=\"postgres-restore-drill\"}";
        // A drill that never passed has no last-successful series at all.
        c.add(new Case("BackupRestoreDrillFailed",
                m("kube_cronjob_status_last_schedule_time" + drill, "7200x200"),
                m("kube_cronjob_status_last_schedule_time" + drill, "7200x200", "kube_cronjob_status_last_successful_time" + drill, "7300x200"),
                "2h", "2h20m", m("severity", "warning", "service", "postgres-restore-drill", "namespace", NS,
                        "cronjob", "postgres-restore-drill")));
        c.add(new Case("BackupRestoreDrillFailed",
                m("kube_cronjob_status_last_schedule_time" + drill, "7200x200", "kube_cronjob_status_last_successful_time" + drill, "3600x200"),
                m("kube_cronjob_status_last_schedule_time" + drill, "7200x200", "kube_cronjob_status_last_successful_time" + drill, "7300x200"),
                "2h", "2h20m", m("severity", "warning", "service", "postgres-restore-drill", "namespace", NS,
                        "cronjob", "postgres-restore-drill")));
        String valkey = "kube_cronjob_status_last_successful_time{namespace=\"" + NS + "\",cronjob=\"valkey-backup\"}";
        // Hourly: 1 h and 2 h of grace.
        c.add(new Case("ValkeySnapshotTooOld", m(valkey, "0x300"), m(valkey, "0+60x300"), "3h5m", "3h20m",
                m("severity", "warning", "service", "valkey-backup", "namespace", NS, "cronjob", "valkey-backup")));
        return c;
    }

    @Test
    void everyAlertFiresAfterItsForNotBeforeAndNeverOnHealthySeries(@TempDir Path tmp) throws IOException {
        // The shipped rules without their annotations: this test checks conditions, timing and labels
        // (promtool compares annotations too, and those quote live values); the annotations are
        // checked by rulesPassPromtoolAndSaySomething.
        List<Object> bare = new ArrayList<>();
        for (AlertRule rule : Fixtures.builtInChart("deti").monitoring().rules()) {
            Map<String, Object> r = new LinkedHashMap<>(rule.toPrometheus());
            r.remove("annotations");
            bare.add(r);
        }
        String shipped = data("deti", "prometheus-rules", "keyboss.rules.yml");
        assertEquals(Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules",
                Fixtures.builtInChart("deti").monitoring().rules().stream().map(r -> (Object) r.toPrometheus()).toList())))), shipped,
                "the rules tested are the rules shipped");
        Path rules = tmp.resolve("keyboss.rules.yml");
        Files.writeString(rules, Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules", bare)))));
        List<Case> cases = cases();
        promtoolTest(tmp.resolve("test.yml"), rules, cases, "1m", "15s");
        promtoolTest(tmp.resolve("test-hourly.yml"), rules, hourlyCases(), "1h", "1h");
        List<Case> all = new ArrayList<>(cases);
        all.addAll(hourlyCases());
        assertEquals(RULES, all.stream().map(Case::alert).distinct().count(), "every rule has its unit test");
    }

    /**
     * BackupTooOld of a monthly backup (02:00 on the 1st): its schedule's longest gap is 31 days,
     * so the alert holds from 746 h (31 days and 2 h of grace) and stays silent long after the week
     * a fixed threshold used to allow (hourly series and evaluations, as for the drill).
     */
    @Test
    void aMonthlyBackupAlertsAfterItsLongestGapNotWeekly(@TempDir Path tmp) throws IOException {
        AlertRule[] monthly = new AlertRule[1];
        Fixtures.synth(Environment.deti(), c -> monthly[0] = AlertRules.backupTooOld(NS, new BackupCronJob(c, "backup",
                BackupCronJobProps.builder().database(new PostgresHA(c, "postgres", PostgresHAProps.builder().build()))
                        .schedule("0 2 1 * *").build())));
        assertTrue(monthly[0].expr().endsWith("> " + (31 * 86400 + 2 * 3600)), monthly[0].expr());
        Map<String, Object> bare = new LinkedHashMap<>(monthly[0].toPrometheus());
        bare.remove("annotations");
        Path rules = tmp.resolve("monthly.rules.yml");
        Files.writeString(rules, Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules", List.of(bare))))));
        String backup = "kube_cronjob_status_last_successful_time{namespace=\"" + NS + "\",cronjob=\"postgres-backup\"}";
        Map<String, String> labels = m("severity", "warning", "service", "postgres-backup", "namespace", NS, "cronjob", "postgres-backup");
        promtoolTest(tmp.resolve("test-monthly.yml"), rules, List.of(
                // Last success at 0: silent a day after a week (a 7-day threshold fired at 172 h) and at 746 h;
                // pending at 747 h, firing at 748 h.
                new Case("BackupTooOld", m(backup, "0x800"), m(backup, "0+3600x800"), "196h", "748h", labels),
                new Case("BackupTooOld", m(backup, "0x800"), m(backup, "0+3600x800"), "746h", "748h", labels),
                // A success on day 30 (720 h), then none: silent until 31 days and 2 h after it, firing 2 h later;
                // healthy, the next monthly run (day 60) succeeds.
                new Case("BackupTooOld", m(backup, "0x720 2592000x800"), m(backup, "0x720 2592000x720 5184000x100"),
                        "1466h", "1468h", labels)), "1h", "1h");
    }

    private static void promtoolTest(Path test, Path rules, List<Case> cases, String seriesInterval, String evaluationInterval)
            throws IOException {
        List<Object> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(Map.of("interval", seriesInterval, "input_series", series(c.firing()), "alert_rule_test", List.of(
                    Map.of("eval_time", c.before(), "alertname", c.alert(), "exp_alerts", List.of()),
                    Map.of("eval_time", c.after(), "alertname", c.alert(), "exp_alerts", List.of(Map.of("exp_labels", c.labels()))))));
            tests.add(Map.of("interval", seriesInterval, "input_series", series(c.healthy()), "alert_rule_test", List.of(
                    Map.of("eval_time", c.after(), "alertname", c.alert(), "exp_alerts", List.of()))));
        }
        Files.writeString(test, Rendering.toYaml(Map.of("rule_files", List.of(rules.toString()),
                "evaluation_interval", evaluationInterval, "tests", tests)));
        Exec.Result r = Exec.run(List.of(promtool(), "test", "rules", test.toString()), Map.of(), 300);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    private static List<Object> series(Map<String, String> s) {
        List<Object> list = new ArrayList<>();
        s.forEach((name, values) -> list.add(Map.of("series", name, "values", values)));
        return list;
    }

    /** Every dashboard query, as a recording rule named after its dashboard and panel, so promtool parses it. */
    private static String queriesAsRules(List<GrafanaDashboard> dashboards) {
        List<Object> rules = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            for (GrafanaDashboard.Panel p : d.panels()) {
                for (String q : p.queries()) {
                    rules.add(Map.of("record", (d.uid() + ":" + p.title()).replaceAll("[^A-Za-z0-9_:]", "_"), "expr", q));
                }
            }
        }
        return Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules))));
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path tmp) throws IOException {
        for (String env : List.of("local", "deti")) {
            MonitoringStack stack = Fixtures.builtInChart(env).monitoring();
            assertEquals(List.of("KeyBoss Business & API Health", "KeyBoss Platform Reliability", "KeyBoss PostgreSQL & Redis"),
                    stack.dashboards().stream().map(GrafanaDashboard::title).toList());
            Path file = tmp.resolve(env + "-dashboards.yml");
            Files.writeString(file, queriesAsRules(stack.dashboards()));
            Exec.Result r = Exec.run(List.of(promtool(), "check", "rules", file.toString()), Map.of(), 60);
            assertEquals(0, r.exitCode(), r.output());
            // The JSON Grafana provisions holds the same queries.
            String json = data(env, "grafana-dashboards", "keyboss-infra.json");
            assertTrue(json.contains("pg_up{namespace=\\\"" + Environment.builtIn(env).namespace()
                    + "\\\",service=~\\\"postgres-exporter-.*\\\"}"), json.substring(0, 200));
        }
    }

    @Test
    void aBrokenQueryOrRuleIsReportedByName(@TempDir Path tmp) throws IOException {
        GrafanaDashboard broken = new GrafanaDashboard("broken", "Broken", List.of(
                GrafanaDashboard.Panel.graph("Bad panel", "none", "sum(rate(x[5m])")));
        Path file = tmp.resolve("broken.yml");
        Files.writeString(file, queriesAsRules(List.of(broken)));
        Exec.Result r = Exec.run(List.of(promtool(), "check", "rules", file.toString()), Map.of(), 60);
        assertNotEquals(0, r.exitCode());
        assertContainsAll(r.output(), "broken:Bad_panel");
        AlertRule unparsable = new AlertRule("CheckoutBroken", "sum(rate(x[5m]) > 1", "5m", AlertRule.Severity.WARNING, "x", "s", "d");
        Path ruleFile = tmp.resolve("broken-rule.yml");
        Files.writeString(ruleFile, Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss",
                "rules", List.of(unparsable.toPrometheus()))))));
        Exec.Result rule = Exec.run(List.of(promtool(), "check", "rules", ruleFile.toString()), Map.of(), 60);
        assertNotEquals(0, rule.exitCode());
        assertContainsAll(rule.output(), "CheckoutBroken");
        AlertRule bad = new AlertRule("SlowCheckout", "up == 0", "5 minutes", AlertRule.Severity.WARNING, "x", "s", "d");
        assertContainsAll(bad.problem(), "SlowCheckout", "'5 minutes' is not a duration");
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(db).cache(cache).build());
            CeleryWorkers workers = new CeleryWorkers(c, "workers", CeleryWorkersProps.builder().api(api).build());
            Storefront storefront = new Storefront(c, "storefront", Storefront.defaults().api(api).build());
            Dashboard dashboard = new Dashboard(c, "dashboard", Dashboard.defaults().api(api).build());
            BackupCronJob backup = new BackupCronJob(c, "backup", BackupCronJobProps.builder().database(db).build());
            new MonitoringStack(c, "monitoring", new MonitoringStack.Props(api, workers, storefront, db, cache, backup,
                    new ShopIngress(c, "ingress", ShopIngressProps.builder().storefront(storefront).api(api).dashboard(dashboard).build()), KeybossChart.SECRETS, List.of(bad)));
        });
        assertContainsAll(Fixtures.problemFor(problems, "rules.SlowCheckout").toString(), "[test/monitoring]",
                "'5 minutes' is not a duration");
    }

    @Test
    void alertmanagerConfigPassesAmtoolAndRoutesBySeverity(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("alertmanager.yml");
        String text = data("deti", "alertmanager-config", "alertmanager.yml");
        Files.writeString(config, text);
        String amtool = MonitoringTools.alertmanager("amtool").toString();
        Exec.Result r = Exec.run(List.of(amtool, "check-config", config.toString()), Map.of(), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertContainsAll(r.output(), "1 inhibit rules", "2 receivers");
        Exec.Result route = Exec.run(List.of(amtool, "config", "routes", "test", "--config.file=" + config,
                "severity=critical", "service=saleor-api"), Map.of(), 60);
        assertEquals("critical", route.stdout().trim(), route.output());
        Exec.Result warning = Exec.run(List.of(amtool, "config", "routes", "test", "--config.file=" + config,
                "severity=warning", "service=saleor-api"), Map.of(), 60);
        assertEquals("warning", warning.stdout().trim(), warning.output());
        assertContainsAll(text, "inhibit_rules", "source_matchers", "target_matchers", "equal:");
    }

    /** Every query the shipped manifests give a Prometheus: rules by alert name, panels by dashboard and title. */
    private static Map<String, String> shippedRules(String env) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> file = Manifest.map(readYaml(data(env, "prometheus-rules", "keyboss.rules.yml")));
        for (Object group : (List<?>) file.get("groups")) {
            for (Object rule : (List<?>) Manifest.map(group).get("rules")) {
                out.put("rule " + Manifest.map(rule).get("alert"), String.valueOf(Manifest.map(rule).get("expr")));
            }
        }
        return out;
    }

    private static Object readYaml(String text) {
        try {
            return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(text, Object.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> shippedPanels(String env) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> files = Manifest.map(find(Fixtures.builtIn(env), "ConfigMap", "grafana-dashboards").object().get("data"));
        files.forEach((file, json) -> {
            Map<String, Object> dashboard = Manifest.map(readYaml(String.valueOf(json)));
            for (Object panel : (List<?>) dashboard.get("panels")) {
                for (Object target : (List<?>) Manifest.map(panel).get("targets")) {
                    out.put("panel " + dashboard.get("uid") + " / " + Manifest.map(panel).get("title") + " / "
                            + Manifest.map(target).get("refId"), String.valueOf(Manifest.map(target).get("expr")));
                }
            }
        });
        return out;
    }

    private static List<String> problems(Map<String, MonitoringTools.Finding> findings) {
        List<String> out = new ArrayList<>();
        findings.values().forEach(f -> f.problems().forEach(p -> out.add(f.id() + ": " + p)));
        return out;
    }

    /**
     * Provenance: every rule and panel in dist/ reads only metric families that a producer of
     * the Prometheus evaluating it produces in that environment, and only labels those series
     * carry there (matchers, by/without, on/ignoring, histogram le), parsed by Prometheus' own
     * PromQL parser. Rules run on the in-namespace Prometheus; dashboards are read by this
     * Grafana from it and, where a central Grafana picks them up, from the central Prometheus.
     */
    @Test
    void everyRuleAndPanelReadsOnlyWhatItsPrometheusHolds() {
        for (String env : List.of("local", "deti")) {
            MonitoringStack stack = Fixtures.builtInChart(env).monitoring();
            Map<String, String> rules = shippedRules(env);
            Map<String, String> panels = shippedPanels(env);
            assertEquals(RULES, rules.size(), env);
            Map<String, String> inNamespace = new LinkedHashMap<>(rules);
            inNamespace.putAll(panels);
            Map<String, MonitoringTools.Finding> findings = MonitoringTools.check(stack.catalog(), inNamespace);
            assertEquals(List.of(), problems(findings), env + ": " + stack.catalog().prometheus());
            for (MonitoringTools.Finding f : findings.values()) {
                assertTrue(!f.families().isEmpty(), f.id() + " reads no family");
                for (String family : f.families()) {
                    assertTrue(!stack.catalog().families().get(family).producers().isEmpty(), family);
                }
            }
            if (Environment.builtIn(env).monitoring().centralGrafana()) {
                assertEquals(List.of(), problems(MonitoringTools.check(stack.centralCatalog(), panels)),
                        env + ": " + stack.centralCatalog().prometheus());
            }
        }
        // What feeds deti's platform rules: Traefik and cAdvisor through the federation job.
        MetricCatalog deti = Fixtures.builtInChart("deti").monitoring().catalog();
        assertEquals("[job central-federation (the central Prometheus' Traefik job)]",
                deti.families().get("traefik_service_requests_total").producers().toString());
        assertEquals("[job central-federation (the central Prometheus' kubelet/cAdvisor job)]",
                deti.families().get("container_memory_working_set_bytes").producers().toString());
        assertEquals("[job kube-state-metrics]", deti.families().get("kube_cronjob_status_last_successful_time").producers().toString());
        MetricCatalog local = Fixtures.builtInChart("local").monitoring().catalog();
        assertEquals("[job traefik]", local.families().get("traefik_service_requests_total").producers().toString());
    }

    /** The check fails where the issue found dist/ broken: no federation on deti, and the old probe scrape's labels. */
    @Test
    void theProvenanceCheckCatchesUnfedRulesAndMissingLabels() {
        Environment unfed = Environment.deti().toBuilder()
                .monitoring(MonitoringSettings.central().withCentralPrometheusUrl(null)).build();
        MonitoringStack stack = new KeybossChart(new org.cdk8s.App(), "unfed", unfed).monitoring();
        Map<String, String> rules = new LinkedHashMap<>();
        stack.rules().forEach(r -> rules.put(r.name(), r.expr()));
        Map<String, MonitoringTools.Finding> findings = MonitoringTools.check(stack.catalog(), rules);
        List<String> unfedRules = findings.values().stream().filter(f -> !f.problems().isEmpty()).map(MonitoringTools.Finding::id).toList();
        assertEquals(List.of("HighAPIErrorRate", "HighAPILatency", "HighMemoryUsage", "HighCPUUsage",
                "CheckoutErrorBudgetBurnFast", "CheckoutErrorBudgetBurnSlow"), unfedRules);
        assertContainsAll(findings.get("HighAPILatency").problems().toString(),
                "reads traefik_service_request_duration_seconds_bucket, which nothing produces here");

        // The probe exporter scraped as before this change (no "endpoint" or "namespace" target label).
        MetricCatalog oldScrape = new MetricCatalog.Builder("old static scrape")
                .scraped("job keyboss-exporter", MetricSets.keybossExporter(), List.of("job", "instance", "service")).build();
        String panel = shippedPanels("deti").entrySet().stream().filter(e -> e.getKey().contains("probe success"))
                .findFirst().orElseThrow().getValue();
        List<String> found = MonitoringTools.check(oldScrape, Map.of("probe panel", panel)).get("probe panel").problems();
        assertContainsAll(found.toString(), "max by (exported_endpoint): label \"exported_endpoint\" does not exist",
                "its series carry: endpoint, instance, job, service", "on label \"namespace\", which keyboss_probe_success does not carry");
        // A join on a label one side lacks, and a histogram without le.
        Map<String, MonitoringTools.Finding> joins = MonitoringTools.check(stack.catalog(), Map.of(
                "join", "pg_up and on (deployment) kube_deployment_spec_replicas",
                "histogram", "histogram_quantile(0.9, rate(pg_up[5m]))"));
        assertContainsAll(joins.get("join").problems().toString(), "and on (deployment): label \"deployment\" is missing on one side");
        assertContainsAll(joins.get("histogram").problems().toString(), "without an \"le\" label");
    }

    @Test
    void receiversComeFromTheEnvironmentAndPassAmtool(@TempDir Path tmp) throws IOException {
        String amtool = MonitoringTools.alertmanager("amtool").toString();
        for (String env : List.of("local", "deti")) {
            String text = data(env, "alertmanager-config", "alertmanager.yml");
            assertContainsAll(text, "url_file: " + AlertReceiver.SECRETS_DIR + "/" + MonitoringSettings.ALERT_WEBHOOK_URL,
                    "send_resolved: true");
            Map<String, Object> am = Fixtures.container(find(Fixtures.builtIn(env), "Deployment", "alertmanager"), "containers", "alertmanager");
            assertContainsAll(String.valueOf(am.get("volumeMounts")), "mountPath=" + AlertReceiver.SECRETS_DIR, "readOnly=true");
        }
        // E-mail and a chat webhook, declared per environment; amtool (the pinned release) accepts them.
        Environment mail = Environment.deti().toBuilder().monitoring(MonitoringSettings.central().withReceivers(
                AlertReceiver.chat(MonitoringSettings.ALERT_WEBHOOK_URL, "#keyboss-oncall"),
                AlertReceiver.email("ops@keyboss.example", "alertmanager@keyboss.example", "smtp.keyboss.example:587",
                        "alertmanager", "GRAFANA_ADMIN_PASSWORD"))).build();
        org.cdk8s.App app = new org.cdk8s.App();
        KeybossChart chart = new KeybossChart(app, "mail", mail);
        Problems.of(app).throwIfAny();
        List<Manifest> manifests = Synthesizer.manifestsOf(chart, "");
        String text = (String) Manifest.map(find(manifests, "ConfigMap", "alertmanager-config").object().get("data")).get("alertmanager.yml");
        assertContainsAll(text, "slack_configs", "api_url_file: /etc/alertmanager/secrets/ALERT_WEBHOOK_URL", "email_configs",
                "auth_password_file: /etc/alertmanager/secrets/GRAFANA_ADMIN_PASSWORD");
        Path config = tmp.resolve("alertmanager.yml");
        Files.writeString(config, text);
        Exec.Result r = Exec.run(List.of(amtool, "check-config", config.toString()), Map.of(), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertContainsAll(String.valueOf(find(manifests, "Deployment", "alertmanager").at("spec.template.spec.volumes")),
                "key=GRAFANA_ADMIN_PASSWORD", "key=ALERT_WEBHOOK_URL");
        IllegalArgumentException url = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MonitoringSettings.central().withCentralPrometheusUrl("prometheus:9090"));
        assertContainsAll(url.getMessage(), "centralPrometheusUrl 'prometheus:9090' is not an http(s) URL with a host");
        // A receiver naming a key the Secret contract lacks is a synth problem, not a broken pod.
        Environment typo = Environment.deti().toBuilder().monitoring(MonitoringSettings.central().withReceivers(
                AlertReceiver.webhook("ALERT_WEBHOOK"), AlertReceiver.webhook("ALERT_WEBHOOK"))).build();
        org.cdk8s.App typoApp = new org.cdk8s.App();
        new KeybossChart(typoApp, "typo", typo);
        List<Problem> problems = Problems.of(typoApp).list();
        assertContainsAll(problems.toString(), "monitoring.receivers", "ALERT_WEBHOOK", "add the key to the Secret contract");
    }

    @Test
    void environmentsDifferByStructureNotText() {
        List<Manifest> deti = Fixtures.builtIn("deti");
        List<Manifest> local = Fixtures.builtIn("local");
        String detiPrometheus = data("deti", "prometheus-config", "prometheus.yml");
        String localPrometheus = data("local", "prometheus-config", "prometheus.yml");
        assertContainsAll(detiPrometheus, "scrape_interval: 15s", "names:", NS);
        assertTrue(!detiPrometheus.contains("kubernetes-cadvisor"), "no cluster-wide job on deti");
        assertContainsAll(localPrometheus, "kubernetes-apiserver", "kubernetes-nodes", "kubernetes-cadvisor", "traefik",
                "kube-state-metrics", "kubernetes-pods", "prometheus");
        assertTrue(deti.stream().noneMatch(m -> m.kind().startsWith("Cluster")), "nothing cluster-scoped on deti");
        find(deti, "Role", "prometheus");
        find(local, "ClusterRole", "keyboss-prometheus");
        Map<String, Object> ksm = Fixtures.container(find(deti, "Deployment", "kube-state-metrics"), "containers", "kube-state-metrics");
        assertTrue(ksm.get("args").toString().contains("--namespaces=" + NS), ksm.get("args").toString());
        assertTrue(String.valueOf(Fixtures.container(find(local, "Deployment", "prometheus"), "containers", "prometheus").get("args"))
                .contains("--storage.tsdb.retention.time=15d"));
        for (Manifest monitor : deti.stream().filter(m -> "ServiceMonitor".equals(m.kind())).toList()) {
            assertEquals("prometheus", Manifest.map(monitor.metadata().get("labels")).get("release"), monitor.id());
        }
        assertEquals(4, deti.stream().filter(m -> "ServiceMonitor".equals(m.kind())).count());
        assertTrue(local.stream().noneMatch(m -> "ServiceMonitor".equals(m.kind())), "local has no Prometheus Operator");
        // Both scrapes label the exporter targets with their own "endpoint", so both read exported_endpoint.
        assertTrue(data("deti", "grafana-dashboards", "keyboss-business-health.json").contains("max by (exported_endpoint)"));
        assertTrue(data("local", "grafana-dashboards", "keyboss-business-health.json").contains("max by (exported_endpoint)"));
        assertTrue(detiPrometheus.contains("job_name: central-federation") && !localPrometheus.contains("central-federation"),
                "deti federates what only the cluster sees; local scrapes it");
        assertEquals("1", Manifest.map(find(deti, "ConfigMap", "grafana-dashboards").metadata().get("labels")).get("grafana_dashboard"));
        assertTrue(find(deti, "Ingress", "keyboss").at("spec.rules").toString().contains("path=/grafana/"));
    }

    @Test
    void serviceMonitorsMustSelectAServiceAndItsPort() {
        List<Problem> ok = CrossReferences.check("deti", Fixtures.readYaml(Fixtures.DIST.resolve("deti")), List.of(KeybossChart.SECRETS));
        assertEquals(List.of(), ok);
        List<Manifest> broken = new ArrayList<>();
        for (Manifest m : Fixtures.builtIn("deti")) {
            if (m.kind().equals("ServiceMonitor") && m.name().equals("redis-exporter")) {
                Map<String, Object> o = new LinkedHashMap<>(m.object());
                o.put("spec", Map.of("selector", Map.of("matchLabels", Map.of(Labels.NAME, "redis-exporterr")),
                        "endpoints", List.of(Map.of("port", "metrics"))));
                broken.add(new Manifest(m.file(), o));
            } else {
                broken.add(m);
            }
        }
        List<Problem> problems = CrossReferences.check("deti", broken, List.of(KeybossChart.SECRETS));
        assertEquals(1, problems.size(), problems.toString());
        assertContainsAll(problems.get(0).toString(), "ServiceMonitor/redis-exporter", "spec.selector.matchLabels");
    }

    @Test
    void onlyGrafanaIsPublicAndItKeepsItsLogin() {
        for (String env : List.of("local", "deti")) {
            List<Manifest> m = Fixtures.builtIn(env);
            String paths = String.valueOf(find(m, "Ingress", "keyboss").at("spec.rules"));
            assertTrue(paths.contains("path=/grafana/"), paths);
            assertTrue(!paths.contains("prometheus") && !paths.contains("alertmanager"), env + ": " + paths);
            Map<String, Object> grafana = Fixtures.container(find(m, "Deployment", "grafana"), "containers", "grafana");
            assertEquals("false", Fixtures.env(grafana, "GF_AUTH_ANONYMOUS_ENABLED"));
            assertEquals("false", Fixtures.env(grafana, "GF_USERS_ALLOW_SIGN_UP"));
            assertEquals("false", Fixtures.env(grafana, "GF_AUTH_DISABLE_LOGIN_FORM"));
            assertEquals("false", Fixtures.env(grafana, "GF_USERS_ALLOW_ORG_CREATE"));
            assertEquals("true", Fixtures.env(grafana, "GF_SECURITY_COOKIE_SECURE"), "TLS on the Ingress: secure cookies");
            // External URLs are where a port-forward serves them, never the public host.
            String prometheus = Fixtures.container(find(m, "Deployment", "prometheus"), "containers", "prometheus").get("args").toString();
            assertContainsAll(prometheus, "--web.external-url=http://localhost:9090/prometheus/", "--web.route-prefix=/prometheus/");
            String alertmanager = Fixtures.container(find(m, "Deployment", "alertmanager"), "containers", "alertmanager").get("args").toString();
            assertContainsAll(alertmanager, "--web.external-url=http://localhost:9093/alertmanager/");
            // Everything that used to go through the public host to them goes to their Services.
            String probes = Fixtures.env(Fixtures.container(find(m, "Deployment", "keyboss-exporter"), "containers", "keyboss-exporter"),
                    "PROBE_TARGETS");
            assertContainsAll(probes, "alertmanager=http://alertmanager:9093/alertmanager/-/ready");
            assertContainsAll(data(env, "grafana-provisioning", "datasources.yaml"), "url: http://prometheus:9090/prometheus");
            assertContainsAll(data(env, "prometheus-config", "prometheus.yml"), "alertmanager:9093", "path_prefix: /alertmanager/");
        }
    }

    @Test
    void prometheusReadsTheKubeletsWithoutTheApiServersNodeProxy() throws IOException {
        List<Manifest> local = Fixtures.builtIn("local");
        String rules = String.valueOf(find(local, "ClusterRole", "keyboss-prometheus").object().get("rules"));
        assertContainsAll(rules, "nodes/metrics");
        assertTrue(!rules.contains("nodes/proxy"), rules);
        Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(data("local", "prometheus-config", "prometheus.yml"));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Object o : (List<?>) config.get("scrape_configs")) {
            jobs.add(Manifest.map(o));
        }
        for (String[] expected : new String[][] {{"kubernetes-nodes", "/metrics"}, {"kubernetes-cadvisor", "/metrics/cadvisor"}}) {
            Map<String, Object> job = jobs.stream().filter(j -> expected[0].equals(j.get("job_name"))).findFirst().orElseThrow();
            assertEquals(expected[1], job.get("metrics_path"));
            assertEquals("https", job.get("scheme"));
            assertEquals(List.of(Map.of("role", "node")), job.get("kubernetes_sd_configs"));
            assertTrue(!job.toString().contains("proxy") && !job.toString().contains("kubernetes.default.svc"), job.toString());
        }
        // The network policy lets Prometheus reach the kubelets' port, and nothing else new.
        assertContainsAll(String.valueOf(find(local, "NetworkPolicy", "allow-prometheus").at("spec.egress")), "port=10250");
    }

    /** prometheus.yml of {@code env}'s built-in chart, as parsed YAML, by job name. */
    private static Map<String, Map<String, Object>> jobs(String yaml) {
        Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(yaml);
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        for (Object o : (List<?>) config.get("scrape_configs")) {
            jobs.put(String.valueOf(Manifest.map(o).get("job_name")), Manifest.map(o));
        }
        return jobs;
    }

    @Test
    void everyStaticTargetIsAPortItsServiceServes() {
        for (String env : List.of("local", "deti")) {
            List<Manifest> m = Fixtures.builtIn(env);
            Map<String, Map<String, Object>> jobs = jobs(data(env, "prometheus-config", "prometheus.yml"));
            int checked = 0;
            for (Map<String, Object> job : jobs.values()) {
                List<String> addresses = new ArrayList<>();
                for (Object sc : Manifest.list(job.get("static_configs"))) {
                    Manifest.list(Manifest.map(sc).get("targets")).forEach(t -> addresses.add(String.valueOf(t)));
                }
                for (Object r : Manifest.list(job.get("relabel_configs"))) {
                    if ("__address__".equals(Manifest.map(r).get("target_label")) && Manifest.map(r).get("source_labels") == null) {
                        addresses.add(String.valueOf(Manifest.map(r).get("replacement")));
                    }
                }
                for (String address : addresses) {
                    String host = address.substring(0, address.lastIndexOf(':'));
                    String port = address.substring(address.lastIndexOf(':') + 1);
                    // A Service of the namespace (service, or pod.service of a StatefulSet member).
                    String[] labels = host.split("\\.");
                    String service = labels.length == 2 ? labels[1] : labels[0];
                    if (labels.length > 2 || host.equals("localhost")) {
                        continue; // another namespace's, or Prometheus itself
                    }
                    String ports = String.valueOf(find(m, "Service", service).at("spec.ports"));
                    assertTrue(ports.contains("port=" + port + ","), env + ": job " + job.get("job_name") + " reads " + address
                            + " but Service " + service + " serves " + ports);
                    checked++;
                }
            }
            assertTrue(checked >= 7, env + ": " + checked + " static targets checked");
        }
    }

    /** An exporter the library does not ship, as a third party would write one. */
    static final class ExtraExporter extends Exporter {
        ExtraExporter(software.constructs.Construct scope, String id) {
            super(scope, id, new Spec("extra-exporter", "extra-exporter", ScrapeTarget.ORDER_DEFAULT,
                    EnvironmentChart.of(scope).environment().images().monitoring().redisExporter(), 9999, 1000, List.of(), null,
                    Map.of("extra_up", List.of())));
        }

        @Override
        public List<Connection> connections() {
            return List.of();
        }
    }

    @Test
    void aNewExporterRegistersItsJobWithoutEditingAList() {
        Environment deti = Environment.builtIn().stream().filter(e -> e.name().equals("deti")).findFirst().orElseThrow();
        KeybossChart chart = new KeybossChart(new org.cdk8s.App(), "deti", deti);
        Prometheus prometheus = chart.monitoring().prometheus();
        ExtraExporter extra = new ExtraExporter(chart.monitoring(), "extra-exporter");
        List<ScrapeTarget> added = prometheus.scrape(extra);
        assertEquals(List.of("extra-exporter"), added.stream().map(ScrapeTarget::job).toList());
        assertTrue(prometheus.catalog().holds("extra_up"), "the catalog follows the registration");
        assertTrue(prometheus.connections().stream().anyMatch(c -> c.to().name().equals("extra-exporter")
                && c.ports().equals(List.of(NetworkPort.tcp(9999)))), "Prometheus may connect to it");
        // Rendered after construction, at its order: after the shipped jobs, before the federation.
        List<Manifest> manifests = Synthesizer.manifestsOf(chart, "");
        String yaml = String.valueOf(Manifest.map(find(manifests, "ConfigMap", "prometheus-config").object().get("data"))
                .get("prometheus.yml"));
        List<String> names = new ArrayList<>(jobs(yaml).keySet());
        assertEquals(names.size() - 2, names.indexOf("extra-exporter"), names.toString());
        assertEquals("central-federation", names.get(names.size() - 1));
        assertEquals(List.of("extra-exporter:9999"), Manifest.list(Manifest.map(Manifest.list(jobs(yaml).get("extra-exporter")
                .get("static_configs")).get(0)).get("targets")));
        String ports = String.valueOf(find(manifests, "Service", "extra-exporter").at("spec.ports"));
        assertTrue(ports.contains("port=9999,"), ports);
        // The same job with other settings is refused, by name.
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> prometheus.addScrapeTarget(ScrapeTarget.builder("extra-exporter").path("/other").build()));
        assertContainsAll(e.getMessage(), "scrape job 'extra-exporter'", "another job name");
    }
}
