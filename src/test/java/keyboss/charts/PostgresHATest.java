package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresHATest {

    private static List<Manifest> deti;
    private static List<Manifest> local;

    @BeforeAll
    static void synth() {
        deti = Fixtures.synth(Environment.deti(), c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().build()));
        local = Fixtures.synth(Environment.local(), c -> new PostgresHA(c, "postgres", PostgresHAProps.builder()
                .checkIntervalSeconds(5).failureThreshold(4).rejoinWindowSeconds(60).build()));
    }

    @Test
    void statefulSetOfPrimaryAndStandbyBehindHeadlessService() {
        Manifest sts = find(deti, "StatefulSet", "postgres");
        assertEquals(2, sts.at("spec.replicas"));
        assertEquals("postgres", sts.at("spec.serviceName"));
        Manifest svc = find(deti, "Service", "postgres");
        assertEquals("None", svc.at("spec.clusterIP"));
        assertEquals(true, svc.at("spec.publishNotReadyAddresses"));
        assertEquals(sts.at("spec.selector.matchLabels"), svc.at("spec.selector"));
        assertEquals(Map.of(Labels.NAME, "postgres"), sts.at("spec.selector.matchLabels"));
    }

    @Test
    void primaryWalSettingsAreServerFlags() {
        List<Object> args = Manifest.list(container(find(deti, "StatefulSet", "postgres"), "containers", "postgres").get("args"));
        assertTrue(args.containsAll(List.of("wal_level=replica", "max_wal_senders=5", "wal_keep_size=128MB", "hot_standby=on")),
                args.toString());
    }

    @Test
    void bootstrapInitContainerKnowsItsPeersByStableName() {
        Map<String, Object> init = container(find(deti, "StatefulSet", "postgres"), "initContainers", "bootstrap");
        assertEquals(List.of("/scripts/bootstrap.sh"), init.get("command"));
        assertEquals("postgres-0.postgres:5432 postgres-1.postgres:5432", env(init, "PEERS"));
        assertEquals("$(POD_NAME).postgres:5432", env(init, "SELF"));
        assertEquals("30", env(init, "REJOIN_WINDOW"));
        String script = (String) Manifest.map(find(deti, "ConfigMap", "postgres-scripts").object().get("data")).get("bootstrap.sh");
        assertContainsAll(script, "pg_basebackup", "-R -X stream");
        String initPrimary = (String) Manifest.map(find(deti, "ConfigMap", "postgres-scripts").object().get("data")).get("init-primary.sh");
        assertContainsAll(initPrimary, "host replication $POSTGRES_REPLICATION_USER all", "WITH REPLICATION LOGIN");
    }

    @Test
    void probesUsePgIsready() {
        Map<String, Object> pg = container(find(deti, "StatefulSet", "postgres"), "containers", "postgres");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            List<Object> command = Manifest.list(Manifest.map(Manifest.map(pg.get(probe)).get("exec")).get("command"));
            assertEquals("pg_isready", command.get(0), probe);
        }
    }

    @Test
    void volumeClaimTemplatesFollowTheEnvironment() {
        Manifest detiSts = find(deti, "StatefulSet", "postgres");
        Map<String, Object> claim = Manifest.map(Manifest.list(detiSts.at("spec.volumeClaimTemplates")).get(0));
        assertEquals("longhorn", Manifest.map(claim.get("spec")).get("storageClassName"));
        assertEquals("1Gi", new Manifest("", claim).at("spec.resources.requests.storage"));
        Manifest localSts = find(local, "StatefulSet", "postgres");
        Map<String, Object> localClaim = Manifest.map(Manifest.list(localSts.at("spec.volumeClaimTemplates")).get(0));
        assertEquals("local-path", new Manifest("", localClaim).at("spec.storageClassName"));
        assertEquals("5Gi", new Manifest("", localClaim).at("spec.resources.requests.storage"));
    }

    @Test
    void podDisruptionBudgetKeepsOnePodUp() {
        Manifest pdb = find(deti, "PodDisruptionBudget", "postgres");
        assertEquals(1, pdb.at("spec.minAvailable"));
        assertEquals(Map.of(Labels.NAME, "postgres"), pdb.at("spec.selector.matchLabels"));
    }

    @Test
    void watchdogTakesItsIntervalAndThresholdFromProps() {
        Map<String, Object> defaults = container(find(deti, "Deployment", "postgres-watchdog"), "containers", "watchdog");
        assertEquals("3", env(defaults, "CHECK_INTERVAL"));
        assertEquals("3", env(defaults, "FAILURE_THRESHOLD"));
        assertEquals("keyboss-config", env(defaults, "CONFIGMAP"));
        assertEquals("POSTGRES_HOST", env(defaults, "CONFIGMAP_KEY"));
        assertEquals("saleor-api", env(defaults, "RESTART_DEPLOYMENTS"));
        Map<String, Object> tuned = container(find(local, "Deployment", "postgres-watchdog"), "containers", "watchdog");
        assertEquals("5", env(tuned, "CHECK_INTERVAL"));
        assertEquals("4", env(tuned, "FAILURE_THRESHOLD"));
        Manifest deployment = find(deti, "Deployment", "postgres-watchdog");
        assertEquals("Recreate", deployment.at("spec.strategy.type"));
        assertEquals("postgres-watchdog", deployment.at("spec.template.spec.serviceAccountName"));
    }

    @Test
    void watchdogRoleHoldsOnlyTheVerbsItUses() {
        Manifest role = find(deti, "Role", "postgres-watchdog");
        List<Object> rules = Manifest.list(role.object().get("rules"));
        assertEquals(List.of(
                Map.of("apiGroups", List.of(""), "resources", List.of("configmaps"),
                        "resourceNames", List.of("keyboss-config"), "verbs", List.of("patch")),
                Map.of("apiGroups", List.of("apps"), "resources", List.of("deployments"),
                        "resourceNames", List.of("saleor-api"), "verbs", List.of("patch"))), rules);
        // Every API call in the script is one of those PATCHes.
        String script = Scripts.read("postgres/watchdog.sh");
        assertContainsAll(script, "-X PATCH", "/configmaps/$CONFIGMAP", "/deployments/$d");
        assertFalse(script.matches("(?s).*-X (GET|POST|PUT|DELETE).*"), "watchdog.sh uses only PATCH");
        Manifest binding = find(deti, "RoleBinding", "postgres-watchdog");
        assertEquals("postgres-watchdog", binding.at("roleRef.name"));
        Map<String, Object> subject = Manifest.map(Manifest.list(binding.object().get("subjects")).get(0));
        assertEquals(Map.of("kind", "ServiceAccount", "name", "postgres-watchdog", "namespace", "tenant-keyboss"), subject);
        find(deti, "ServiceAccount", "postgres-watchdog");
    }

    @Test
    void accessorsDeriveHostsFromTheName() {
        List<Manifest> named = Fixtures.synth(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "db", PostgresHAProps.builder().name("orders-db").build());
            assertEquals("orders-db-0.orders-db", db.primaryHost());
            assertEquals(List.of("orders-db-0.orders-db:5432", "orders-db-1.orders-db:5432"), db.peers());
        });
        find(named, "StatefulSet", "orders-db");
        find(named, "Deployment", "orders-db-watchdog");
    }

    @Test
    void replicasBelowHaAreRejectedWithTheFix() {
        Problem p = problemFor(Fixtures.problems(Environment.local(),
                c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().replicas(1).build())), "replicas");
        assertEquals("test/postgres", p.path());
        assertEquals(1, p.value());
        assertContainsAll(p.toString(), "[test/postgres] replicas = 1", "exactly 2", "hot standby", "Fix: set replicas to 2");
    }

    @Test
    void volumeAboveTheEnvironmentCapIsRejected() {
        Problem p = problemFor(Fixtures.problems(Environment.deti(),
                c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().storageSize(Size.gi(5)).build())), "storageSize");
        assertContainsAll(p.toString(), "storageSize = 5Gi", "'deti' admits volume claims up to 1Gi", "request at most 1Gi");
    }

    @Test
    void badNamesAreRejected() {
        Problem upper = problemFor(Fixtures.problems(Environment.local(),
                c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().name("Postgres_DB").build())), "name");
        assertContainsAll(upper.toString(), "'Postgres_DB'", "not a DNS label", "postgres-db");
        String longName = "p".repeat(53);
        Problem tooLong = problemFor(Fixtures.problems(Environment.local(),
                c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().name(longName).build())), "name");
        assertContainsAll(tooLong.toString(), "53 characters long; at most 52");
    }

    @Test
    void missingRequiredPropsAndUnsafeTimingAreAllReportedAtOnce() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new PostgresHA(c, "postgres",
                PostgresHAProps.builder().secretName(null).failureThreshold(1).checkIntervalSeconds(10)
                        .rejoinWindowSeconds(10).build()));
        assertContainsAll(problemFor(problems, "secretName").toString(), "(missing)", "required");
        assertContainsAll(problemFor(problems, "failureThreshold").toString(), "from 2 to 20");
        assertContainsAll(problemFor(problems, "rejoinWindowSeconds").toString(), "two primaries", "above 12");
    }
}
