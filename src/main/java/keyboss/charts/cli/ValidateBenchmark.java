package keyboss.charts.cli;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.validation.Validator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of in-process validation (schema, profile, references) of the committed dist/:
 * the first, cold run in a fresh JVM, the median of warm runs, and how the time grows when the
 * object count is multiplied. Run with {@code bin/bench-validate}; not a test.
 */
public final class ValidateBenchmark {

    private ValidateBenchmark() {
    }

    public static void main(String[] args) {
        Path dist = Path.of(args.length > 0 ? args[0] : "dist");
        Map<ClusterProfile, List<Manifest>> envs = new LinkedHashMap<>();
        for (Environment env : Environment.builtIn()) {
            envs.put(env.profile(), ManifestReader.read(dist.resolve(env.name())));
        }
        int objects = envs.values().stream().mapToInt(List::size).sum();
        long cold = time(envs, 1);
        System.out.printf("validate both environments (%d objects), first run in a fresh JVM: %d ms%n", objects, cold / 1_000_000);
        System.out.println("copies  objects  median of 7 warm runs");
        for (int copies : new int[] {1, 2, 4, 8, 16}) {
            long[] runs = new long[7];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = time(envs, copies);
            }
            Arrays.sort(runs);
            System.out.printf("%6d  %7d  %8.1f ms%n", copies, objects * copies, runs[runs.length / 2] / 1e6);
        }
    }

    /** Validates {@code copies} renamed copies of every environment's objects; returns nanoseconds. */
    private static long time(Map<ClusterProfile, List<Manifest>> envs, int copies) {
        Map<ClusterProfile, List<Manifest>> inputs = new LinkedHashMap<>();
        envs.forEach((profile, manifests) -> inputs.put(profile, multiply(manifests, copies)));
        long start = System.nanoTime();
        int problems = 0;
        for (Map.Entry<ClusterProfile, List<Manifest>> e : inputs.entrySet()) {
            problems += Validator.check(e.getKey(), e.getValue(), List.of(KeybossChart.SECRETS)).size();
        }
        long elapsed = System.nanoTime() - start;
        if (problems != 0) {
            throw new IllegalStateException("dist/ has " + problems + " problems; the benchmark needs valid input");
        }
        return elapsed;
    }

    /** The objects, plus copies of the namespaced ones named {@code <name>-cN}. */
    private static List<Manifest> multiply(List<Manifest> manifests, int copies) {
        List<Manifest> all = new ArrayList<>(manifests);
        for (int c = 1; c < copies; c++) {
            for (Manifest m : manifests) {
                if (ClusterRules.CLUSTER_SCOPED_KINDS.contains(m.kind())) {
                    continue;
                }
                Map<String, Object> object = new LinkedHashMap<>(m.object());
                Map<String, Object> metadata = new LinkedHashMap<>(m.metadata());
                metadata.put("name", m.name() + "-c" + c);
                object.put("metadata", metadata);
                all.add(new Manifest(m.file(), object));
            }
        }
        return all;
    }
}
