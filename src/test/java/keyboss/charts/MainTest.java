package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Files.createDirectories(out.resolve("local/stale"));
        Files.writeString(out.resolve("local/stale/old.k8s.yaml"), "x: 1");
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--outdir", out.toString(), "--env", "local"}));
        assertEquals(0, code[0], log);
        assertContainsAll(log, "synthesizing local into", "local", "objects in", "wrote");
        assertTrue(Files.isRegularFile(out.resolve("local/postgres.k8s.yaml")));
        assertTrue(Files.isRegularFile(out.resolve("local/ops/restore.k8s.yaml")));
        assertTrue(Files.notExists(out.resolve("local/stale")), "the environment's folder is replaced");
        assertTrue(Files.notExists(out.resolve("deti")));
    }

    @Test
    void usageErrorsExitTwo() {
        int[] code = new int[1];
        String log = stderrOf(() -> code[0] = Main.run(new String[] {"synth", "--env", "prod"}));
        assertEquals(2, code[0]);
        assertContainsAll(log, "unknown environment 'prod'; known: local, deti", "usage:");
        assertEquals(2, Main.run(new String[] {}));
        assertEquals(2, Main.run(new String[] {"synth", "--bogus"}));
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
}
