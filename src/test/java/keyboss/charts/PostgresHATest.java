package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.env.Images;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
                .ttlSeconds(30).loopWaitSeconds(10).retryTimeoutSeconds(10).build()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> patroniYml(List<Manifest> manifests) throws Exception {
        String yml = (String) Manifest.map(find(manifests, "ConfigMap", "postgres-patroni").object().get("data")).get("patroni.yml");
        return new ObjectMapper(new YAMLFactory()).readValue(yml, Map.class);
    }

    @Test
    void membersRunPatroniFromThePinnedImage() {
        Manifest sts = find(deti, "StatefulSet", "postgres");
        assertEquals(2, sts.at("spec.replicas"));
        assertEquals("postgres-members", sts.at("spec.serviceName"));
        assertEquals("Parallel", sts.at("spec.podManagementPolicy"));
        Map<String, Object> patroni = container(sts, "containers", "patroni");
        assertEquals(Images.POSTGRES_HA, patroni.get("image"));
        assertTrue(Images.POSTGRES_HA.contains(Images.PATRONI_VERSION), Images.POSTGRES_HA);
        assertEquals(List.of("patroni", "/etc/patroni/patroni.yml"), patroni.get("command"));
        assertEquals("$(PATRONI_KUBERNETES_POD_IP):5432", env(patroni, "PATRONI_POSTGRESQL_CONNECT_ADDRESS"));
        assertEquals("postgres", sts.at("spec.template.spec.serviceAccountName"));
        assertEquals(true, sts.at("spec.template.spec.automountServiceAccountToken"));
        assertEquals("/readiness", Manifest.map(Manifest.map(patroni.get("readinessProbe")).get("httpGet")).get("path"));
        // Patroni lists its members by these labels; the pod template must carry them.
        assertEquals(Map.of(Labels.NAME, "postgres", Labels.COMPONENT, "database", "cluster-name", "postgres"),
                sts.at("spec.template.metadata.labels"));
    }

    @Test
    void theRequirementsFilePinsThePatroniOfTheImageTag() throws Exception {
        String requirements = java.nio.file.Files.readString(java.nio.file.Path.of("images/postgres-ha/requirements.txt"));
        assertTrue(requirements.contains("patroni[kubernetes]==" + Images.PATRONI_VERSION + "\n"), requirements);
        for (String line : requirements.split("\n")) {
            assertTrue(line.isBlank() || line.startsWith("#") || line.contains("=="), "unpinned: " + line);
        }
        String dockerfile = java.nio.file.Files.readString(java.nio.file.Path.of("images/postgres-ha/Dockerfile"));
        assertContainsAll(dockerfile, "FROM " + Images.POSTGRES_BASE + "\n", "requirements.txt", Images.POSTGRES_HA,
                "pgbackrest=" + Images.PGBACKREST_VERSION + "-1");
        assertTrue(Images.POSTGRES_HA.contains("pgbackrest" + Images.PGBACKREST_VERSION), Images.POSTGRES_HA);
        assertContainsAll(java.nio.file.Files.readString(java.nio.file.Path.of("images/postgres-backup/Dockerfile")),
                "FROM " + Images.POSTGRES_BASE + "\n", "pgbackrest=" + Images.PGBACKREST_VERSION + "-1", Images.POSTGRES);
    }

    @Test
    @SuppressWarnings("unchecked")
    void patroniHoldsTheLeaseInEndpointsWithSynchronousReplication() throws Exception {
        Map<String, Object> config = patroniYml(deti);
        assertEquals("postgres", config.get("scope"));
        Map<String, Object> k8s = (Map<String, Object>) config.get("kubernetes");
        assertEquals(true, k8s.get("use_endpoints"));
        assertEquals(List.of(Map.of("name", "postgresql", "port", 5432)), k8s.get("ports"));
        Map<String, Object> dcs = (Map<String, Object>) ((Map<String, Object>) config.get("bootstrap")).get("dcs");
        assertEquals(20, dcs.get("ttl"));
        assertEquals(5, dcs.get("loop_wait"));
        assertEquals(5, dcs.get("retry_timeout"));
        assertEquals(true, dcs.get("synchronous_mode"));
        assertEquals(false, dcs.get("synchronous_mode_strict"));
        assertEquals(1048576, dcs.get("maximum_lag_on_failover"));
        Map<String, Object> pg = (Map<String, Object>) dcs.get("postgresql");
        assertEquals(true, pg.get("use_pg_rewind"));
        assertEquals(true, pg.get("use_slots"));
        Map<String, Object> local = (Map<String, Object>) config.get("postgresql");
        assertEquals(false, local.get("remove_data_directory_on_rewind_failure"));
        assertEquals(false, local.get("remove_data_directory_on_diverged_timelines"));
        assertEquals("/var/lib/postgresql/data/pgdata", local.get("data_dir"));
        List<Object> hba = (List<Object>) local.get("pg_hba");
        assertTrue(hba.indexOf("host all postgres all reject") < hba.indexOf("host all all all scram-sha-256"),
                "the superuser never logs in over the network: " + hba);
        // The timing comes from the props.
        Map<String, Object> tuned = (Map<String, Object>) ((Map<String, Object>) patroniYml(PostgresHATest.local).get("bootstrap")).get("dcs");
        assertEquals(30, tuned.get("ttl"));
        assertEquals(10, tuned.get("loop_wait"));
    }

    @Test
    void clientsReachThePrimaryThroughAServiceWhoseEndpointsTheLeaderWrites() {
        Manifest primary = find(deti, "Service", "postgres");
        assertNull(primary.at("spec.selector"), "no selector: Patroni's leader owns the Endpoints");
        assertEquals("postgresql", Manifest.map(Manifest.list(primary.at("spec.ports")).get(0)).get("name"),
                "named like the port Patroni writes into the Endpoints");
        Manifest replica = find(deti, "Service", "postgres-replica");
        assertEquals(Map.of(Labels.NAME, "postgres", "cluster-name", "postgres", "role", "replica"), replica.at("spec.selector"));
        Manifest members = find(deti, "Service", "postgres-members");
        assertEquals("None", members.at("spec.clusterIP"));
        assertEquals("None", find(deti, "Service", "postgres-config").at("spec.clusterIP"));
        // Patroni's run-time objects are not synthesized, so Argo CD never reverts them.
        assertFalse(deti.stream().anyMatch(m -> m.kind().equals("Endpoints")), "no Endpoints in the output");
    }

    @Test
    void theRoleGrantsOnlyWhatPatroniCallsInItsNamespace() {
        Manifest role = find(deti, "Role", "postgres");
        assertEquals(List.of(
                Map.of("apiGroups", List.of(""), "resources", List.of("endpoints"), "verbs", List.of("create", "list", "watch")),
                Map.of("apiGroups", List.of(""), "resources", List.of("endpoints"),
                        "resourceNames", List.of("postgres", "postgres-config", "postgres-failover", "postgres-sync"),
                        "verbs", List.of("get", "patch")),
                Map.of("apiGroups", List.of(""), "resources", List.of("pods"), "verbs", List.of("get", "list", "watch", "patch"))),
                Manifest.list(role.object().get("rules")));
        Manifest binding = find(deti, "RoleBinding", "postgres");
        assertEquals(Map.of("kind", "ServiceAccount", "name", "postgres", "namespace", "tenant-keyboss"),
                Manifest.map(Manifest.list(binding.object().get("subjects")).get(0)));
        find(deti, "ServiceAccount", "postgres");
    }

    @Test
    void membersMustBeOnDifferentNodesWhereTheEnvironmentHasThem() {
        Map<String, Object> required = Manifest.map(find(deti, "StatefulSet", "postgres").at("spec.template.spec.affinity.podAntiAffinity"));
        Map<String, Object> term = Manifest.map(Manifest.list(required.get("requiredDuringSchedulingIgnoredDuringExecution")).get(0));
        assertEquals("kubernetes.io/hostname", term.get("topologyKey"));
        assertEquals(Map.of("matchLabels", Map.of(Labels.NAME, "postgres")), term.get("labelSelector"));
        Map<String, Object> preferred = Manifest.map(find(local, "StatefulSet", "postgres").at("spec.template.spec.affinity.podAntiAffinity"));
        assertNull(preferred.get("requiredDuringSchedulingIgnoredDuringExecution"));
        assertEquals(100, Manifest.map(Manifest.list(preferred.get("preferredDuringSchedulingIgnoredDuringExecution")).get(0)).get("weight"));
    }

    @Test
    void separateRolesComeFromTheSecret() {
        Map<String, Object> patroni = container(find(deti, "StatefulSet", "postgres"), "containers", "patroni");
        assertEquals("saleor", env(patroni, "POSTGRES_USER"));
        assertEquals("monitor", env(patroni, "MONITOR_USER"));
        assertEquals("backup", env(patroni, "BACKUP_USER"));
        String postInit = Scripts.read("postgres/post-init.sh");
        assertContainsAll(postInit, "NOSUPERUSER NOCREATEROLE NOREPLICATION", "GRANT pg_monitor", "GRANT pg_read_all_data",
                "CREATE DATABASE %I OWNER %I");
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
    void accessorsDeriveHostsFromTheName() {
        List<Manifest> named = Fixtures.synth(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "db", PostgresHAProps.builder().name("orders-db").build());
            assertEquals("orders-db", db.primaryHost());
            assertEquals(List.of("orders-db-0.orders-db-members:5432", "orders-db-1.orders-db-members:5432"), db.peers());
        });
        find(named, "StatefulSet", "orders-db");
        find(named, "Service", "orders-db-replica");
    }

    @Test
    void oneMemberIsRejectedWithTheFix() {
        Problem p = problemFor(Fixtures.problems(Environment.local(),
                c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().replicas(1).build())), "replicas");
        assertEquals("test/postgres", p.path());
        assertEquals(1, p.value());
        assertContainsAll(p.toString(), "[test/postgres] replicas = 1", "synchronous replication", "Fix: set replicas to 2");
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
    void propsLeftNullTakeTheDefaultsAndZerosAreReported() {
        // What the builder leaves unset and what a record made without it leaves null are the same defaults.
        PostgresHAProps bare = new PostgresHAProps(null, 2, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, 5, null, 20, 5, 5, 1024 * 1024, true, null);
        assertEquals(PostgresHAProps.builder().build(), bare);
        assertEquals("keyboss-secrets", bare.secretName());
        assertEquals(PostgresHAProps.builder().secretName(null).build(), PostgresHAProps.builder().build());
        // A number cannot be left unset in a record; a zero is reported, never built.
        PostgresHAProps zeros = new PostgresHAProps(null, 0, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, 0, null, 0, 0, 0, 0, true, null);
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new PostgresHA(c, "postgres", zeros));
        for (String property : List.of("replicas", "maxWalSenders", "ttlSeconds", "loopWaitSeconds", "retryTimeoutSeconds")) {
            assertContainsAll(problemFor(problems, property).toString(), property + " = 0");
        }
        // Without props: every default.
        List<Manifest> manifests = Fixtures.synth(Environment.local(), c -> new PostgresHA(c, "postgres"));
        assertEquals(Fixtures.synth(Environment.local(), c -> new PostgresHA(c, "postgres", PostgresHAProps.builder().build()))
                .stream().map(Manifest::object).toList(), manifests.stream().map(Manifest::object).toList());
    }

    @Test
    void badPropsAndAnUnsafeLeaseAreAllReportedAtOnce() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new PostgresHA(c, "postgres",
                PostgresHAProps.builder().passwordKey("no spaces allowed").user("postgres").ttlSeconds(10).loopWaitSeconds(5)
                        .retryTimeoutSeconds(5).build()));
        assertContainsAll(problemFor(problems, "passwordKey").toString(), "'no spaces allowed'", "a Secret key");
        assertContainsAll(problemFor(problems, "user").toString(), "other than the superuser");
        assertContainsAll(problemFor(problems, "ttlSeconds").toString(), "ttlSeconds = 10", "while the primary still accepts writes",
                "at least 15");
    }
}
