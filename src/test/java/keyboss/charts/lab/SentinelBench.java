package keyboss.charts.lab;

import keyboss.charts.env.Environment;
import keyboss.charts.Fixtures;
import keyboss.charts.model.Manifest;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Sentinel part of bin/bench-ha: each fault scenario with the shipped layout (three data
 * pods, min-replicas-to-write 1), and two layouts for comparison: the seed's two pods (the
 * promoted replica refuses writes until the old master's pod is back, here 20 s later), the
 * shipped layout without the fence sidecar, and Valkey's default min-replicas-to-write 0 (both
 * guards off). Runs alone with
 * {@code java ... keyboss.charts.lab.SentinelBench [RUNS [SCENARIO-NAME-PART]]}.
 */
final class SentinelBench {

    private SentinelBench() {
    }

    record Layout(String name, List<Manifest> manifests, Map<String, String> dataOverrides) {
    }

    static List<SentinelScenario.Result> run(int runs) {
        return run(runs, "");
    }

    /** The scenarios whose name contains {@code only} (all when empty). */
    static List<SentinelScenario.Result> run(int runs, String only) {
        List<Manifest> shipped = Fixtures.builtIn("local");
        List<Manifest> twoPods = twoPods();
        Map<String, Function<ValkeyCluster, SentinelScenario.Result>> scenarios = new LinkedHashMap<>();
        scenarios.put("kill master", SentinelScenario::killMaster);
        scenarios.put("partition master from Sentinels", c -> SentinelScenario.partitionMaster(c, 15));
        scenarios.put("master + all Sentinels restart", SentinelScenario::jointRestart);
        scenarios.put("everything restarts after a failover", SentinelScenario::fullRestartAfterFailover);
        scenarios.keySet().removeIf(name -> !name.contains(only));
        List<SentinelScenario.Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (Map.Entry<String, Function<ValkeyCluster, SentinelScenario.Result>> e : scenarios.entrySet()) {
                System.err.printf("run %d of %d: sentinel, %s...%n", run, runs, e.getKey());
                try (ValkeyCluster cluster = new ValkeyCluster("bench", shipped, Map.of()).up()) {
                    results.add(e.getValue().apply(cluster));
                }
            }
            if (!only.isEmpty()) {
                continue;
            }
            System.err.printf("run %d of %d: sentinel, 2 pods, kill master...%n", run, runs);
            try (ValkeyCluster cluster = new ValkeyCluster("bench", twoPods, Map.of()).up()) {
                results.add(rename(SentinelScenario.killMaster(cluster, 20_000), "kill master (2 pods, seed layout)"));
            }
            System.err.printf("run %d of %d: sentinel, 2 pods, partition...%n", run, runs);
            try (ValkeyCluster cluster = new ValkeyCluster("bench", twoPods, Map.of()).up()) {
                results.add(rename(SentinelScenario.partitionMaster(cluster, 15), "partition (2 pods, seed layout)"));
            }
            System.err.printf("run %d of %d: sentinel, no fence sidecar, partition...%n", run, runs);
            try (ValkeyCluster cluster = new ValkeyCluster("bench", shipped, Map.of(), false).up()) {
                results.add(rename(SentinelScenario.partitionMaster(cluster, 15), "partition (no fence sidecar)"));
            }
            System.err.printf("run %d of %d: sentinel, min-replicas-to-write 0, partition...%n", run, runs);
            try (ValkeyCluster cluster = new ValkeyCluster("bench", shipped, Map.of("MIN_REPLICAS_TO_WRITE", "0"), false).up()) {
                results.add(rename(SentinelScenario.partitionMaster(cluster, 15), "partition (min-replicas-to-write 0)"));
            }
        }
        return results;
    }

    /** The shipped local chart with the seed's two data pods. */
    static List<Manifest> twoPods() {
        List<Manifest> manifests = new ArrayList<>(Fixtures.builtIn("local"));
        manifests.removeIf(m -> m.kind().equals("StatefulSet") && m.name().equals("redis"));
        manifests.add(Fixtures.find(Fixtures.synth(Environment.local(), c -> new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().replicas(2).build())), "StatefulSet", "redis"));
        return List.copyOf(manifests);
    }

    private static SentinelScenario.Result rename(SentinelScenario.Result r, String name) {
        return new SentinelScenario.Result(name, r.rtoMillis(), r.acked(), r.lost(), r.lostWindowMillis(), r.splitBrain(), r.delays(),
                r.delayFailures(), r.delayWorstMillis(), r.delaysLost(), r.cacheCalls(), r.cacheErrors());
    }

    static void print(List<SentinelScenario.Result> results) {
        Map<String, List<SentinelScenario.Result>> byScenario = new LinkedHashMap<>();
        results.forEach(r -> byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
        System.out.println();
        System.out.printf("%-38s %4s %10s %9s %9s %11s %13s %12s %12s%n", "Sentinel scenario (valkey 8.1)", "runs",
                "RTO median", "RTO worst", "acked", "acked lost", "split-brain", ".delay fail", "cache errors");
        for (Map.Entry<String, List<SentinelScenario.Result>> e : byScenario.entrySet()) {
            List<SentinelScenario.Result> rs = e.getValue();
            long[] rto = rs.stream().mapToLong(SentinelScenario.Result::rtoMillis).sorted().toArray();
            System.out.printf("%-38s %4d %8.1f s %7.1f s %9d %11d %13d %12s %12d%n", e.getKey(), rs.size(),
                    rto[rto.length / 2] / 1000.0, rto[rto.length - 1] / 1000.0,
                    rs.stream().mapToLong(SentinelScenario.Result::acked).sum(),
                    rs.stream().mapToLong(r -> r.lost() + r.delaysLost()).sum(),
                    rs.stream().mapToLong(SentinelScenario.Result::splitBrain).sum(),
                    rs.stream().mapToInt(SentinelScenario.Result::delayFailures).sum() + "/"
                            + rs.stream().mapToInt(SentinelScenario.Result::delays).sum(),
                    rs.stream().mapToInt(SentinelScenario.Result::cacheErrors).sum());
        }
        System.out.println("(RTO: longest time a Sentinel-aware client could not write. acked lost: acknowledged writes"
                + " and .delay() messages missing after the cluster settled. split-brain: writes acknowledged by a"
                + " server other than the final master while another server also took writes. Sums over the runs.)");
    }

    public static void main(String[] args) {
        print(run(args.length > 0 ? Integer.parseInt(args[0]) : 3, args.length > 1 ? args[1] : ""));
    }
}
