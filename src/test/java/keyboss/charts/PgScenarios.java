package keyboss.charts;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL scenarios, shared by the tests (which assert the targets) and bin/bench-ha
 * (which repeats them and prints the figures).
 */
final class PgScenarios {

    /** One failover: how long writes stopped, how many acknowledged rows were lost, what the watchdog sent. */
    record Failover(long rtoMillis, long rpoRows, String newPrimary, List<KubeApiRecorder.Request> requests) {
    }

    private PgScenarios() {
    }

    /** Kills the primary under write load; the watchdog promotes the standby. */
    static Failover killPrimary(PgCluster cluster, KubeApiRecorder api, Writer writer, PgCluster.Node primary,
            PgCluster.Node standby) throws SQLException {
        long settle = System.currentTimeMillis() + 20_000;
        while (writer.firstAfter(System.currentTimeMillis(), primary.hostPort(), 3000) == null) {
            if (System.currentTimeMillis() > settle) {
                throw new AssertionError("the writer never wrote to " + primary.hostPort() + "; watchdog: " + cluster.watchdogLog());
            }
        }
        int before = api.requests().size();
        long killedAt = System.currentTimeMillis();
        primary.kill();
        Writer.Ack first = writer.firstAfter(killedAt, standby.hostPort(), 60_000);
        if (first == null) {
            throw new AssertionError("no write reached " + standby.hostPort() + " within 60 s; watchdog: " + cluster.watchdogLog());
        }
        // Clients reach the new primary before the watchdog has sent all its calls (the ConfigMap
        // patch and the API restart): wait for both, then a little longer for anything extra.
        long deadline = System.currentTimeMillis() + 15_000;
        while (api.requests().size() < before + 2 && System.currentTimeMillis() < deadline) {
            PgCluster.sleep(100);
        }
        PgCluster.sleep(500);
        List<KubeApiRecorder.Request> sent = api.requests();
        return new Failover(first.atMillis() - killedAt, writer.missingOn(standby), standby.hostPort(),
                sent.subList(before, sent.size()));
    }

    /** Restarts a killed old primary through its init container script; it must re-join as standby. */
    static String rejoin(PgCluster.Node oldPrimary) {
        Exec.Result r = oldPrimary.bootstrap();
        oldPrimary.start();
        return r.output();
    }

    /** Default settings of the watchdog, as the manifest ships them. */
    static Map<String, String> shippedDefaults() {
        return Map.of();
    }
}
