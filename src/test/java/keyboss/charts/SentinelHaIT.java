package keyboss.charts;

import keyboss.charts.lab.SentinelScenario;
import keyboss.charts.lab.ValkeyCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The ValkeySentinel scripts and Saleor's Valkey settings against real valkey-server and
 * valkey-sentinel processes and the real Python clients (Celery/kombu, redis-py, django-redis):
 * in each fault, no acknowledged write is lost, no two servers take writes at once, and
 * Celery's .delay() and the cache never fail.
 */
class SentinelHaIT {

    private static void assertNothingLost(SentinelScenario.Result r) {
        System.out.println(r);
        assertEquals(0, r.lost(), r.toString());
        assertEquals(0, r.splitBrain(), r.toString());
        assertEquals(0, r.delayFailures(), r.toString());
        assertEquals(0, r.delaysLost(), r.toString());
        assertEquals(0, r.cacheErrors(), r.toString());
        assertTrue(r.delays() > 20 && r.acked() > 100, "the clients hardly wrote: " + r);
    }

    @Test
    void killedMasterIsReplacedWithinTenSecondsAndRejoins() {
        try (ValkeyCluster cluster = new ValkeyCluster("sentinel-kill").up()) {
            ValkeyCluster.Server first = cluster.master();
            assertEquals(cluster.data[0], first, "redis-0 starts as master");
            SentinelScenario.Result r = SentinelScenario.killMaster(cluster);
            assertNothingLost(r);
            assertTrue(r.rtoMillis() <= 10_000, "RTO " + r.rtoMillis() + " ms");
            assertTrue(first.replication().contains("role:slave"), "the old master re-joined as replica");
        }
    }

    /**
     * The master cut off from every Sentinel (both ways) but not from its clients and replicas:
     * its fence sidecar makes it refuse writes before the Sentinels promote a replica, so nothing
     * it acknowledged is discarded when it re-joins, and it re-joins as a replica.
     */
    @Test
    void masterCutOffFromTheSentinelsFencesItselfAndLosesNothing() {
        try (ValkeyCluster cluster = new ValkeyCluster("sentinel-partition").up()) {
            ValkeyCluster.Server old = cluster.master();
            SentinelScenario.Result r = SentinelScenario.partitionMaster(cluster, 15);
            assertNothingLost(r);
            assertTrue(r.rtoMillis() <= 10_000, "RTO " + r.rtoMillis() + " ms");
            assertTrue(old.fenceLog().contains("fenced (writes refused)"), "the old master fenced itself: " + old.fenceLog());
            assertTrue(old.replication().contains("role:slave"), "the old master re-joined as replica");
        }
    }

    @Test
    void masterAndAllSentinelsRestartingTogetherFindEachOther() {
        try (ValkeyCluster cluster = new ValkeyCluster("sentinel-restart").up()) {
            SentinelScenario.Result r = SentinelScenario.jointRestart(cluster);
            assertNothingLost(r);
            assertTrue(r.rtoMillis() <= 10_000, "RTO " + r.rtoMillis() + " ms");
        }
    }

    @Test
    void everythingRestartingAfterAFailoverKeepsTheNewMaster() {
        try (ValkeyCluster cluster = new ValkeyCluster("sentinel-full-restart").up()) {
            SentinelScenario.Result r = SentinelScenario.fullRestartAfterFailover(cluster);
            assertNothingLost(r);
        }
    }
}
