package keyboss.charts;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/** The Sentinel failover scenario, shared by the test and bin/bench-ha. */
final class SentinelScenario {

    record Failover(long rtoMillis, long lostWrites, String newMaster) {
    }

    private SentinelScenario() {
    }

    /**
     * Writes keys through the master the Sentinels name, kills that master, and measures the
     * time until a write succeeds on the new master, then counts acknowledged keys it lacks.
     */
    static Failover killMaster(ValkeyCluster cluster) throws IOException {
        String master = cluster.masterFromSentinels();
        ValkeyCluster.Server old = cluster.byHostPort(master);
        Set<String> acked = new HashSet<>();
        int n = 0;
        long warmUntil = System.currentTimeMillis() + 1000;
        while (System.currentTimeMillis() < warmUntil) {
            if (write(master, "k" + n)) {
                acked.add("k" + n);
            }
            n++;
        }
        long killedAt = System.currentTimeMillis();
        old.kill();
        long deadline = killedAt + 60_000;
        String current = null;
        while (System.currentTimeMillis() < deadline) {
            current = cluster.masterFromSentinels();
            if (current != null && !current.equals(master) && write(current, "k" + n)) {
                acked.add("k" + n);
                break;
            }
            n++;
            PgCluster.sleep(50);
        }
        long rto = System.currentTimeMillis() - killedAt;
        if (current == null || current.equals(master)) {
            throw new AssertionError("no failover within 60 s");
        }
        long lost = 0;
        try (Resp r = new Resp(current.substring(0, current.lastIndexOf(':')),
                Integer.parseInt(current.substring(current.lastIndexOf(':') + 1)), 2000)) {
            for (String key : acked) {
                if (r.call("GET", key) == null) {
                    lost++;
                }
            }
        }
        return new Failover(rto, lost, current);
    }

    private static boolean write(String hostPort, String key) {
        try (Resp r = new Resp(hostPort.substring(0, hostPort.lastIndexOf(':')),
                Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)), 500)) {
            return "OK".equals(r.call("SET", key, "v"));
        } catch (IOException e) {
            return false;
        }
    }
}
