package keyboss.charts.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL part of bin/bench-ha: runs the three scenario chains of {@link PgScenarios}
 * {@code runs} times against one real API server and prints, per scenario, the median and worst
 * RTO, the acknowledged commits lost and the split-brain writes (worst over the runs).
 */
final class PgBenchmark {

    private PgBenchmark() {
    }

    /** Runs the scenarios; {@code only} (a chain name: failover, partition, stale) limits them, null runs all. */
    static Map<String, List<PgScenarios.Result>> run(int runs, String only) throws Exception {
        Map<String, List<PgScenarios.Result>> results = new LinkedHashMap<>();
        try (KubeLab api = new KubeLab()) {
            for (int run = 1; run <= runs; run++) {
                int r = run;
                List<PgScenarios.Result> all = new ArrayList<>();
                if (only == null || only.equals("failover")) {
                    all.addAll(PgScenarios.failoverChain(api, s -> System.err.printf("run %d of %d: postgres: %s%n", r, runs, s)));
                }
                if (only == null || only.equals("partition")) {
                    all.addAll(PgScenarios.partitionChain(api, s -> System.err.printf("run %d of %d: postgres: %s%n", r, runs, s)));
                }
                if (only == null || only.equals("stale")) {
                    all.addAll(PgScenarios.staleChain(api, s -> System.err.printf("run %d of %d: postgres: %s%n", r, runs, s)));
                }
                for (PgScenarios.Result result : all) {
                    results.computeIfAbsent(result.scenario(), k -> new ArrayList<>()).add(result);
                    System.err.printf("  %-38s RTO %6.1f s, lost %d, split-brain %d%n", result.scenario(),
                            result.rtoMillis() / 1000.0, result.lost(), result.splitBrain());
                }
            }
        }
        return results;
    }

    /** {@code RUNS [failover|partition|stale]}: one chain or all of them, printed as bin/bench-ha prints them. */
    public static void main(String[] args) throws Exception {
        print(run(args.length > 0 ? Integer.parseInt(args[0]) : 1, args.length > 1 ? args[1] : null));
    }

    static void print(Map<String, List<PgScenarios.Result>> results) {
        System.out.printf("%-40s %4s %10s %9s %5s %11s  %s%n", "PostgreSQL (Patroni) scenario", "runs", "RTO median",
                "RTO worst", "lost", "split-brain", "note");
        for (Map.Entry<String, List<PgScenarios.Result>> e : results.entrySet()) {
            long[] rto = e.getValue().stream().mapToLong(PgScenarios.Result::rtoMillis).sorted().toArray();
            long lost = e.getValue().stream().mapToLong(PgScenarios.Result::lost).max().orElse(0);
            long split = e.getValue().stream().mapToLong(PgScenarios.Result::splitBrain).max().orElse(0);
            System.out.printf("%-40s %4d %8.1f s %7.1f s %5d %11d  %s%n", e.getKey(), rto.length, rto[(rto.length - 1) / 2] / 1000.0,
                    rto[rto.length - 1] / 1000.0, lost, split, e.getValue().get(0).note());
        }
        System.out.println("(RTO: from the fault to the first commit the application gets through the primary Service;"
                + " lost: acknowledged commits the primary lacks at the end; split-brain: commits acknowledged by one member"
                + " while another's term as primary was under way. Patroni settings: as dist/ ships them.)");
    }
}
