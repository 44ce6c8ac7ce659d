package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed dist/ is exactly what a fresh synth writes. When this fails after a change,
 * regenerate and commit: {@code bin/synth} (or {@code npx cdk8s synth}), then {@code git add dist}.
 */
class DistSnapshotTest {

    private static final String HOW_TO_UPDATE = "dist/ is stale: regenerate it with `bin/synth` (after"
            + " `mvn -q -B package -DskipTests`) or `npx cdk8s synth`, review the diff and commit it";

    @Test
    void committedFilesMatchAFreshSynth() throws IOException {
        Map<String, String> fresh = new TreeMap<>(Synthesizer.render(Fixtures.builtIn()));
        Map<String, String> committed = new TreeMap<>();
        for (Environment env : Environment.builtIn()) {
            Path folder = Fixtures.DIST.resolve(env.name());
            if (!Files.isDirectory(folder)) {
                fail(HOW_TO_UPDATE + " (dist/" + env.name() + " is missing)");
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    committed.put(Fixtures.DIST.relativize(f).toString().replace('\\', '/'), Files.readString(f));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        for (String file : new TreeSet<>(fresh.keySet())) {
            if (!committed.containsKey(file)) {
                differences.add("missing from dist/: " + file);
            } else if (!committed.get(file).equals(fresh.get(file))) {
                differences.add("differs from a fresh synth: " + file);
            }
        }
        for (String file : committed.keySet()) {
            if (!fresh.containsKey(file)) {
                differences.add("no longer synthesized, delete it: dist/" + file);
            }
        }
        if (!differences.isEmpty()) {
            fail(HOW_TO_UPDATE + ":\n  " + String.join("\n  ", differences));
        }
    }

    @Test
    void yamlReadsBackAsTheSynthesizedObjects() {
        // Guards the YAML rendering itself: quoting of "5432", "on", multi-line scripts.
        for (Synthesizer.Output output : Fixtures.builtIn()) {
            List<Manifest> fromDisk = Fixtures.readYaml(Fixtures.DIST.resolve(output.environment().name()));
            List<Map<String, Object>> expected = output.manifests().stream().map(Manifest::object).toList();
            List<Map<String, Object>> actual = fromDisk.stream().map(Manifest::object).toList();
            assertEquals(new TreeSet<>(expected.stream().map(Object::toString).toList()),
                    new TreeSet<>(actual.stream().map(Object::toString).toList()),
                    "objects read back from dist/" + output.environment().name());
            assertEquals(expected.size(), actual.size());
        }
    }

    @Test
    void oneToJsonPerChartMatchesOnePerObject() {
        // Synthesizer slices the chart's toJson() by construct; check that against each object's own toJson().
        org.cdk8s.App app = new org.cdk8s.App();
        KeybossChart chart = new KeybossChart(app, "local", Environment.local());
        List<Manifest> sliced = Synthesizer.manifestsOf(chart, "");
        List<Manifest> perObject = new ArrayList<>();
        for (software.constructs.IConstruct child : chart.getNode().getChildren()) {
            for (software.constructs.IConstruct node : child.getNode().findAll()) {
                if (node instanceof org.cdk8s.ApiObject object) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> json = (Map<String, Object>) object.toJson();
                    perObject.add(new Manifest(child.getNode().getId() + Synthesizer.SUFFIX, json));
                }
            }
        }
        assertEquals(perObject, sliced);
    }

    @Test
    void synthIsDeterministic() {
        Map<String, String> again = Synthesizer.render(Synthesizer.synthesize(Environment.builtIn()));
        assertEquals(Synthesizer.render(Fixtures.builtIn()), again);
    }
}
