package keyboss.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): repeats the failover scenarios with real servers and prints median
 * and worst RTO and RPO per scenario. Run with {@code bin/bench-ha [RUNS] [postgres|sentinel]};
 * the PostgreSQL scenarios are {@link PgBenchmark}'s.
 */
public final class HaBenchmark {

    private HaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String part = args.length > 1 ? args[1] : "all";
        if (!part.equals("sentinel")) {
            Map<String, List<PgScenarios.Result>> postgres = PgBenchmark.run(runs, null);
            System.out.println();
            PgBenchmark.print(postgres);
            if (part.equals("postgres")) {
                return;
            }
        }
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        results.put("5. Sentinel failover (kill master)", new ArrayList<>());
        for (int run = 1; run <= runs; run++) {
            System.err.printf("run %d of %d: sentinel...%n", run, runs);
            try (ValkeyCluster cluster = new ValkeyCluster("bench").up()) {
                long deadline = System.currentTimeMillis() + 15_000;
                while (!cluster.data[1].replication().contains("master_link_status:up") && System.currentTimeMillis() < deadline) {
                    PgCluster.sleep(100);
                }
                SentinelScenario.Failover f = SentinelScenario.killMaster(cluster);
                results.get("5. Sentinel failover (kill master)").add(new long[] {f.rtoMillis(), f.lostWrites()});
            }
        }
        System.out.println();
        System.out.printf("%-38s %5s %11s %10s %11s %10s%n", "scenario", "runs", "RTO median", "RTO worst", "RPO median", "RPO worst");
        for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
            long[] rto = e.getValue().stream().mapToLong(r -> r[0]).sorted().toArray();
            long[] rpo = e.getValue().stream().mapToLong(r -> r[1]).sorted().toArray();
            System.out.printf("%-38s %5d %9.1f s %8.1f s %11d %10d%n", e.getKey(), rto.length,
                    rto[rto.length / 2] / 1000.0, rto[rto.length - 1] / 1000.0, rpo[rpo.length / 2], rpo[rpo.length - 1]);
        }
        System.out.println("(RTO: kill to the first write accepted by the new primary; RPO: acknowledged writes missing"
                + " on it.)");
    }
}
