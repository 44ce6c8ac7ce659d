package keyboss.charts;

import keyboss.charts.lab.BackupLab;
import keyboss.charts.lab.Exec;
import keyboss.charts.lab.HaLab;
import keyboss.charts.lab.KubeLab;
import keyboss.charts.lab.PgCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The backups on the Patroni lab: real Patroni (the pinned version) running PostgreSQL 15 with
 * the synthesized patroni.yml against a real kube-apiserver, its members' pgBackRest pointed at
 * a real S3 server (s3proxy, {@link BackupLab}). The leader archives through the shipped
 * archive_command (creating the stanza on its first push); after the leader is killed the member
 * Patroni promotes archives on its new timeline; the logical dump runs as the read-only backup
 * role that post-init.sh made and restores as the owner into another database in one transaction.
 */
class BackupRestoreIT {

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

    /** pg_stat_archiver of {@code node}: archived count, failed count, last archived file ("" if none). */
    private static Object[] archiver(PgCluster.Node node) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT archived_count, failed_count, coalesce(last_archived_wal, '') FROM pg_stat_archiver")) {
            r.next();
            return new Object[] {r.getLong(1), r.getLong(2), r.getString(3)};
        } catch (SQLException e) {
            return new Object[] {0L, 0L, ""};
        }
    }

    /** Files of the object store whose path contains {@code part}. */
    private static List<String> stored(BackupLab store, String part) {
        try (Stream<Path> files = Files.walk(store.s3Data)) {
            return files.filter(Files::isRegularFile).map(p -> store.s3Data.relativize(p).toString())
                    .filter(p -> p.contains(part)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theLeaderArchivesTheArchiveFollowsAFailoverAndTheLogicalDumpRestores() throws Exception {
        try (BackupLab store = new BackupLab("patroni-store").up(); KubeLab api = new KubeLab()) {
            // The members' own lock folder (/tmp of their namespace), as in a pod.
            Map<String, String> repository = new HashMap<>(store.store("members"));
            repository.remove("PGBACKREST_LOCK_PATH");
            try (PgCluster cluster = new PgCluster("backup", api, 2, repository).up()) {
                long up = System.nanoTime();
                PgCluster.Node first = cluster.leader();
                try (Connection c = cluster.connectService(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE product (id serial PRIMARY KEY, name text NOT NULL)");
                    s.execute("CREATE TABLE game_key (id serial PRIMARY KEY, product int REFERENCES product, code text)");
                    s.execute("INSERT INTO product (name) SELECT 'game ' || g FROM generate_series(1, 50) g");
                    s.execute("INSERT INTO game_key (product, code) SELECT 1 + g % 50, md5(g::text) FROM generate_series(1, 500) g");
                }

                // 1. The leader archives within archive_timeout (60 s) of its writes, the first push creating the stanza.
                cluster.waitFor("a WAL segment archived by the leader " + first.name, 150,
                        () -> (long) archiver(first)[0] > 0);
                double firstArchive = (System.nanoTime() - up) / 1e9;
                Object[] a = archiver(first);
                assertEquals(0L, a[1], "no failed archive_command on the leader: " + java.util.Arrays.toString(a));
                assertTrue(((String) a[2]).startsWith("00000001"), "timeline 1: " + a[2]);
                assertTrue(stored(store, "pgbackrest/archive/postgres/archive.info").size() > 0, "the stanza was created");
                assertTrue(stored(store, "pgbackrest/archive/postgres/15-1/0000000100000000/" + a[2]).size() > 0,
                        "segment " + a[2] + " is in the object store: " + stored(store, "archive/postgres/15-1"));
                PgCluster.Node standby = first == cluster.nodes[0] ? cluster.nodes[1] : cluster.nodes[0];
                assertEquals(0L, (long) archiver(standby)[0], "a standby archives nothing");
                System.out.printf("first segment archived by the Patroni leader within %.1f s of the cluster being up%n", firstArchive);

                // 2. The logical dump as the read-only backup role, restored as the owner in one transaction.
                String peers = String.join(" ", java.util.Arrays.stream(cluster.nodes).map(PgCluster.Node::hostPort).toList());
                Map<String, String> v = new HashMap<>(Map.of("PEERS", peers, "PGPASSWORD", PgCluster.PASSWORDS.get("BACKUP_PASSWORD"),
                        "WORK_DIR", store.folder("work-logical").toString()));
                Exec.Result dump = store.script("postgres-backup-scripts", "backup.sh",
                        store.env("CronJob", "postgres-backup", "backup", "logical", v), 300);
                assertTrue(dump.output().contains("dumping saleor from " + first.hostPort()), dump.output());
                Matcher m = Pattern.compile("stored logical/(saleor_\\d{8}_\\d{6}\\.dump)").matcher(dump.output());
                assertTrue(m.find(), dump.output());
                try (Connection c = cluster.connectService(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE restored");
                }
                Map<String, String> restoreEnv = store.env("Job", "postgres-restore", "restore", "restore", Map.of(
                        "PEERS", peers, "PGPASSWORD", HaLab.PASSWORD, "PGDATABASE", "restored",
                        "WORK_DIR", store.folder("work-restore").toString()));
                Exec.Result restored = store.script("postgres-backup-scripts", "restore.sh", restoreEnv, 300);
                assertTrue(restored.output().contains(m.group(1)), restored.output());
                // The dump carries post-init.sh's grant on pg_wal_replay_pause (pg_dump writes changed
                // privileges of pg_catalog objects); the restore leaves that cluster set-up out.
                assertTrue(restored.output().contains("restore of " + m.group(1) + " complete"), restored.output());
                Map<String, Long> original = rowCounts(first, "saleor");
                assertEquals(Map.of("game_key", 500L, "ha_test", 0L, "product", 50L), original);
                assertEquals(original, rowCounts(first, "restored"), "every table, every row");

                // 3. The leader dies; the member Patroni promotes archives on its new timeline. Only the
                // synchronous standby may be promoted: wait until Patroni has named it.
                cluster.waitFor(standby.name + " as synchronous standby", 120,
                        () -> standby.name.equals(cluster.annotations("-sync").get("sync_standby")) && cluster.streamingStandbys() == 1);
                first.kill();
                cluster.waitFor("a new leader", 120, () -> cluster.leader() != null && cluster.leader() != first
                        && "primary".equals(cluster.leader().role()));
                PgCluster.Node second = cluster.leader();
                long promoted = System.nanoTime();
                try (Connection c = cluster.connectService(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO product (name) SELECT 'after failover ' || g FROM generate_series(1, 20) g");
                }
                cluster.waitFor("a segment of timeline 2 archived by " + second.name, 150,
                        () -> ((String) archiver(second)[2]).startsWith("00000002")
                                && stored(store, "0000000200000000/").size() > 0);
                System.out.printf("the promoted member archived on timeline 2 %.1f s after the failover%n",
                        (System.nanoTime() - promoted) / 1e9);
                assertTrue(stored(store, "00000002.history").size() > 0, "the timeline history is archived");
                assertNotEquals(first, second);

                // 4. A base backup of the new leader (pgBackRest as its sidecar runs it, in the pod),
                // then the old leader's volume is lost: Patroni re-seeds it with the pgbackrest
                // replica method, from the backup and the archive, and it streams again.
                Exec.Result backup = second.inPod(List.of("pgbackrest", "backup", "--type=full", "--start-fast"), Map.of(), 600);
                assertEquals(0, backup.exitCode(), backup.output());
                first.loseVolume();
                long reseed = System.nanoTime();
                first.start();
                cluster.waitFor(first.name + " re-seeded and streaming", 300,
                        () -> "standby".equals(first.role()) && cluster.streamingStandbys() == 1);
                System.out.printf("the member whose volume was lost streamed again %.1f s after it started%n",
                        (System.nanoTime() - reseed) / 1e9);
                assertTrue(first.log().contains("replica has been created using pgbackrest"),
                        "Patroni used the pgbackrest replica method: " + first.log());
                assertEquals(70L, first.count("SELECT count(*) FROM product"), "the rows from before and after the failover");
            }
        }
    }

}
