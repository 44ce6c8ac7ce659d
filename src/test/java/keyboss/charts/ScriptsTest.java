package keyboss.charts;

import keyboss.charts.lab.Exec;
import keyboss.charts.model.Manifest;
import keyboss.charts.core.Scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod scripts, run for real under busybox sh (the images are Alpine): they parse, and one
 * started without a required variable stops at once, naming it, before touching anything. They
 * run as a pod mounts them: each script's ConfigMap, from the synthesized local chart, written
 * into one folder.
 */
class ScriptsTest {

    private static final Path SCRIPTS = Path.of("src/main/resources/keyboss/charts/scripts");

    @org.junit.jupiter.api.io.TempDir
    static Path mounts;

    /** The script as a pod sees it: its ConfigMap's files written to a folder, executable. */
    static Path mounted(String script) throws IOException {
        String file = script.substring(script.lastIndexOf('/') + 1);
        for (Manifest m : Fixtures.builtIn("local")) {
            Map<String, Object> data = Manifest.map(m.object().get("data"));
            if ("ConfigMap".equals(m.kind()) && data.containsKey(file)) {
                Path dir = mounts.resolve(m.name());
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    for (Map.Entry<String, Object> e : data.entrySet()) {
                        Path p = dir.resolve(e.getKey());
                        Files.writeString(p, (String) e.getValue());
                        p.toFile().setExecutable(true);
                    }
                }
                assertEquals(Files.readString(SCRIPTS.resolve(script)), Files.readString(dir.resolve(file)),
                        script + " is mounted unchanged");
                return dir.resolve(file);
            }
        }
        throw new AssertionError("no ConfigMap of the local chart carries " + file);
    }

    /** Script and the variables it requires, in the order it checks them. */
    static Stream<Arguments> requiredVariables() {
        return Stream.of(
                Arguments.of("postgres/post-init.sh", List.of("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD",
                        "MONITOR_USER", "MONITOR_PASSWORD", "BACKUP_USER", "BACKUP_PASSWORD")),
                Arguments.of("valkey/init.sh", List.of("SELF", "PEERS", "SENTINELS", "MASTER_NAME", "CONF", "AUTH_CONF",
                        "DATA_DIR", "AUTH_FILE", "MIN_REPLICAS_TO_WRITE", "MIN_REPLICAS_MAX_LAG")),
                Arguments.of("valkey/sentinel-init.sh", List.of("SELF", "PEERS", "SENTINELS", "MASTER_NAME", "QUORUM",
                        "DOWN_AFTER_MS", "FAILOVER_TIMEOUT_MS", "CONF", "AUTH_FILE")),
                Arguments.of("valkey/ping.sh", List.of("AUTH_FILE")),
                Arguments.of("valkey/fence.sh", List.of("SELF", "SENTINELS", "MASTER_NAME", "AUTH_FILE",
                        "MIN_REPLICAS_TO_WRITE", "FENCE_AFTER_MS")),
                Arguments.of("backup/backup.sh", withStore("PEERS", "PGUSER", "PGPASSWORD", "PGDATABASE", "WORK_DIR",
                        "RETENTION_DAYS", "RETENTION_MIN_COUNT")),
                Arguments.of("backup/restore.sh", withStore("PEERS", "PGUSER", "PGPASSWORD", "PGDATABASE", "WORK_DIR")),
                Arguments.of("backup/base-backup.sh", withStore("BACKUP_TYPE", "PGBACKREST_STANZA", "PEERS", "PGUSER",
                        "PGPASSWORD", "PGDATABASE", "WORK_DIR", "RETENTION_DAYS", "RETENTION_MIN_COUNT")),
                Arguments.of("backup/restore-drill.sh", withStore("PGBACKREST_STANZA", "DRILL_DIR", "LOCAL_USER")),
                Arguments.of("backup/pitr.sh", withStore("PGBACKREST_STANZA", "PGDATA", "LOCAL_USER", "RUN_DIR")),
                Arguments.of("backup/valkey-backup.sh", List.of("WORK_DIR")),
                Arguments.of("backup/valkey-restore.sh", withStore("DATA_DIR")),
                Arguments.of("saleor/wait-for-migrations.sh", List.of("DATABASE_URL")),
                Arguments.of("saleor/migrate.sh", List.of("DATABASE_URL")),
                Arguments.of("saleor/seed.sh", List.of("DATABASE_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD")),
                Arguments.of("dashboard/prepare.sh", List.of("SOURCE", "TARGET", "API_URL")));
    }

    /** {@code first}, then what objects.sh's objects_init requires of every backup script. */
    private static List<String> withStore(String... first) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of("PGBACKREST_REPO1_S3_ENDPOINT", "PGBACKREST_REPO1_S3_BUCKET", "PGBACKREST_REPO1_S3_REGION",
                "PGBACKREST_REPO1_S3_KEY", "PGBACKREST_REPO1_S3_KEY_SECRET", "PGBACKREST_REPO1_CIPHER_PASS", "OBJECT_PREFIX"));
        return List.copyOf(all);
    }

    /** Helpers the scripts source (they require nothing themselves). */
    private static final List<String> HELPERS = List.of(Scripts.COMMON, "backup/manifest.sh", "backup/objects.sh",
            "backup/postgres-local.sh");

    private static String busybox() {
        return Exec.require("busybox", "apt-get install -y busybox");
    }

    @Test
    void everyScriptIsListedAndParsesUnderBusyboxSh() throws IOException {
        List<String> listed = Stream.concat(HELPERS.stream(), requiredVariables().map(a -> (String) a.get()[0]))
                .sorted().toList();
        try (Stream<Path> files = Files.walk(SCRIPTS)) {
            List<String> present = files.filter(f -> f.toString().endsWith(".sh"))
                    .map(f -> SCRIPTS.relativize(f).toString().replace('\\', '/')).sorted().toList();
            assertEquals(present, listed, "every script (but the shared helpers) has its required variables listed here");
        }
        for (String script : listed) {
            Exec.Result r = Exec.run(List.of(busybox(), "sh", "-n", SCRIPTS.resolve(script).toString()), Map.of(), 10);
            assertEquals(0, r.exitCode(), script + " does not parse: " + r.output());
            assertTrue(Files.readString(SCRIPTS.resolve(script)).startsWith("#!/bin/sh\n"), script + " is a POSIX sh script");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredVariables")
    void aMissingVariableStopsTheScriptAtOnceNamingIt(String script, List<String> required, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        Path marker = tmp.resolve("untouched");
        Files.writeString(marker, "data");
        for (String missing : required) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String var : required) {
                // Paths point into the temporary folder, so touching anything would show there.
                env.put(var, var.equals("PGDATA") || var.equals("BACKUP_DIR") || var.equals("DATA_DIR")
                        ? tmp.toString() : var.equals("CONF") ? tmp.resolve("out.conf").toString() : "x:1");
            }
            env.remove(missing);
            long start = System.nanoTime();
            Exec.Result r = Exec.run(List.of(busybox(), "sh", mounted(script).toString()), new HashMap<>(env), 10);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotEquals(0, r.exitCode(), script + " without " + missing + " must fail");
            assertTrue(r.stderr().contains("required variable " + missing + " is not set"),
                    script + " without " + missing + " should name it, printed: " + r.output());
            assertTrue(millis < 5000, script + " took " + millis + " ms to refuse");
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(marker), left.toList(), script + " touched the data folder");
            }
            assertEquals("data", Files.readString(marker));
        }
    }

    @Test
    void theDashboardFilesAreCopiedWithTheApiAddressWritten(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        // The built dashboard as the saleor-dashboard image holds it, API address still the default.
        Path source = Files.createDirectories(tmp.resolve("app/dashboard"));
        String index = "<script>window.__SALEOR_CONFIG__ = { API_URL: \"http://localhost:8000/graphql/\", APP_MOUNT_URI: \"/dashboard/\" };</script>";
        Files.writeString(source.resolve("index.html"), index);
        Files.createDirectories(source.resolve("assets"));
        Files.writeString(source.resolve("assets/app.js"), "console.log(1)");
        Path target = tmp.resolve("srv/dashboard");
        Map<String, String> env = new HashMap<>(Map.of("SOURCE", source.toString(), "TARGET", target.toString(),
                "API_URL", "http://keyboss.deti/graphql/"));
        Exec.Result r = Exec.run(List.of(busybox(), "sh", mounted("dashboard/prepare.sh").toString()), env, 20);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.readString(target.resolve("index.html")).contains("API_URL: \"http://keyboss.deti/graphql/\""),
                "the address is written: " + Files.readString(target.resolve("index.html")));
        assertTrue(Files.readString(target.resolve("index.html")).contains("APP_MOUNT_URI: \"/dashboard/\""));
        assertEquals("console.log(1)", Files.readString(target.resolve("assets/app.js")));
        assertEquals(index, Files.readString(source.resolve("index.html")), "the image's files are not changed");

        env.put("API_URL", "http://evil\"/");
        Exec.Result bad = Exec.run(List.of(busybox(), "sh", mounted("dashboard/prepare.sh").toString()), env, 20);
        assertNotEquals(0, bad.exitCode(), bad.output());
        assertTrue(bad.stderr().contains("cannot be written into index.html"), bad.output());

        Files.writeString(source.resolve("index.html"), "<html>no settings</html>");
        env.put("API_URL", "http://keyboss.deti/graphql/");
        Exec.Result none = Exec.run(List.of(busybox(), "sh", mounted("dashboard/prepare.sh").toString()), env, 20);
        assertNotEquals(0, none.exitCode(), none.output());
        assertTrue(none.stderr().contains("no API_URL setting to replace"), none.output());
    }
}
