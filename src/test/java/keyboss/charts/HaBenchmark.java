package keyboss.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): repeats the failover scenarios with real servers and prints median
 * and worst RTO and RPO per scenario. Run with {@code bin/bench-ha [RUNS]}.
 */
public final class HaBenchmark {

    private HaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        results.put("2. Postgres failover (kill primary)", new ArrayList<>());
        results.put("3. Postgres re-join, second failover", new ArrayList<>());
        for (int run = 1; run <= runs; run++) {
            System.err.printf("run %d of %d: postgres...%n", run, runs);
            try (PgCluster cluster = new PgCluster("bench").up(); KubeApiRecorder api = new KubeApiRecorder();
                 Writer writer = new Writer(cluster)) {
                cluster.startWatchdog(api, PgScenarios.shippedDefaults());
                PgScenarios.Failover first = PgScenarios.killPrimary(cluster, api, writer, cluster.nodes[0], cluster.nodes[1]);
                results.get("2. Postgres failover (kill primary)").add(new long[] {first.rtoMillis(), first.rpoRows()});
                PgScenarios.rejoin(cluster.nodes[0]);
                PgScenarios.Failover second = PgScenarios.killPrimary(cluster, api, writer, cluster.nodes[1], cluster.nodes[0]);
                results.get("3. Postgres re-join, second failover").add(new long[] {second.rtoMillis(), second.rpoRows()});
            }
        }
        List<SentinelScenario.Result> sentinel = SentinelBench.run(runs);
        System.out.println();
        System.out.printf("%-38s %5s %11s %10s %11s %10s%n", "scenario", "runs", "RTO median", "RTO worst", "RPO median", "RPO worst");
        for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
            long[] rto = e.getValue().stream().mapToLong(r -> r[0]).sorted().toArray();
            long[] rpo = e.getValue().stream().mapToLong(r -> r[1]).sorted().toArray();
            System.out.printf("%-38s %5d %9.1f s %8.1f s %11d %10d%n", e.getKey(), rto.length,
                    rto[rto.length / 2] / 1000.0, rto[rto.length - 1] / 1000.0, rpo[rpo.length / 2], rpo[rpo.length - 1]);
        }
        System.out.println("(RTO: kill to the first write accepted by the new primary; RPO: acknowledged writes missing"
                + " on it. Watchdog: the shipped defaults.)");
        SentinelBench.print(sentinel);
    }
}
