package keyboss.charts;

import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.cli.Main;
import keyboss.charts.cli.OutputFolder;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Problems;
import keyboss.charts.model.Size;
import keyboss.charts.model.SynthesisException;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdk8s.App;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static String stderrOf(Runnable action) {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void synthWritesOneEnvironmentAndReportsProgress(@TempDir Path out) throws IOException {
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--outdir", out.toString(), "--env", "local"}));
        assertEquals(0, code[0], log);
        assertContainsAll(log, "synthesizing local into", "local", "objects in", "wrote");
        assertFalse(log.contains("PLACEHOLDERS"), "local's object store is confirmed: " + log);
        assertTrue(Files.isRegularFile(out.resolve("local/postgres.k8s.yaml")));
        assertTrue(Files.isRegularFile(out.resolve("local/ops/restore.k8s.yaml")));
        assertTrue(Files.notExists(out.resolve("deti")));
    }

    @Test
    void aFolderOfAnEnvironmentThatNoLongerExistsIsRemoved(@TempDir Path out) throws IOException {
        // deti's object store is a placeholder: every synth says so, naming the values and where to set them.
        String detiLog = stderrOf(() -> assertEquals(0, Main.run(new String[] {"synth", "--outdir", out.toString(), "--env", "deti"})));
        assertContainsAll(detiLog, "WARNING deti: objectStorage endpoint 's3.deti:443'", "PLACEHOLDERS", "Environment.deti()");
        // As an earlier synth would have left it when "staging" was still an environment.
        Files.createDirectories(out.resolve("staging/ops"));
        Files.writeString(out.resolve("staging/ops/restore.k8s.yaml"), "kind: Job\n");
        Files.writeString(out.resolve(OutputFolder.OWNED_FILES), "staging/ops/restore.k8s.yaml\n",
                java.nio.file.StandardOpenOption.APPEND);
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--outdir", out.toString(), "--env", "local"}));
        assertEquals(0, code[0], log);
        assertContainsAll(log, "removed " + out.resolve("staging") + ": no such environment any more");
        assertTrue(Files.notExists(out.resolve("staging")), "the gone environment's folder is removed");
        assertTrue(Files.isRegularFile(out.resolve("deti/postgres.k8s.yaml")), "deti/ was not synthesized: kept");
        assertTrue(Files.isRegularFile(out.resolve("local/postgres.k8s.yaml")));
        assertTrue(Files.readString(out.resolve(OutputFolder.OWNED_FILES)).contains("deti/postgres.k8s.yaml\n"));
    }

    @Test
    void anOutdirWithFilesSynthDidNotWriteIsRefusedAndUntouched(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("local/bin"));
        Files.writeString(home.resolve("local/bin/tool"), "#!/bin/sh\n");
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--outdir", home.toString(), "--env", "local"}));
        assertEquals(2, code[0], log);
        assertContainsAll(log, home + " holds files keyboss-charts did not write: local/", "Nothing was changed");
        assertEquals("#!/bin/sh\n", Files.readString(home.resolve("local/bin/tool")));
        assertTrue(Files.notExists(home.resolve("local/postgres.k8s.yaml")));
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path tmp) throws IOException {
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--env", "prod"}));
        assertEquals(2, code[0]);
        assertContainsAll(log, "unknown environment 'prod'; known: local, deti", "usage:");
        assertEquals(2, Main.run(new String[] {}));
        assertEquals(2, Main.run(new String[] {"synth", "--bogus"}));
        Path file = Files.writeString(tmp.resolve("dist"), "a file");
        String fileLog = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--outdir", file.toString()}));
        assertEquals(2, code[0], fileLog);
        assertContainsAll(fileLog, "--outdir " + file + " is a file, not a folder", "usage:");
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void everyProblemOfEveryConstructIsListedAtOnce() {
        App app = new App();
        EnvironmentChart chart = new EnvironmentChart(app, "deti", Environment.deti());
        new PostgresHA(chart, "postgres", PostgresHAProps.builder().replicas(1).storageSize(Size.gi(2)).build());
        new ValkeySentinel(chart, "valkey", ValkeySentinelProps.builder().quorum(1).build());
        new BackupCronJob(chart, "backup", BackupCronJobProps.builder().build());
        SynthesisException e = assertThrows(SynthesisException.class, () -> Problems.of(app).throwIfAny());
        assertEquals(4, e.problems().size(), e.getMessage());
        assertContainsAll(e.getMessage(), "4 problems found; nothing was written",
                "[deti/postgres] replicas = 1", "[deti/postgres] storageSize = 2Gi",
                "[deti/valkey] quorum = 1", "[deti/backup] database = (missing)");
        List<String> lines = e.getMessage().lines().filter(l -> l.startsWith("  - ")).toList();
        assertEquals(4, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.contains("Fix: ")), "each problem says how to fix it");
    }

    @Test
    void problemsAreTheConstructTreesValidations() {
        App app = new App();
        EnvironmentChart chart = new EnvironmentChart(app, "deti", Environment.deti());
        PostgresHA bad = new PostgresHA(chart, "postgres", PostgresHAProps.builder().replicas(1).build());
        PostgresHA good = new PostgresHA(chart, "other", PostgresHAProps.builder().name("other").build());
        // Each construct's node reports its own problems, as cdk8s validates any construct; nothing is kept elsewhere.
        List<String> messages = bad.getNode().validate();
        assertEquals(1, messages.size(), messages.toString());
        assertContainsAll(messages.get(0), "[deti/postgres] replicas = 1", "Fix: ");
        assertEquals(List.of(), good.getNode().validate());
        assertTrue(bad.hasProblems());
        assertFalse(good.hasProblems());
        assertEquals(List.of(messages.get(0)), Problems.of(good).list().stream().map(Problem::toString).toList(),
                "the app's problems are collected from every construct's node");
        // A plain construct's problem is kept by the nearest construct above it that holds problems, under its own path.
        software.constructs.Construct plain = new software.constructs.Construct(good, "plain");
        Problems.report(plain, "size", 0, "above zero", "use 1");
        assertTrue(good.hasProblems());
        assertContainsAll(good.getNode().validate().toString(), "[deti/other/plain] size = 0: above zero. Fix: use 1");
        assertEquals(2, Problems.of(app).count());
    }

    @Test
    void theSecretContractMarksTheValuesThatGoIntoAUrl() {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[] {"secrets", "deti"}));
        } finally {
            System.setOut(old);
        }
        String contract = buffer.toString(StandardCharsets.UTF_8);
        assertContainsAll(contract, "namespace tenant-keyboss\n", "generate false\n",
                "key POSTGRES_PASSWORD RANDOM_HEX URL_UNRESERVED\n", "key ADMIN_PASSWORD RANDOM_HEX ANY\n");
        // DATABASE_URL takes the password through urlKey: a key not marked for URLs fails at synth.
        assertEquals("POSTGRES_PASSWORD", KeybossChart.SECRETS.urlKey("POSTGRES_PASSWORD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeybossChart.SECRETS.urlKey("ADMIN_PASSWORD"));
        assertContainsAll(e.getMessage(), "key ADMIN_PASSWORD goes into a URL", "Characters.URL_UNRESERVED");
    }
}
