package keyboss.charts.cli;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Problems;
import keyboss.charts.model.Rendering;
import keyboss.charts.validation.SchemaValidator;
import keyboss.charts.shop.ShopCharts;
import keyboss.charts.core.SyncWaves;
import keyboss.charts.model.SynthesisException;
import keyboss.charts.validation.Validator;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.cdk8s.ApiObject;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.constructs.IConstruct;

/**
 * Builds the charts of each environment, checks them, and renders one YAML file per top-level
 * construct: {@code <env>/<construct id>.k8s.yaml} for the synced chart and
 * {@code <env>/ops/<construct id>.k8s.yaml} for operations applied by hand. Output is
 * deterministic: the same input always gives the same bytes.
 */
public final class Synthesizer {

    public static final String SUFFIX = ".k8s.yaml";

    /**
     * The synthesized objects of one environment, each tagged with its file.
     *
     * @param syncedFiles the files of the charts Argo CD syncs, which the kustomization lists.
     */
    public record Output(Environment environment, List<Manifest> manifests, List<String> syncedFiles) {
    }

    private Synthesizer() {
    }

    /**
     * Synthesizes {@code environments} in one app. Throws {@link SynthesisException} listing
     * every input problem and every broken cluster rule, of all environments at once.
     */
    public static List<Output> synthesize(List<Environment> environments) {
        long start = System.nanoTime();
        // The checks are plain Java: load and warm them on the other core while the jsii runtime
        // starts and builds the constructs (jsii itself is only ever called from this thread).
        CompletableFuture<Void> warm = CompletableFuture.runAsync(SchemaValidator::warmUp);
        App app = new App();
        long started = System.nanoTime();

        // 1. Build: every environment's charts in one app, and every input problem of all of them.
        Map<Environment, List<EnvironmentChart>> charts = new LinkedHashMap<>();
        for (Environment environment : environments) {
            charts.put(environment, ShopCharts.of(app, environment));
        }
        Problems.of(app).throwIfAny();
        long built = System.nanoTime();

        // 2. Post-process each environment's objects (on the jsii thread), 3. validate them (off it).
        List<Output> outputs = new ArrayList<>();
        List<CompletableFuture<List<Problem>>> checks = new ArrayList<>();
        charts.forEach((env, envCharts) -> {
            Map<String, List<Connection>> connections = connections(envCharts);
            Output output = postProcess(env, envCharts, connections);
            checks.add(warm.thenApplyAsync(w -> validate(output, connections)));
            outputs.add(output);
        });
        List<Problem> broken = new ArrayList<>();
        checks.forEach(c -> broken.addAll(c.join()));
        if (!broken.isEmpty()) {
            throw new SynthesisException(broken);
        }
        if (System.getenv("KEYBOSS_TIMING") != null) {
            System.err.printf("keyboss-charts: timing: jsii start %d ms, constructs %d ms, toJson and checks %d ms%n",
                    (started - start) / 1_000_000, (built - started) / 1_000_000, (System.nanoTime() - built) / 1_000_000);
        }
        return List.copyOf(outputs);
    }

    /** Every connection the charts' constructs declare, by the id of the construct declaring it. */
    private static Map<String, List<Connection>> connections(List<EnvironmentChart> charts) {
        Map<String, List<Connection>> all = new LinkedHashMap<>();
        charts.forEach(chart -> chart.connections().forEach((id, list) ->
                all.computeIfAbsent(id, k -> new ArrayList<>()).addAll(list)));
        return all;
    }

    /**
     * The objects of an environment's charts, each in its chart's folder; cluster-scoped ones
     * without a namespace; those Argo CD syncs with their sync waves.
     */
    private static Output postProcess(Environment env, List<EnvironmentChart> charts, Map<String, List<Connection>> connections) {
        List<Manifest> manifests = new ArrayList<>();
        Set<String> synced = new java.util.LinkedHashSet<>();
        for (EnvironmentChart chart : charts) {
            List<Manifest> objects = manifestsOf(chart, chart.folder());
            dropNamespaceOfClusterScoped(objects);
            if (chart.syncedByArgoCd()) {
                annotateSyncWaves(chart, objects, connections);
                objects.forEach(m -> synced.add(m.file()));
            }
            manifests.addAll(objects);
        }
        return new Output(env, List.copyOf(manifests), List.copyOf(synced));
    }

    /** The cluster's rules and the cross references, over all of an environment's objects together (ops/ refers to the shop's). */
    private static List<Problem> validate(Output output, Map<String, List<Connection>> connections) {
        List<Problem> problems = new ArrayList<>(Validator.check(output.environment().profile(), output.manifests(),
                List.of(KeybossChart.SECRETS)));
        problems.addAll(CrossReferences.checkConnections(output.environment().name(), output.manifests(), connections));
        return problems;
    }

    /** The chart stamps its namespace on every object; a cluster-scoped object must not carry one. */
    private static void dropNamespaceOfClusterScoped(List<Manifest> objects) {
        for (Manifest m : objects) {
            if (ClusterRules.CLUSTER_SCOPED_KINDS.contains(m.kind())) {
                m.metadata().remove("namespace");
            }
        }
    }

