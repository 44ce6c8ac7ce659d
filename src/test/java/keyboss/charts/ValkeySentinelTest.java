package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ValkeySentinelTest {

    private static List<Manifest> deti;
    private static ValkeySentinel valkey;

    @BeforeAll
    static void synth() {
        deti = Fixtures.synth(Environment.deti(), c -> valkey = new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().build()));
    }

    @Test
    void masterAndReplicaWithStableNames() {
        Manifest sts = find(deti, "StatefulSet", "redis");
        assertEquals(2, sts.at("spec.replicas"));
        assertEquals("redis", sts.at("spec.serviceName"));
        assertEquals("None", find(deti, "Service", "redis").at("spec.clusterIP"));
        Map<String, Object> init = container(sts, "initContainers", "config");
        assertEquals("redis-0.redis:6379 redis-1.redis:6379", env(init, "PEERS"));
        assertEquals("$(POD_NAME).redis:6379", env(init, "SELF"));
        assertEquals("mymaster", env(init, "MASTER_NAME"));
        assertEquals("valkey/valkey:7.2.7-alpine", container(sts, "containers", "valkey").get("image"));
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
        assertEquals(1, find(deti, "PodDisruptionBudget", "redis").at("spec.minAvailable"));
        assertEquals(2, find(deti, "PodDisruptionBudget", "redis-sentinel").at("spec.minAvailable"));
    }

    @Test
    void replicaRejoinLogicIsInTheInitScript() {
        String script = Scripts.read("valkey/init.sh");
        assertContainsAll(script, "get-master-addr-by-name", "role:master", "replicaof");
    }

    @Test
    void celeryUrlsGoThroughEverySentinel() {
        assertEquals("sentinel://redis-sentinel-0.redis-sentinel:26379/1;sentinel://redis-sentinel-1.redis-sentinel:26379/1;"
                + "sentinel://redis-sentinel-2.redis-sentinel:26379/1", valkey.sentinelUrl(1));
        assertEquals("mymaster", valkey.masterName());
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
        assertContainsAll(problemFor(problems, "replicas").toString(), "replicas = 1", "from 2 to 5");
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
