package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PostgresHA scripts against real PostgreSQL servers on loopback: bootstrap, failover by
 * the watchdog, re-join and a second failover, a frozen primary, a primary that is only slow.
 * Figures over several runs come from bin/bench-ha; this suite asserts the targets once.
 */
class PostgresHaTest {

    @Test
    void standbyIsBootstrappedAndStreamsFromThePrimary() throws Exception {
        try (PgCluster cluster = new PgCluster("bootstrap").up()) {
            PgCluster.assertRole(cluster.nodes[0], "primary");
            PgCluster.assertRole(cluster.nodes[1], "standby");
            assertTrue(fileExists(cluster.nodes[1], "standby.signal"), "pg_basebackup -R wrote standby.signal");
            try (Connection c = cluster.nodes[0].connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO ha_test (id) SELECT g FROM generate_series(1, 100) g");
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (cluster.nodes[1].count("SELECT count(*) FROM ha_test") < 100 && System.currentTimeMillis() < deadline) {
                PgCluster.sleep(50);
            }
            assertEquals(100, cluster.nodes[1].count("SELECT count(*) FROM ha_test"), "rows reach the standby");
            SQLException readOnly = assertThrows(SQLException.class, () -> {
                try (Connection c = cluster.nodes[1].connect(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO ha_test (id) VALUES (1000)");
                }
            });
            assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
            assertEquals(1, cluster.nodes[0].count("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"));
        }
    }

    @Test
    void watchdogFailsOverTwiceWithTheShippedDefaults() throws Exception {
        try (PgCluster cluster = new PgCluster("failover").up(); KubeApiRecorder api = new KubeApiRecorder()) {
            cluster.startWatchdog(api, PgScenarios.shippedDefaults());
            try (Writer writer = new Writer(cluster)) {
                PgScenarios.Failover first = PgScenarios.killPrimary(cluster, api, writer, cluster.nodes[0], cluster.nodes[1]);
                System.out.printf("postgres failover 1: RTO %d ms, RPO %d rows%n", first.rtoMillis(), first.rpoRows());
                assertTrue(first.rtoMillis() <= 15_000, "RTO " + first.rtoMillis() + " ms; watchdog: " + cluster.watchdogLog());
                assertEquals(0, first.rpoRows(), "committed rows lost");
                PgCluster.assertRole(cluster.nodes[1], "primary");
                // The ConfigMap patch and the API restart, as the Role allows them.
                KubeApiRecorder.Request patch = first.requests().get(0);
                assertEquals("PATCH", patch.method());
                assertEquals("/api/v1/namespaces/keyboss/configmaps/keyboss-config", patch.path());
                assertEquals("application/merge-patch+json", patch.contentType());
                assertEquals("{\"data\":{\"POSTGRES_HOST\":\"127.0.0.3\"}}", patch.body());
                KubeApiRecorder.Request restart = first.requests().get(1);
                assertEquals("/apis/apps/v1/namespaces/keyboss/deployments/saleor-api", restart.path());
                assertTrue(restart.body().contains("kubectl.kubernetes.io/restartedAt"), restart.body());
                assertEquals(2, first.requests().size(), "nothing else is sent: " + first.requests());

                // The old primary restarts through its init container and re-joins as standby.
                String init = PgScenarios.rejoin(cluster.nodes[0]);
                assertTrue(init.contains("REJOIN"), init);
                PgCluster.assertRole(cluster.nodes[0], "standby");

                // The seed failed over twice in a row; so does this.
                PgScenarios.Failover second = PgScenarios.killPrimary(cluster, api, writer, cluster.nodes[1], cluster.nodes[0]);
                System.out.printf("postgres failover 2: RTO %d ms, RPO %d rows%n", second.rtoMillis(), second.rpoRows());
                assertTrue(second.rtoMillis() <= 15_000, "RTO " + second.rtoMillis() + " ms");
                assertEquals(0, second.rpoRows());
                PgCluster.assertRole(cluster.nodes[0], "primary");
                assertTrue(second.requests().get(0).body().contains("127.0.0.2"), second.requests().toString());
            }
        }
    }

    @Test
    void aPrimaryThatIsSlowForFiveSecondsIsNotFailedOver() throws Exception {
        try (PgCluster cluster = new PgCluster("slow").up(); KubeApiRecorder api = new KubeApiRecorder()) {
            cluster.startWatchdog(api, PgScenarios.shippedDefaults());
            PgCluster.sleep(4000);
            cluster.nodes[0].freeze();
            PgCluster.sleep(5000);
            cluster.nodes[0].thaw();
            PgCluster.sleep(3L * cluster.watchdogSetting("CHECK_INTERVAL") * 1000);
            assertEquals(List.of(), api.requests(), "no failover; watchdog: " + cluster.watchdogLog());
            PgCluster.assertRole(cluster.nodes[0], "primary");
            PgCluster.assertRole(cluster.nodes[1], "standby");
        }
    }

    @Test
    void aFrozenPrimaryThatComesBackIsFenced() throws Exception {
        try (PgCluster cluster = new PgCluster("frozen").up(); KubeApiRecorder api = new KubeApiRecorder()) {
            cluster.startWatchdog(api, PgScenarios.shippedDefaults());
            PgCluster.sleep(2000);
            cluster.nodes[0].freeze();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"primary".equals(cluster.nodes[1].role())) {
                assertTrue(System.currentTimeMillis() < deadline, "no promotion; watchdog: " + cluster.watchdogLog());
                PgCluster.sleep(200);
            }
            cluster.nodes[0].thaw();
            // Within two watchdog cycles, only one writable primary may remain.
            PgCluster.sleep(2L * cluster.watchdogSetting("CHECK_INTERVAL") * 1000 + 3000);
            List<PgCluster.Node> writable = cluster.writablePrimaries();
            System.out.println("frozen primary: writable primaries afterwards: " + writable.stream().map(PgCluster.Node::hostPort).toList());
            assertEquals(List.of(cluster.nodes[1]), writable, "watchdog: " + cluster.watchdogLog());
            PgCluster.assertRole(cluster.nodes[0], "fenced");
            SQLException refused = assertThrows(SQLException.class, () -> {
                try (Connection c = cluster.nodes[0].connect(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO ha_test (id) VALUES (99999)");
                }
            });
            assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
            // Restarted (as a deleted pod would be), it re-joins the new primary as standby.
            cluster.nodes[0].kill();
            PgScenarios.rejoin(cluster.nodes[0]);
            PgCluster.assertRole(cluster.nodes[0], "standby");
        }
    }

    private static boolean fileExists(PgCluster.Node node, String file) {
        return java.nio.file.Files.exists(node.data.resolve(file));
    }
}
