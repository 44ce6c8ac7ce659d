package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.lab.Exec;
import keyboss.charts.cli.OutputFolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a user runs, on the packaged jar: `cdk8s synth` (through cdk8s.yaml) and bin/synth. */
class SynthCommandIT {

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    /** The committed dist/: every environment's folder and the list of files synth owns. */
    private static Map<String, String> committedDist() throws IOException {
        Map<String, String> dist = new TreeMap<>();
        for (Environment env : Environment.builtIn()) {
            files(Path.of("dist", env.name())).forEach((k, v) -> dist.put(env.name() + "/" + k, v));
        }
        dist.put(OutputFolder.OWNED_FILES, Files.readString(Path.of("dist", OutputFolder.OWNED_FILES)));
        return dist;
    }

    private static Exec.Result synth(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bin/synth"));
        command.addAll(List.of(args));
        return Exec.run(command, Map.of("HOME", System.getProperty("user.home")), 300);
    }

    @Test
    void cdk8sSynthWritesTheCommittedDist(@TempDir Path out) throws IOException {
        Exec.Result r = Exec.run(List.of("node_modules/.bin/cdk8s", "synth", "--output", out.resolve("dist").toString()),
                Map.of("HOME", System.getProperty("user.home")), 300);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("wrote"), "progress and summary are shown: " + r.output());
        assertEquals(committedDist(), files(out.resolve("dist")));
    }

    @Test
    void aStaleStartUpCacheIsRebuiltNotUsed(@TempDir Path out) throws IOException {
        Exec.Result first = Exec.run(List.of("bin/synth", "--outdir", out.resolve("a").toString()),
                Map.of("HOME", System.getProperty("user.home")), 300);
        assertEquals(0, first.exitCode(), first.output());
        Path cache = Files.exists(Path.of("target/keyboss-charts.aot")) ? Path.of("target/keyboss-charts.aot")
                : Path.of("target/keyboss-charts.jsa");
        assertTrue(Files.exists(cache), "bin/synth writes a start-up cache");
        // A cache older than the jar belongs to other classes: it must be replaced, never used.
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Exec.Result second = Exec.run(List.of("bin/synth", "--outdir", out.resolve("b").toString()),
                Map.of("HOME", System.getProperty("user.home")), 300);
        assertEquals(0, second.exitCode(), second.output());
        assertTrue(Files.getLastModifiedTime(cache).toInstant().isAfter(Instant.parse("2021-01-01T00:00:00Z")),
                "the stale cache was rewritten");
        assertEquals(files(out.resolve("a")), files(out.resolve("b")));
    }

    @Test
    void binSynthRunsTheJsiiKernelInOneNodeAndLeavesNoTemporaryFiles(@TempDir Path out) throws IOException {
        Path tmp = Files.createDirectories(out.resolve("tmp"));
        Path codeCache = Path.of("target/jsii-code-cache");
        if (Files.isDirectory(codeCache)) {
            try (Stream<Path> old = Files.list(codeCache)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        // The JVM and node both put their temporary files here: the stock jsii launcher would
        // leave a jsii-java-runtime folder behind on every run.
        Exec.Result r = Exec.run(List.of("bin/synth", "--outdir", out.resolve("dist").toString()),
                Map.of("HOME", System.getProperty("user.home"), "TMPDIR", tmp.toString(),
                        "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp), 300);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(committedDist(), files(out.resolve("dist")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "temporary files left");
        }
        try (Stream<Path> cache = Files.list(codeCache)) {
            assertTrue(cache.anyMatch(p -> p.toString().endsWith(".v8")), "node's code cache is written");
        }
    }

    @Test
    void badInputExitsNonZeroAndWritesNothing(@TempDir Path out) {
        Exec.Result r = Exec.run(List.of("bin/synth", "--outdir", out.toString(), "--env", "nope"),
                Map.of("HOME", System.getProperty("user.home")), 120);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("unknown environment 'nope'"), r.output());
        assertTrue(out.toFile().list().length == 0, "nothing written");
    }

    @Test
    void anOutdirHoldingFilesSynthDidNotWriteIsRefusedAndUntouched(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("local/bin"));
        Files.writeString(home.resolve("local/bin/tool"), "#!/bin/sh\n");
        Files.writeString(home.resolve("notes.txt"), "mine");
        Map<String, String> before = files(home);
        Exec.Result r = synth("--outdir", home.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("holds files keyboss-charts did not write: local/, notes.txt"), r.output());
        assertEquals(before, files(home));
        assertTrue(Files.notExists(home.resolve("deti")), "nothing written");
    }

    @Test
    void anOutdirNamingAFileIsAUsageError(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("dist"), "a file");
        Exec.Result r = synth("--outdir", file.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("is a file, not a folder"), r.output());
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void theFolderOfAnEnvironmentThatNoLongerExistsIsRemoved(@TempDir Path tmp) throws IOException {
        // A dist/ as committed, plus an environment an earlier synth wrote that is gone from the code.
        Path dist = tmp.resolve("dist");
        for (Map.Entry<String, String> f : committedDist().entrySet()) {
            Files.createDirectories(dist.resolve(f.getKey()).getParent());
            Files.writeString(dist.resolve(f.getKey()), f.getValue());
        }
        Files.createDirectories(dist.resolve("staging/argocd"));
        Files.writeString(dist.resolve("staging/argocd/keyboss.k8s.yaml"), "kind: Application\n");
        Files.writeString(dist.resolve(OutputFolder.OWNED_FILES), "staging/argocd/keyboss.k8s.yaml\n",
                java.nio.file.StandardOpenOption.APPEND);
        Exec.Result r = synth("--outdir", dist.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("removed " + dist.resolve("staging") + ": no such environment any more"), r.output());
        assertEquals(committedDist(), files(dist));
        try (Stream<Path> beside = Files.list(tmp)) {
            assertEquals(List.of("dist"), beside.map(p -> p.getFileName().toString()).toList(), "nothing left beside dist/");
        }
    }
}
