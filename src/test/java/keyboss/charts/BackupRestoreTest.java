package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The BackupCronJob scripts against a real PostgreSQL: the backup is a valid gzip that keeps
 * only the newest KEEP files, restore.sh restores it into an empty database table for table
 * and row for row, and restore-test.sh passes a good dump and fails a truncated one.
 */
class BackupRestoreTest {

    private static Map<String, Long> rowCounts(PgCluster.Node node, String database) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + node.hostPort() + "/" + database,
                "saleor", HaLab.PASSWORD); Statement s = c.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
                    r.next();
                    counts.put(t, r.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void backupRetentionRestoreAndRestoreTest() throws Exception {
        try (KubeLab api = new KubeLab(); PgCluster cluster = new PgCluster("backup", api).up()) {
            PgCluster.Node primary = cluster.leader();
            String peers = String.join(" ", java.util.Arrays.stream(cluster.nodes).map(PgCluster.Node::hostPort).toList());
            try (Connection c = primary.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE product (id serial PRIMARY KEY, name text NOT NULL)");
                s.execute("CREATE TABLE game_key (id serial PRIMARY KEY, product int REFERENCES product, code text)");
                s.execute("INSERT INTO product (name) SELECT 'game ' || g FROM generate_series(1, 50) g");
                s.execute("INSERT INTO game_key (product, code) SELECT 1 + g % 50, md5(g::text) FROM generate_series(1, 500) g");
            }
            Map<String, Object> container = Fixtures.container(Fixtures.find(Fixtures.builtIn("local"), "CronJob", "postgres-backup"),
                    "containers", "backup");
            int keep = Integer.parseInt(Fixtures.env(container, "KEEP"));
            Path backups = Files.createDirectories(cluster.lab.root.resolve("backups"));
            // The backup runs as the read-only backup role, the restores as the database's owner, as the Jobs say.
            assertEquals("backup", Fixtures.env(container, "PGUSER"));
            Map<String, String> env = new HashMap<>(HaLab.envOf(container, Map.of(
                    "PEERS", peers, "PGPASSWORD", PgCluster.PASSWORDS.get("BACKUP_PASSWORD"), "BACKUP_DIR", backups.toString())));
            Map<String, Object> restoreContainer = Fixtures.container(Fixtures.find(Fixtures.builtIn("local"), "Job", "postgres-restore"),
                    "containers", "restore");
            Map<String, String> ownerEnv = new HashMap<>(HaLab.envOf(restoreContainer, Map.of(
                    "PEERS", peers, "PGPASSWORD", HaLab.PASSWORD, "BACKUP_DIR", backups.toString())));
            java.sql.SQLException readOnly = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> {
                try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + primary.hostPort() + "/saleor",
                        "backup", PgCluster.PASSWORDS.get("BACKUP_PASSWORD")); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO product (name) VALUES ('not by the backup role')");
                }
            });
            assertTrue(readOnly.getMessage().contains("read-only") || readOnly.getMessage().contains("permission denied"),
                    readOnly.getMessage());
            Path scripts = cluster.lab.mount("postgres-backup-scripts");

            for (int run = 0; run < keep + 2; run++) {
                Exec.Result r = cluster.lab.script(false, scripts.resolve("backup.sh"), env, 120);
                assertTrue(r.output().contains("dumping saleor from " + primary.hostPort()), r.output());
                PgCluster.sleep(1100); // backup names carry the second
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(backups)) {
                files = list.sorted().toList();
            }
            assertEquals(keep, files.size(), "only the newest " + keep + " remain: " + files);
            assertTrue(files.stream().allMatch(f -> f.getFileName().toString().matches("saleor_\\d{8}_\\d{6}\\.sql\\.gz")));
            for (Path f : files) {
                assertEquals(0, cluster.lab.run(false, List.of("gzip", "-t", f.toString()), Map.of(), 30).exitCode(), f + " is valid gzip");
            }

            try (Connection c = primary.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE restored");
            }
            Map<String, String> restoreEnv = new HashMap<>(ownerEnv);
            restoreEnv.put("PGDATABASE", "restored");
            restoreEnv.put("PREFIX", "saleor");
            Exec.Result restored = cluster.lab.script(false, scripts.resolve("restore.sh"), restoreEnv, 120);
            assertTrue(restored.output().contains("restore of " + files.get(files.size() - 1).getFileName()), restored.output());
            Map<String, Long> original = rowCounts(primary, "saleor");
            assertEquals(Map.of("game_key", 500L, "ha_test", 0L, "product", 50L), original);
            assertEquals(original, rowCounts(primary, "restored"), "every table, every row");

            Exec.Result good = cluster.lab.script(false, scripts.resolve("restore-test.sh"), ownerEnv, 120);
            assertTrue(good.output().contains("PASSED"), good.output());

            Path newest = files.get(files.size() - 1);
            byte[] bytes = Files.readAllBytes(newest);
            Path truncated = backups.resolve("saleor_20000101_000000.sql.gz");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            Map<String, String> truncatedEnv = new HashMap<>(ownerEnv);
            truncatedEnv.put("BACKUP_FILE", truncated.getFileName().toString());
            Exec.Result bad = cluster.lab.run(false, List.of("busybox", "sh", scripts.resolve("restore-test.sh").toString()), truncatedEnv, 120);
            assertNotEquals(0, bad.exitCode(), bad.output());
            assertTrue(bad.stderr().contains("FAILED: integrity"), bad.output());
        }
    }
}
