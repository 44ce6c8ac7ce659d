package keyboss.charts;

import keyboss.charts.lab.BackupLab;
import keyboss.charts.lab.Exec;
import keyboss.charts.lab.HaLab;
import keyboss.charts.data.PgBackRest;
import keyboss.charts.lab.PgCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The backups for real: PostgreSQL 15 archiving through pgBackRest to an S3 server (s3proxy) on
 * loopback, the base backup CronJob's script taking backups through the members' pgBackRest TLS
 * servers, point-in-time recovery to a timestamp and to the latest, recovery from the object
 * store alone after the cluster's data folders are deleted, the restore drill passing a good
 * backup and failing a bad one by name, the logical dump restored in one transaction, and a
 * Valkey snapshot shipped and restored. Scripts, commands and environments are the synthesized
 * local chart's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestIT {

    private static final String SCRIPTS = "postgres-basebackup-scripts";
    private static BackupLab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = new BackupLab("br").up().cluster();
        try (Connection c = lab.members[0].connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), note text)");
            s.execute("CREATE TABLE game_key (id int PRIMARY KEY, code text NOT NULL)");
            s.execute("INSERT INTO game_key SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
            s.execute("CREATE TABLE product (id int PRIMARY KEY, name text, price numeric(10,2), added timestamptz)");
            s.execute("INSERT INTO product SELECT g, 'game ' || g, g * 1.25, now() FROM generate_series(1, 300) g");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Inserts rows one committed transaction at a time and remembers each acknowledged id. */
    static final class Writer implements AutoCloseable {
        private final List<Long> acked = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private long next;

        Writer(long first) {
            next = first;
            thread = new Thread(() -> {
                try (Connection c = lab.members[0].connect();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id, note) VALUES (?, 'order')")) {
                    while (running) {
                        insert.setLong(1, next);
                        insert.executeUpdate();
                        synchronized (acked) {
                            acked.add(next);
                        }
                        next++;
                        PgCluster.sleep(2);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "writer");
            thread.start();
        }

        /** The ids acknowledged so far. */
        List<Long> acked() {
            synchronized (acked) {
                return List.copyOf(acked);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static Timestamp now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    /** A restored data folder started on a socket of its own, for checking. */
    private static Connection openRestored(Path pgdata, Path run, List<Process> keep) throws Exception {
        Files.createDirectories(run);
        HaLab.giveToPostgres(run);
        int port = HaLab.freePort();
        Process p = lab.lab.start(true, List.of(HaLab.pgBin() + "/postgres", "-D", pgdata.toString(), "-c", "port=" + port,
                "-c", "listen_addresses=127.0.0.9", "-c", "unix_socket_directories=" + run, "-c", "archive_mode=off"),
                Map.of(), run.resolve("check.log"));
        keep.add(p);
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.9:" + port + "/saleor", "saleor",
                        HaLab.PASSWORD);
            } catch (SQLException e) {
                if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                    throw new AssertionError("the restored server did not start: " + Files.readString(run.resolve("check.log")));
                }
                PgCluster.sleep(200);
            }
        }
    }

    private static Set<Long> ids(Connection c) throws SQLException {
        Set<Long> ids = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM orders")) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Map<String, String> pitrEnv(Path pgdata, String targetTime, String dump) {
        Map<String, String> v = new HashMap<>();
        v.put("PGDATA", pgdata.toString());
        // Short: a socket's path may not exceed 107 bytes.
        v.put("RUN_DIR", lab.folder("r" + pgdata.getParent().getFileName().toString().hashCode() % 1000).toString());
        v.put("TARGET_TIME", targetTime);
        v.put("DUMP", dump);
        return lab.env("Job", "postgres-pitr", "pitr", "pitr", v);
    }

    @Test
    @Order(1)
    void pointInTimeRecoveryFindsEveryRowCommittedBeforeTheTargetAndTheDroppedTable() throws Exception {
        Timestamp target;
        List<Long> before;
        try (Writer writer = new Writer(1); Connection c = lab.members[0].connect()) {
            PgCluster.sleep(1500);
            Exec.Result full = lab.script(SCRIPTS, "base-backup.sh", lab.backupEnv("full"), 600);
            assertTrue(full.output().contains("taking a full backup"), full.output());
            assertTrue(full.output().contains("drill manifest of "), full.output());
            PgCluster.sleep(1500);
            before = writer.acked();
            target = now(c);
            PgCluster.sleep(1500);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE game_key");
            }
            PgCluster.sleep(500);
        }
        lab.awaitArchived();
        assertTrue(before.size() > 100, "the writer committed " + before.size() + " rows before the target");

        Path pgdata = lab.folder("pitr-time").resolve("pgdata");
        String targetText = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC)
                .format(target.toInstant()) + "+00";
        Exec.Result pitr = lab.script(SCRIPTS, "pitr.sh", pitrEnv(pgdata, targetText, "y"), 600);
        assertTrue(pitr.output().contains("recovery stopping before commit"), pitr.output());
        assertTrue(pitr.output().contains("stored logical/saleor-pitr_"), "a dump of the recovered database: " + pitr.output());
        List<Process> servers = new ArrayList<>();
        try (Connection restored = openRestored(pgdata, lab.folder("c1"), servers)) {
            Set<Long> ids = ids(restored);
            List<Long> missing = before.stream().filter(id -> !ids.contains(id)).toList();
            assertEquals(List.of(), missing, "every row committed before the target is back");
            assertEquals(2000, count(restored, "SELECT count(*) FROM game_key"), "the dropped table is back, whole");
            Timestamp last;
            try (Statement s = restored.createStatement(); ResultSet r = s.executeQuery("SELECT max(at) FROM orders")) {
                r.next();
                last = r.getTimestamp(1);
            }
            assertFalse(last.after(target), "nothing committed after the target: newest row " + last + ", target " + target);
            long gapMillis = target.getTime() - last.getTime();
            System.out.println("[pitr] target " + targetText + ", newest restored row " + last.toInstant()
                    + " (" + gapMillis + " ms before the target), " + before.size() + " rows acknowledged before it, 0 missing");
            assertTrue(gapMillis < 1000, "the recovery stops at the target, not before: " + gapMillis + " ms short");
        } finally {
            servers.forEach(HaLab::kill);
        }
        // The dropped table back into production, from the recovery's dump, in one transaction.
        Map<String, String> restore = lab.env("Job", "postgres-restore", "restore", "restore-pitr", Map.of(
                "PEERS", lab.peers(), "PGPASSWORD", HaLab.PASSWORD, "WORK_DIR", lab.folder("rt").toString(),
                "PREFIX", "saleor-pitr", "TABLES", "game_key"));
        Exec.Result back = lab.script("postgres-backup-scripts", "restore.sh", restore, 300);
        assertTrue(back.output().contains("(tables: game_key)"), back.output());
        try (Connection c = lab.members[0].connect()) {
            assertEquals(2000, count(c, "SELECT count(*) FROM game_key"), "the dropped table is back in production");
            assertTrue(count(c, "SELECT count(*) FROM orders") > before.size(), "and nothing else was touched");
        }
    }

    @Test
    @Order(2)
    void restoreDrillPassesAGoodBackupAndNamesTheTablesOfABadOne() throws Exception {
        Exec.Result diff = lab.script(SCRIPTS, "base-backup.sh", lab.backupEnv("diff"), 600);
        Matcher m = Pattern.compile("drill manifest of (\\S+): (\\d+) tables at WAL position (\\S+)").matcher(diff.output());
        assertTrue(m.find(), diff.output());
        String good = m.group(1);
        assertTrue(good.endsWith("D"), "a differential backup: " + good);
        lab.awaitArchived();

        Map<String, String> drillEnv = drillEnv("good");
        Exec.Result pass = lab.script(SCRIPTS, "restore-drill.sh", drillEnv, 900);
        assertTrue(pass.output().contains("PASSED: backup " + good + " restored to " + m.group(3)), pass.output());
        assertTrue(pass.output().contains(m.group(2) + " tables match"), pass.output());

        // A manifest recorded before one row was changed and one table emptied, for a backup
        // taken after: the restored copy no longer matches what was recorded.
        Path goodManifest = fetchManifest(good);
        try (Connection c = lab.members[0].connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE product SET price = price + 1 WHERE id = 42");
            s.execute("DELETE FROM game_key");
        }
        Exec.Result bad = lab.script(SCRIPTS, "base-backup.sh", lab.backupEnv("diff"), 600);
        Matcher mb = Pattern.compile("drill manifest of (\\S+): \\d+ tables at WAL position (\\S+)").matcher(bad.output());
        assertTrue(mb.find(), bad.output());
        String badSet = mb.group(1);
        List<String> lines = new ArrayList<>(List.of("backup " + badSet, "database saleor", "lsn " + mb.group(2)));
        Files.readAllLines(goodManifest).stream().filter(l -> l.startsWith("table ")).forEach(lines::add);
        Path forged = lab.folder("forged").resolve(badSet + ".manifest");
        Files.write(forged, lines);
        HaLab.giveToPostgres(forged);
        putObject(forged, "drill/" + badSet + ".manifest");
        lab.awaitArchived();

        Exec.Result fail = lab.run(SCRIPTS, "restore-drill.sh", drillEnv("bad"), 900);
        assertNotEquals(0, fail.exitCode(), fail.output());
        assertTrue(fail.stderr().contains("DIFFERENCE: table public.product: contents differ"), fail.output());
        assertTrue(fail.stderr().contains("DIFFERENCE: table public.game_key: 0 rows restored, 2000 recorded"), fail.output());
        assertFalse(fail.stderr().contains("table public.orders"), "unchanged tables are not named: " + fail.output());
        assertTrue(fail.stderr().contains("FAILED: backup " + badSet + " does not restore to what was recorded"), fail.output());

        try (Connection c = lab.members[0].connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO game_key SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
        }
    }

    private static Map<String, String> drillEnv(String name) {
        return lab.env("CronJob", "postgres-restore-drill", "drill", "drill-" + name,
                Map.of("DRILL_DIR", lab.folder("d-" + name).toString()));
    }

    /** Runs objects.sh's own helpers, as the scripts do, to read or write a stored object. */
    private static Exec.Result objects(String commands, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(lab.store("objects"));
        env.put("OBJECT_PREFIX", "keyboss/local");
        env.put("PGBACKREST_REPO1_S3_BUCKET", BackupLab.BUCKET);
        env.put("PGBACKREST_REPO1_S3_REGION", "us-east-1");
        env.put("PGBACKREST_REPO1_S3_URI_STYLE", "path");
        env.putAll(extra);
        Path dir = lab.lab.mount(SCRIPTS);
        Exec.Result r = lab.lab.run(true, List.of("busybox", "sh", "-c", "set -eu; TAG=test; . " + dir + "/common.sh; . "
                + dir + "/objects.sh; objects_init; " + commands), env, 120);
        BackupLab.must(r);
        return r;
    }

    private static Path fetchManifest(String set) throws IOException {
        Path file = lab.folder("manifests").resolve(set + ".manifest");
        objects("object_get drill/" + set + ".manifest " + file, Map.of());
        return file;
    }

    private static void putObject(Path file, String name) {
        objects("object_put " + file + " " + name, Map.of());
    }

    @Test
    @Order(3)
    void logicalDumpRestoresInOneTransactionOrNotAtAll() throws Exception {
        Map<String, String> v = new HashMap<>(Map.of("PEERS", lab.peers(), "PGPASSWORD", BackupLab.BACKUP_PASSWORD,
                "WORK_DIR", lab.folder("logical").toString()));
        Exec.Result dump = lab.script("postgres-backup-scripts", "backup.sh",
                lab.env("CronJob", "postgres-backup", "backup", "logical", v), 300);
        Matcher m = Pattern.compile("stored logical/(saleor_\\d{8}_\\d{6}\\.dump)").matcher(dump.output());
        assertTrue(m.find(), dump.output());
        String stored = objects("object_list logical", Map.of()).stdout();
        assertTrue(stored.contains(m.group(1)), stored);
        try (Stream<Path> files = Files.walk(lab.s3Data)) {
            Path object = files.filter(f -> f.getFileName().toString().equals(m.group(1))).findFirst().orElseThrow();
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(object), 8);
            assertEquals("Salted__", new String(head, java.nio.charset.StandardCharsets.US_ASCII), "stored encrypted");
        }

        // A database the restore must either replace completely or leave exactly as it was.
        try (Connection c = lab.members[0].connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE restored");
        }
        String restoredUrl = "jdbc:postgresql://" + lab.members[0].hostPort() + "/restored";
        try (Connection c = java.sql.DriverManager.getConnection(restoredUrl, "saleor", HaLab.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE product (id int PRIMARY KEY, name text, price numeric(10,2), added timestamptz)");
            s.execute("INSERT INTO product VALUES (1, 'before the restore', 9.99, now())");
            // Fails the restore half-way: after the drops, the tables and their rows, at the first index.
            s.execute("CREATE FUNCTION refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN RAISE EXCEPTION 'refusing % half-way', tg_tag; END $$");
            s.execute("CREATE EVENT TRIGGER refuse_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX', 'ALTER TABLE')"
                    + " EXECUTE FUNCTION refuse()");
        }
        Map<String, String> restoreEnv = new HashMap<>(v);
        // The restore writes as the database's owner (the Job's PGUSER), the dump read as the backup role.
        restoreEnv.put("PGPASSWORD", HaLab.PASSWORD);
        restoreEnv.put("PGDATABASE", "restored");
        restoreEnv.put("BACKUP_FILE", m.group(1));
        Map<String, String> env = lab.env("Job", "postgres-restore", "restore", "restore", restoreEnv);
        Exec.Result failed = lab.run("postgres-backup-scripts", "restore.sh", env, 300);
        assertNotEquals(0, failed.exitCode(), failed.output());
        assertTrue(failed.output().contains("refusing"), "it failed half-way, at the trigger: " + failed.output());
        try (Connection c = java.sql.DriverManager.getConnection(restoredUrl, "saleor", HaLab.PASSWORD)) {
            assertEquals(1, count(c, "SELECT count(*) FROM product"), "the database is as it was");
            assertEquals(1, count(c, "SELECT count(*) FROM product WHERE name = 'before the restore'"));
            assertEquals(0, count(c, "SELECT count(*) FROM pg_tables WHERE tablename IN ('orders', 'game_key')"),
                    "no table of the dump is left behind");
            try (Statement s = c.createStatement()) {
                s.execute("DROP EVENT TRIGGER refuse_indexes");
            }
        }
        Exec.Result ok = lab.script("postgres-backup-scripts", "restore.sh", env, 300);
        assertTrue(ok.output().contains("restore of " + m.group(1) + " complete"), ok.output());
        try (Connection source = lab.members[0].connect();
             Connection c = java.sql.DriverManager.getConnection(restoredUrl, "saleor", HaLab.PASSWORD)) {
            for (String t : List.of("orders", "game_key", "product")) {
                assertEquals(count(source, "SELECT count(*) FROM " + t), count(c, "SELECT count(*) FROM " + t), t);
            }
            assertEquals(0, count(c, "SELECT count(*) FROM product WHERE name = 'before the restore'"));
        }
    }

    @Test
    @Order(4)
    void valkeySnapshotIsShippedAndRestoredOntoAnEmptyVolume() throws Exception {
        Path data = lab.folder("valkey/data");
        int port = HaLab.freePort();
        int sentinelPort = HaLab.freePort();
        // As the shipped servers and Sentinels: a password on both (the snapshot reads it from REDISCLI_AUTH).
        String password = "valkey-lab-password";
        Map<String, String> auth = Map.of("REDISCLI_AUTH", password);
        Process server = lab.lab.start(true, List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", data.toString(), "--appendonly", "yes", "--requirepass", password), Map.of(),
                lab.folder("valkey").resolve("server.log"));
        Path sentinelConf = lab.folder("valkey/sentinel").resolve("sentinel.conf");
        Files.writeString(sentinelConf, "port " + sentinelPort + "\nbind 127.0.0.1\nrequirepass " + password
                + "\nsentinel monitor mymaster 127.0.0.1 " + port + " 1\nsentinel auth-pass mymaster " + password + "\n");
        HaLab.giveToPostgres(sentinelConf);
        Process sentinel = lab.lab.start(true, List.of("redis-sentinel", sentinelConf.toString()), Map.of(),
                lab.folder("valkey").resolve("sentinel.log"));
        try {
            Exec.Result set = null;
            for (int i = 0; i < 50; i++) {
                set = lab.lab.run(false, List.of("redis-cli", "-p", Integer.toString(port), "set", "delivery:1", "key-AAAA"), auth, 10);
                if (set.exitCode() == 0 && set.stdout().contains("OK")) {
                    break;
                }
                PgCluster.sleep(200);
            }
            assertTrue(set.stdout().contains("OK"), set.output());
            BackupLab.must(lab.lab.run(false, List.of("redis-cli", "-p", Integer.toString(port), "rpush", "celery", "t1", "t2"), auth, 10));

            Map<String, String> v = new HashMap<>(Map.of("WORK_DIR", lab.folder("valkey/work").toString(),
                    "SENTINELS", "127.0.0.1:" + sentinelPort, "VALKEY_CLI", "redis-cli", "REDISCLI_AUTH", password));
            Map<String, Object> snapshotContainer = Fixtures.container(Fixtures.find(lab.local, "CronJob", "valkey-backup"),
                    "initContainers", "snapshot");
            Map<String, String> snapshotEnv = HaLab.envOf(snapshotContainer, v);
            Exec.Result snap = null;
            for (int i = 0; i < 50; i++) {
                snap = lab.run("valkey-backup-scripts", "valkey-backup.sh", snapshotEnv, 120, "snapshot");
                if (snap.exitCode() == 0) {
                    break;
                }
                PgCluster.sleep(200);
            }
            assertEquals(0, snap.exitCode(), snap.output());
            assertTrue(snap.output().contains("master of mymaster is 127.0.0.1:" + port), snap.output());
            Exec.Result up = lab.script("valkey-backup-scripts", "valkey-backup.sh",
                    lab.env("CronJob", "valkey-backup", "upload", "valkey", v), 120, "upload");
            assertTrue(up.output().contains("stored valkey/valkey_"), up.output());
        } finally {
            HaLab.kill(sentinel);
            HaLab.kill(server);
        }

        // The volume of a pod that lost everything.
        Path fresh = lab.folder("valkey/fresh");
        Exec.Result restore = lab.script("valkey-backup-scripts", "valkey-restore.sh",
                lab.env("Job", "redis-restore-0", "restore", "valkey-restore", Map.of("DATA_DIR", fresh.toString())), 120);
        assertTrue(restore.output().contains("restored valkey_"), restore.output());
        int port2 = HaLab.freePort();
        Process restored = lab.lab.start(true, List.of("redis-server", "--port", Integer.toString(port2), "--bind", "127.0.0.1",
                "--dir", fresh.toString(), "--appendonly", "yes"), Map.of(), lab.folder("valkey").resolve("restored.log"));
        try {
            Exec.Result get = null;
            for (int i = 0; i < 50; i++) {
                get = lab.lab.run(false, List.of("redis-cli", "-p", Integer.toString(port2), "get", "delivery:1"), Map.of(), 10);
                if (get.exitCode() == 0 && !get.stdout().isBlank()) {
                    break;
                }
                PgCluster.sleep(200);
            }
            assertEquals("key-AAAA", get.stdout().trim(), "the snapshot's key is back (appendonly yes loads it)");
            assertEquals("2", lab.lab.run(false, List.of("redis-cli", "-p", Integer.toString(port2), "llen", "celery"),
                    Map.of(), 10).stdout().trim(), "the queue is back");
        } finally {
            HaLab.kill(restored);
        }
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void aMemberWhoseDataIsGoneIsReseededFromTheArchiveAsPatroniWould() throws Exception {
        BackupLab.Member standby = lab.members[1];
        standby.stop();
        deleteTree(standby.data);
        try (Connection c = lab.members[0].connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (id, note) SELECT g, 'while the standby was gone' FROM generate_series(3000000, 3000099) g");
        }
        lab.awaitArchived();
        // The very command Patroni's create_replica_methods runs for a new member (PgBackRest.patroniPostgresql).
        String command = (String) ((Map<String, Object>) PgBackRest.patroniPostgresql("postgres").get("pgbackrest")).get("command");
        Exec.Result seeded = lab.lab.run(true, List.of("sh", "-c", command), standby.serverEnv(), 600);
        assertEquals(0, seeded.exitCode(), seeded.output());
        assertTrue(Files.exists(standby.data.resolve("standby.signal")), "it comes back as a standby");
        standby.start();
        standby.startServer();
        long deadline = System.currentTimeMillis() + 120_000;
        long seen = 0;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = standby.connect()) {
                assertEquals(1, count(c, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END"), "a standby, not a second primary");
                seen = count(c, "SELECT count(*) FROM orders WHERE id >= 3000000");
                if (seen == 100) {
                    break;
                }
            } catch (SQLException e) {
                // Still starting.
            }
            PgCluster.sleep(500);
        }
        assertEquals(100, seen, "the rows written while it was gone came from the archive");
    }

    @Test
    @Order(6)
    void theClusterLostEntirelyIsRecoveredFromTheObjectStoreAlone() throws Exception {
        Writer writer = new Writer(1_000_000);
        PgCluster.sleep(1500);
        writer.close();
        List<Long> committed = writer.acked();
        lab.awaitArchived();
        // Failover: the primary dies, the standby is promoted, and from then on it archives.
        BackupLab.Member old = lab.members[0];
        BackupLab.Member promoted = lab.members[1];
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try (Connection c = promoted.connect()) {
                if (count(c, "SELECT count(*) FROM orders WHERE id >= 1000000 AND id < 2000000") >= committed.size()) {
                    break;
                }
            }
            assertTrue(System.currentTimeMillis() < deadline, "the standby replays the archived writes");
            PgCluster.sleep(500);
        }
        old.stop();
        try (Connection c = promoted.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_promote()");
            s.execute("INSERT INTO orders (id, note) SELECT g, 'after the failover' FROM generate_series(4000000, 4000099) g");
        }
        lab.awaitArchived(promoted);
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = promoted.connect()) {
            for (String t : List.of("orders", "game_key", "product")) {
                counts.put(t, count(c, "SELECT count(*) FROM " + t));
            }
            assertEquals(100, count(c, "SELECT count(*) FROM orders WHERE id >= 4000000"));
        }
        for (BackupLab.Member m : lab.members) {
            m.stop();
            deleteTree(m.dir);
            assertFalse(Files.exists(m.data), "the data folder of member " + m.ordinal + " is gone");
        }

        Path pgdata = lab.folder("from-nothing").resolve("pgdata");
        long started = System.nanoTime();
        Exec.Result latest = lab.script(SCRIPTS, "pitr.sh", pitrEnv(pgdata, "", "n"), 900);
        System.out.println("[pitr] whole cluster recovered from the object store in " + (System.nanoTime() - started) / 1_000_000
                + " ms: " + latest.stdout().lines().filter(l -> l.contains("recovered in")).findFirst().orElse(""));
        List<Process> servers = new ArrayList<>();
        try (Connection restored = openRestored(pgdata, lab.folder("c2"), servers)) {
            Set<Long> ids = ids(restored);
            assertEquals(List.of(), committed.stream().filter(id -> !ids.contains(id)).toList(),
                    "every acknowledged row of the last writes is back");
            assertEquals(100, count(restored, "SELECT count(*) FROM orders WHERE id >= 4000000"),
                    "and the rows the promoted standby archived after the failover (timeline 2)");
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                assertEquals(e.getValue(), count(restored, "SELECT count(*) FROM " + e.getKey()), e.getKey());
            }
        } finally {
            servers.forEach(HaLab::kill);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
