package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Coverage-guided fuzzing of bin/validate's reader and checks with Jazzer, for the bounded time
 * {@link ManifestFuzzing} sets (30 s), seeded with every file of dist/.
 *
 * <p>Jazzer fuzzes one target per JVM and instruments the classes it loads, so the fuzzing runs
 * in a JVM of its own, never in the one that runs the other tests. Its working files stay under
 * target/jazzer: the corpus it grows, and any crashing input ({@code crash-*}), which the failure
 * names. Keep a crashing input under
 * src/test/resources/keyboss/charts/ManifestFuzzingInputs/readerAndValidator/ and add a
 * regression test for it to {@link ValidationInputTest}.
 */
class ValidationFuzzTest {

    private static final Path WORK = Path.of("target", "jazzer").toAbsolutePath();
    private static final String TARGET = ManifestFuzzing.class.getName() + "#readerAndValidator(byte[])";

    @Test
    void fuzzingTheReaderAndTheChecksFindsNothing() throws IOException, InterruptedException {
        Path corpus = WORK.resolve(".cifuzz-corpus").resolve(ManifestFuzzing.class.getName()).resolve("readerAndValidator");
        Files.createDirectories(corpus);
        List<Path> seeds;
        try (Stream<Path> files = Files.walk(Path.of("dist"))) {
            seeds = files.filter(Files::isRegularFile).toList();
        }
        assertTrue(seeds.size() > 10, "dist/ seeds the fuzzer: " + seeds);
        for (Path seed : seeds) {
            Files.copy(seed, corpus.resolve("dist-" + Path.of("dist").relativize(seed).toString().replace('/', '-')),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> old = Files.list(WORK)) {
            for (Path crash : old.filter(f -> f.getFileName().toString().startsWith("crash-")).toList()) {
                Files.delete(crash);
            }
        }
        String classpath = "target/test-classes:target/classes:"
                + Files.readString(Path.of("target", "test-classpath.txt"), StandardCharsets.UTF_8).trim();
        Path log = WORK.resolve("fuzz.log");
        // Jazzer unpacks its native driver and seeds into the temporary folder: keep it in target/.
        Path tmp = Files.createDirectories(WORK.resolve("tmp"));
        // -Dfuzz.duration=10m fuzzes longer than the suite's bounded run.
        String duration = System.getProperty("fuzz.duration", "");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.io.tmpdir=" + tmp, "-Djazzer.internal.basedir=" + WORK));
        if (!duration.isEmpty()) {
            command.add("-Djazzer.max_duration=" + duration);
        }
        command.addAll(List.of("-cp", classpath, Child.class.getName(), TARGET));
        ProcessBuilder fuzz = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        fuzz.environment().put("JAZZER_FUZZ", "1");
        Process process = fuzz.start();
        // Only a guard against a hang: before fuzzing, Jazzer instruments the classes and runs the
        // seeds, which takes minutes on a machine busy with other builds.
        long limit = 600 + (duration.isEmpty() ? 0 : java.time.Duration.parse("PT" + duration.toUpperCase(Locale.ROOT)).toSeconds());
        if (!process.waitFor(limit, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the fuzzer did not stop within " + limit + " s; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> crashes;
        try (Stream<Path> found = Files.list(WORK)) {
            crashes = found.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("crash-")).toList();
        }
        assertEquals(0, process.exitValue(), "the fuzzer found a failing input " + crashes + " in " + WORK + ":\n"
                + output.substring(Math.max(0, output.length() - 6000)));
        assertTrue(output.contains("Done ") || output.contains("DONE"), "libFuzzer ran to its time limit:\n"
                + output.substring(Math.max(0, output.length() - 3000)));
    }

    /** The fuzzing JVM: runs the one fuzz target through JUnit, exits 1 if it failed. */
    public static final class Child {
        public static void main(String[] args) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectMethod(args[0])).build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            PrintWriter out = new PrintWriter(System.out, true);
            summary.printTo(out);
            summary.printFailuresTo(out, 30);
            System.exit(summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0 ? 0 : 1);
        }
    }
}
