package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.cli.Synthesizer;

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

    /**
     * Synthesis depends on nothing of the machine it runs on. Two JVMs of their own run
     * {@code Main synth} at the same time, each with settings the other does not share: time
     * zone (UTC+14 and UTC-3:30, as property and as TZ), locale (Turkish, whose dotless i breaks
     * case conversions, and Japanese; as properties and as LANG/LC_ALL), default charset, working
     * directory, temporary folder (jsii unpacks its runtime anew in each), identity hash codes
     * ({@code -XX:hashCode=2} makes every one equal, reordering hash sets of enums and plain
     * objects) and the random seed of {@code Set.of}/{@code Map.of} iteration, which each JVM draws
     * anew. Both must write the bytes of the committed dist/, file for file. Synthesizing twice in
     * one JVM could not fail on any of these: every one of them is the same both times.
     */
    @Test
    void twoJvmsWithDifferentSettingsWriteTheCommittedBytes() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "tmp")).toAbsolutePath();
        Path work = Files.createTempDirectory(root, "synth-jvms");
        try {
            List<String> pacific = List.of("-Duser.timezone=Pacific/Kiritimati", "-Duser.language=tr", "-Duser.country=TR",
                    "-Dfile.encoding=ISO-8859-9", "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2");
            List<String> atlantic = List.of("-Duser.timezone=America/St_Johns", "-Duser.language=ja", "-Duser.country=JP",
                    "-Dfile.encoding=UTF-8");
            Process a = startSynth(work.resolve("a"), pacific, Map.of("TZ", "Pacific/Kiritimati", "LANG", "tr_TR.UTF-8",
                    "LC_ALL", "tr_TR.UTF-8"));
            Process b = startSynth(work.resolve("b"), atlantic, Map.of("TZ", "America/St_Johns", "LANG", "C", "LC_ALL", "C",
                    "KEYBOSS_UNRELATED_SETTING", "x"));
            Map<String, String> first = synthOutput(a, work.resolve("a"));
            Map<String, String> second = synthOutput(b, work.resolve("b"));
            Map<String, String> committed = files(Fixtures.DIST);
            List<String> differences = new ArrayList<>();
            differences.addAll(compare("JVM 1 (UTC+14, tr_TR, ISO-8859-9, -XX:hashCode=2)", first, committed));
            differences.addAll(compare("JVM 2 (UTC-3:30, ja_JP, UTF-8)", second, committed));
            if (!differences.isEmpty()) {
                fail("synthesis depends on the JVM's settings or on chance; what differs from the committed dist/:\n  "
                        + String.join("\n  ", differences));
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code Main synth} in a JVM of its own, on the runtime class path bin/synth uses, started in {@code dir}. */
    private static Process startSynth(Path dir, List<String> jvmOptions, Map<String, String> environment) throws IOException {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path target = Path.of("target").toAbsolutePath();
        String classpath = target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "keyboss.charts.cli.Main", "synth", "--outdir", dir.resolve("out").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("synth.log").toFile());
        // Only what a synth needs (node on PATH), then the settings under test.
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        pb.environment().putAll(environment);
        return pb.start();
    }

    /** The files {@code synth} wrote under {@code dir}/out, once it has exited with 0. */
    private static Map<String, String> synthOutput(Process synth, Path dir) throws Exception {
        boolean ended = synth.waitFor(300, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            synth.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("synth.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(0, ended ? synth.exitValue() : -1, "synth in a JVM of its own failed (or ran over 300 s):\n" + log);
        return files(dir.resolve("out"));
    }

    /** Every file under {@code folder} by its relative path, read as raw bytes (ISO-8859-1 keeps each byte). */
    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(f).toString().replace('\\', '/'),
                        new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    /** The files of {@code actual} that are missing, extra or differ (with the first differing line) against {@code expected}. */
    private static List<String> compare(String who, Map<String, String> actual, Map<String, String> expected) {
        List<String> differences = new ArrayList<>();
        for (String file : new TreeSet<>(expected.keySet())) {
            if (!actual.containsKey(file)) {
                differences.add(who + ": did not write " + file);
            } else if (!actual.get(file).equals(expected.get(file))) {
                List<String> mine = actual.get(file).lines().toList();
                List<String> theirs = expected.get(file).lines().toList();
                int line = 0;
                while (line < Math.min(mine.size(), theirs.size()) && mine.get(line).equals(theirs.get(line))) {
                    line++;
                }
                differences.add(who + ": " + file + " line " + (line + 1) + ": wrote `"
                        + (line < mine.size() ? mine.get(line) : "(end of file)") + "`, dist/ has `"
                        + (line < theirs.size() ? theirs.get(line) : "(end of file)") + "`");
            }
        }
        for (String file : actual.keySet()) {
            if (!expected.containsKey(file)) {
                differences.add(who + ": wrote " + file + ", which dist/ does not have");
            }
        }
        return differences;
    }
}
