package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Problems;
import keyboss.charts.cli.Synthesizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cdk8s.App;

/** Shared helpers: synthesizing test charts, finding objects, reading the committed dist/. */
public final class Fixtures {

    /** The repository's dist/ folder (tests run from the project root). */
    static final Path DIST = Path.of("dist");

    private static List<Synthesizer.Output> builtIn;

    private Fixtures() {
    }

    /** The built-in environments, synthesized once per test run. */
    public static synchronized List<Synthesizer.Output> builtIn() {
        if (builtIn == null) {
            builtIn = Synthesizer.synthesize(Environment.builtIn());
        }
        return builtIn;
    }

    private static final Map<String, KeybossChart> CHARTS = new java.util.HashMap<>();

    /** The chart of a built-in environment, built once (for its constructs' Java-side values). */
    static synchronized KeybossChart builtInChart(String environment) {
        return CHARTS.computeIfAbsent(environment, name -> new KeybossChart(new App(), name,
                Environment.builtIn().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow()));
    }

    public static List<Manifest> builtIn(String environment) {
        return builtIn().stream().filter(o -> o.environment().name().equals(environment)).findFirst()
                .orElseThrow().manifests();
    }

    /** Objects a construct builds in a fresh chart of {@code environment}. */
    public static List<Manifest> synth(Environment environment, Consumer<EnvironmentChart> build) {
        App app = new App();
        EnvironmentChart chart = new EnvironmentChart(app, "test", environment);
        build.accept(chart);
        Problems.of(app).throwIfAny();
        return Synthesizer.manifestsOf(chart, "");
    }

    /** The problems a construct reports in a fresh chart of {@code environment}. */
    static List<Problem> problems(Environment environment, Consumer<EnvironmentChart> build) {
        App app = new App();
        EnvironmentChart chart = new EnvironmentChart(app, "test", environment);
        build.accept(chart);
        return Problems.of(app).list();
    }

    public static Manifest find(List<Manifest> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.kind().equals(kind) && name.equals(m.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " among "
                        + manifests.stream().map(Manifest::id).toList()));
    }

    /** The container named {@code name} in the pod template of a workload. */
    public static Map<String, Object> container(Manifest workload, String field, String name) {
        String podSpec = "CronJob".equals(workload.kind()) ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
        for (Object c : Manifest.list(workload.at(podSpec + "." + field))) {
            if (name.equals(Manifest.map(c).get("name"))) {
                return Manifest.map(c);
            }
        }
        throw new AssertionError("no " + field + " named " + name + " in " + workload.id());
    }

    /** The value of env var {@code name} of a container (its literal value). */
    public static String env(Map<String, Object> container, String name) {
        for (Object e : Manifest.list(container.get("env"))) {
            Map<String, Object> var = Manifest.map(e);
            if (name.equals(var.get("name"))) {
                return (String) var.get("value");
            }
        }
        throw new AssertionError("no env var " + name + " in container " + container.get("name"));
    }

    /** The single problem reported for {@code property}. */
    static Problem problemFor(List<Problem> problems, String property) {
        List<Problem> matching = problems.stream().filter(p -> p.property().equals(property)).toList();
        if (matching.size() != 1) {
            fail("expected one problem for " + property + ", got " + problems);
        }
        return matching.get(0);
    }

    /** Every object of every manifest file under {@code folder} (not the kustomization), tagged with its path. */
    public static List<Manifest> readYaml(Path folder) {
        List<Manifest> result = ManifestReader.read(folder);
        assertNotNull(result);
        return result;
    }

    static void assertContainsAll(String text, String... parts) {
        for (String part : parts) {
            if (!text.contains(part)) {
                assertEquals(part, text, "message should contain the expected part");
            }
        }
    }
}