    /**
     * Adds the derived Argo CD sync wave to every object (from what its pods read, the declared
     * connections and the chart's explicit dependencies), and marks the chart's hooks.
     */
    public static void annotateSyncWaves(EnvironmentChart chart, List<Manifest> objects,
            Map<String, List<Connection>> connections) {
        List<SyncWaves.Edge> edges = new ArrayList<>(chart.dependencies());
        edges.addAll(SyncWaves.fromConnections(connections.values().stream().flatMap(List::stream).toList()));
        Map<String, Integer> waves;
        try {
            waves = SyncWaves.compute(objects, edges);
        } catch (IllegalStateException e) {
            throw new SynthesisException(List.of(new Problem(chart.environment().name() + " sync waves", "dependencies",
                    e.getMessage(), "dependencies without a cycle (each workload waits only for what starts before it)",
                    "declare one connection of the cycle withoutWaiting() (its client copes without the other end),"
                            + " or drop the explicit dependsOn")));
        }
        Set<String> hooks = new java.util.HashSet<>();
        chart.syncHooks().forEach(h -> hooks.add(h.id()));
        for (Manifest m : objects) {
            Map<String, Object> annotations = new LinkedHashMap<>(Manifest.map(m.metadata().get("annotations")));
            annotations.put(SyncWaves.WAVE, Integer.toString(waves.get(m.id())));
            if (hooks.contains(m.id())) {
                annotations.put(SyncWaves.HOOK, "Sync");
                annotations.put(SyncWaves.HOOK_DELETE_POLICY, "BeforeHookCreation");
            }
            m.metadata().put("annotations", annotations);
        }
    }

    /**
     * The objects of {@code chart}, each tagged with the file of the top-level construct holding
     * it. One {@code toJson()} of the whole chart costs far fewer jsii round trips than one per
     * object; it lists objects in construct-tree order, which the per-construct counts slice.
     */
    @SuppressWarnings("unchecked")
    public static List<Manifest> manifestsOf(Chart chart, String folder) {
        List<Object> all = chart.toJson();
        // findAll lists the tree in pre-order: each top-level construct, then what it holds.
        Set<IConstruct> tops = Collections.newSetFromMap(new IdentityHashMap<>());
        tops.addAll(chart.getNode().getChildren());
        List<Manifest> manifests = new ArrayList<>();
        int next = 0;
        String file = null;
        for (IConstruct node : chart.getNode().findAll()) {
            if (tops.contains(node)) {
                file = folder + Component.idOf(node) + SUFFIX;
            }
            if (node instanceof ApiObject) {
                manifests.add(new Manifest(file, (Map<String, Object>) all.get(next++)));
            }
        }
        if (next != all.size()) {
            throw new IllegalStateException("chart " + chart.getNode().getPath() + " has " + all.size()
                    + " objects but its constructs hold " + next);
        }
        return manifests;
    }

    /** File contents keyed by path relative to the output folder, e.g. {@code deti/postgres.k8s.yaml}. */
    public static Map<String, String> render(List<Output> outputs) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Output output : outputs) {
            Map<String, StringBuilder> byFile = new LinkedHashMap<>();
            for (Manifest manifest : output.manifests()) {
                StringBuilder text = byFile.computeIfAbsent(manifest.file(), f -> new StringBuilder(header()));
                text.append("---\n").append(Rendering.toYaml(manifest.object()));
            }
            byFile.forEach((file, text) -> files.put(output.environment().name() + "/" + file, text.toString()));
            files.put(output.environment().name() + "/" + KUSTOMIZATION, kustomization(output.syncedFiles()));
        }
        return files;
    }

    /** The file that lets {@code kubectl apply -k dist/<env>} (and Argo CD) apply the synced objects. */
    public static final String KUSTOMIZATION = "kustomization.yaml";

    /** A kustomization listing the files Argo CD syncs: not ops/ and not the Argo CD folders. */
    private static String kustomization(List<String> files) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        k.put("kind", "Kustomization");
        k.put("resources", files);
        return header() + Rendering.toYaml(k);
    }

    /** The first line of every file synth writes; it also marks a file as synth's (see {@link OutputFolder}). */
    public static final String HEADER =
            "# Generated by keyboss-charts. Do not edit: change the Java source and run synth (see README.md).\n";

    private static String header() {
        return HEADER;
    }

    /**
     * Writes {@code files} into {@code outdir}, replacing only what earlier synths wrote there
     * (see {@link OutputFolder}): the synthesized environments' files are replaced, those of
     * other built-in environments kept, those of environments that no longer exist removed.
     * Returns the removed environment folders. Throws {@link OutputFolder.Refused} when the
     * folder holds anything else, {@link UncheckedIOException} when writing fails; either way
     * the folder is as it was.
     */
    public static Set<String> write(Path outdir, List<Output> outputs, Map<String, String> files) {
        Set<String> written = new TreeSet<>();
        outputs.forEach(o -> written.add(o.environment().name()));
        Set<String> live = new TreeSet<>();
        Environment.builtIn().forEach(e -> live.add(e.name()));
        return OutputFolder.open(outdir).replace(files, written, live);
    }
}
