package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The ValkeySentinel scripts against real redis-server and redis-sentinel processes: the
 * Sentinels promote the replica when the master dies, a client that asks them for the master
 * writes again within the target, and the old master re-joins as replica when restarted.
 */
class SentinelHaTest {

    @Test
    void sentinelsFailOverAndTheOldMasterRejoinsAsReplica() throws Exception {
        try (ValkeyCluster cluster = new ValkeyCluster("sentinel").up()) {
            assertTrue(cluster.data[0].replication().contains("role:master"), cluster.data[0].replication());
            long deadline = System.currentTimeMillis() + 15_000;
            while (!cluster.data[1].replication().contains("master_link_status:up")) {
                assertTrue(System.currentTimeMillis() < deadline, "replica never linked: " + cluster.data[1].replication());
                PgCluster.sleep(100);
            }
            assertEquals(cluster.data[0].hostPort(), cluster.masterFromSentinels());

            SentinelScenario.Failover failover = SentinelScenario.killMaster(cluster);
            System.out.printf("sentinel failover: RTO %d ms, RPO %d writes%n", failover.rtoMillis(), failover.lostWrites());
            assertTrue(failover.rtoMillis() <= 10_000, "RTO " + failover.rtoMillis() + " ms");
            assertNotEquals(cluster.data[0].hostPort(), failover.newMaster());

            // The old master restarts through its init script: it asks the Sentinels and follows the new master.
            Exec.Result init = cluster.data[0].configureAsData();
            assertTrue(init.output().contains("starting as replica of " + failover.newMaster()), init.output());
            cluster.data[0].start(false);
            deadline = System.currentTimeMillis() + 20_000;
            while (!cluster.data[0].replication().contains("master_link_status:up")) {
                assertTrue(System.currentTimeMillis() < deadline, "old master did not re-join: " + cluster.data[0].replication());
                PgCluster.sleep(200);
            }
            assertTrue(cluster.data[0].replication().contains("role:slave"));
            assertNotNull(cluster.masterFromSentinels());
        }
    }
}
