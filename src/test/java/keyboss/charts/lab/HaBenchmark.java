package keyboss.charts.lab;

import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): repeats the failover scenarios with real servers and prints, per
 * scenario, median and worst RTO and what was lost: the Postgres scenarios on Patroni
 * ({@link PgBenchmark}), then the Valkey + Sentinel ones ({@link SentinelBench}). Run with
 * {@code bin/bench-ha [RUNS] [postgres|sentinel]}.
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
        }
        if (!part.equals("postgres")) {
            List<SentinelScenario.Result> sentinel = SentinelBench.run(runs);
            System.out.println();
            SentinelBench.print(sentinel);
        }
    }
}
