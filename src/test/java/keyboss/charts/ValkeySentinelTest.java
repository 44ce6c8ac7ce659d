package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ValkeySentinelTest {

    private static List<Manifest> deti;
    private static List<Manifest> local;
    private static ValkeySentinel valkey;

    @BeforeAll
    static void synth() {
        deti = Fixtures.synth(Environment.deti(), c -> valkey = new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().build()));
        local = Fixtures.synth(Environment.local(), c -> new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build()));
    }

    @Test
    void masterAndTwoReplicasWithStableNames() {
        Manifest sts = find(deti, "StatefulSet", "redis");
        assertEquals(3, sts.at("spec.replicas"));
        assertEquals("Parallel", sts.at("spec.podManagementPolicy"));
        assertEquals("redis", sts.at("spec.serviceName"));
        assertEquals("None", find(deti, "Service", "redis").at("spec.clusterIP"));
        Map<String, Object> init = container(sts, "initContainers", "config");
        assertEquals("redis-0.redis:6379 redis-1.redis:6379 redis-2.redis:6379", env(init, "PEERS"));
        assertEquals("$(POD_NAME).redis:6379", env(init, "SELF"));
        assertEquals("mymaster", env(init, "MASTER_NAME"));
        assertEquals("valkey/valkey:8.1.1-alpine", container(sts, "containers", "valkey").get("image"));
    }

    @Test
    void aMasterWithoutReplicasRefusesWrites() {
        Map<String, Object> init = container(find(deti, "StatefulSet", "redis"), "initContainers", "config");
        assertEquals("1", env(init, "MIN_REPLICAS_TO_WRITE"));
        assertEquals("2", env(init, "MIN_REPLICAS_MAX_LAG"));
        assertEquals("134217728", env(init, "MAXMEMORY"), "half of the 256Mi limit");
        assertContainsAll(Scripts.read("valkey/init.sh"), "min-replicas-to-write $MIN_REPLICAS_TO_WRITE",
                "min-replicas-max-lag $MIN_REPLICAS_MAX_LAG", "protected-mode yes", "maxmemory-policy volatile-lru");
    }

    @Test
    void aMasterTheSentinelsCannotSeeFencesItselfBeforeTheyFailOver() {
        Manifest sts = find(deti, "StatefulSet", "redis");
        Map<String, Object> fence = container(sts, "containers", "fence");
        assertEquals(List.of("/scripts/fence.sh"), fence.get("command"));
        assertEquals("2500", env(fence, "FENCE_AFTER_MS"), "half of the Sentinels' 5000 ms down-after period");
        assertEquals("1", env(fence, "MIN_REPLICAS_TO_WRITE"), "the value it restores is the one init.sh writes");
        assertEquals("$(POD_NAME).redis:6379", env(fence, "SELF"));
        assertEquals("/secrets/password", env(fence, "AUTH_FILE"));
        assertEquals(Map.of("allowPrivilegeEscalation", false, "capabilities", Map.of("drop", List.of("ALL")),
                "readOnlyRootFilesystem", true), fence.get("securityContext"));
        assertEquals(2500, valkey.fenceAfterMillis());
        assertContainsAll(Scripts.read("valkey/fence.sh"), "config set min-replicas-to-write", "majority");
    }

    /** redis_exporter v1.62.0 uses REDIS_PASSWORD for its own target and for every /scrape target (the Sentinels). */
    @Test
    void theValkeyExporterAuthenticatesWithThePasswordOfTheSecret() {
        for (String environment : List.of("local", "deti")) {
            Manifest exporter = find(Fixtures.builtIn(environment), "Deployment", "redis-exporter");
            Map<String, Object> c = container(exporter, "containers", "redis-exporter");
            Map<String, Object> password = Manifest.list(c.get("env")).stream().map(Manifest::map)
                    .filter(v -> "REDIS_PASSWORD".equals(v.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(environment + ": the Valkey exporter has no REDIS_PASSWORD"));
            assertEquals(Map.of("secretKeyRef", Map.of("name", "keyboss-secrets", "key", "VALKEY_PASSWORD")),
                    password.get("valueFrom"), environment);
        }
    }

    @Test
    void serversAndSentinelsReadThePasswordFromTheSecretAsAFile() {
        for (String name : List.of("redis", "redis-sentinel")) {
            Manifest sts = find(deti, "StatefulSet", name);
            String volumes = sts.at("spec.template.spec.volumes").toString();
            assertContainsAll(volumes, "secretName=keyboss-secrets", "key=VALKEY_PASSWORD", "path=password", "medium=Memory");
            Map<String, Object> init = container(sts, "initContainers", "config");
            assertEquals("/secrets/password", env(init, "AUTH_FILE"));
            Map<String, Object> server = container(sts, "containers", name.equals("redis") ? "valkey" : "sentinel");
            assertEquals(List.of("/scripts/ping.sh", name.equals("redis") ? "6379" : "26379"),
                    Manifest.map(server.get("readinessProbe")).get("exec") instanceof Map<?, ?> m ? m.get("command") : null);
            assertFalse(sts.object().toString().contains("requirepass"), "no password in the manifest");
        }
        assertContainsAll(Scripts.read("valkey/init.sh"), "requirepass", "masterauth", "include $AUTH_CONF");
        assertContainsAll(Scripts.read("valkey/sentinel-init.sh"), "requirepass", "sentinel auth-pass $MASTER_NAME");
    }

    @Test
    void membersAreOnDifferentNodesWhereTheEnvironmentHasSeveral() {
        for (String name : List.of("redis", "redis-sentinel")) {
            Map<String, Object> detiAffinity = Manifest.map(find(deti, "StatefulSet", name).at("spec.template.spec.affinity"));
            assertContainsAll(detiAffinity.toString(), "requiredDuringSchedulingIgnoredDuringExecution",
                    "topologyKey=kubernetes.io/hostname", "app.kubernetes.io/name=" + name);
            Map<String, Object> localAffinity = Manifest.map(find(local, "StatefulSet", name).at("spec.template.spec.affinity"));
            assertContainsAll(localAffinity.toString(), "preferredDuringSchedulingIgnoredDuringExecution");
            assertFalse(localAffinity.toString().contains("required"), localAffinity.toString());
        }
    }

    @Test
    void sentinelsNeverFallBackToTheFirstPodBlindly() {
        String script = Scripts.read("valkey/sentinel-init.sh");
        assertFalse(script.contains("INITIAL_MASTER"), "sentinel-init.sh must not assume redis-0 is master");
        assertContainsAll(script, "master_repl_offset", "connected_slaves", "sentinel known-replica");
    }

    @Test
    void threeSentinelsWithTheSeedsDefaults() {
        Manifest sts = find(deti, "StatefulSet", "redis-sentinel");
        assertEquals(3, sts.at("spec.replicas"));
        Map<String, Object> init = container(sts, "initContainers", "config");
        assertEquals("2", env(init, "QUORUM"));
        assertEquals("5000", env(init, "DOWN_AFTER_MS"));
        assertEquals("30000", env(init, "FAILOVER_TIMEOUT_MS"));
        assertEquals(List.of("valkey-server", "/conf/sentinel.conf", "--sentinel"),
                container(sts, "containers", "sentinel").get("command"));
        String script = Scripts.read("valkey/sentinel-init.sh");
        assertContainsAll(script, "sentinel resolve-hostnames yes", "sentinel monitor $MASTER_NAME");
    }

    @Test
    void disruptionBudgetsKeepAMasterAndAQuorum() {
        assertEquals(2, find(deti, "PodDisruptionBudget", "redis").at("spec.minAvailable"), "a master and the replica it needs");
        assertEquals(2, find(deti, "PodDisruptionBudget", "redis-sentinel").at("spec.minAvailable"));
    }

    @Test
    void replicaRejoinLogicIsInTheInitScript() {
        String script = Scripts.read("valkey/init.sh");
        assertContainsAll(script, "get-master-addr-by-name", "role:master", "replicaof");
    }

    @Test
    void celeryUrlsGoThroughEverySentinel() {
        assertEquals("sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-0.redis-sentinel:26379/1;"
                + "sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-1.redis-sentinel:26379/1;"
                + "sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-2.redis-sentinel:26379/1", valkey.sentinelUrl(1, "VALKEY_PASSWORD"));
        assertEquals("mymaster", valkey.masterName());
    }

    @Test
    void minReplicasMustKeepACutOffMasterFromWritingBeforeAFailover() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().minReplicasToWrite(0).minReplicasMaxLagSeconds(4).build()));
        assertContainsAll(problemFor(problems, "minReplicasToWrite").toString(), "minReplicasToWrite = 0", "from 1 to 2");
        assertContainsAll(problemFor(problems, "minReplicasMaxLagSeconds").toString(), "= 4", "from 1 to 3",
                "downAfterMillis 5000");
    }

    @Test
    void quorumMustBeAMajority() {
        Problem p = problemFor(Fixtures.problems(Environment.local(),
                c -> new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().sentinels(5).quorum(2).build())), "quorum");
        assertContainsAll(p.toString(), "[test/valkey] quorum = 2", "from 3 to 5", "majority", "Fix: set quorum to 3");
    }

    @Test
    void tooFewPodsForFailoverAreRejected() {
        List<Problem> problems = Fixtures.problems(Environment.local(),
                c -> new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().replicas(1).sentinels(1).quorum(1).build()));
        assertContainsAll(problemFor(problems, "replicas").toString(), "replicas = 1", "from 2 to 5", "Fix: set replicas to 3");
        assertContainsAll(problemFor(problems, "sentinels").toString(), "sentinels = 1", "from 3 to 7");
    }

    @Test
    void volumeAboveCapAndClashingNamesAreRejected() {
        List<Problem> problems = Fixtures.problems(Environment.deti(), c -> new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().storageSize(Size.mi(1536)).sentinelName("redis").build()));
        assertContainsAll(problemFor(problems, "storageSize").toString(), "1536Mi", "up to 1Gi");
        assertContainsAll(problemFor(problems, "sentinelName").toString(), "must differ from name");
    }
}
