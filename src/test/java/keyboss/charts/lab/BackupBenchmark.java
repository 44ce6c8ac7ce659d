package keyboss.charts.lab;

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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): the backup figures with real servers, on a database of the size asked
 * for (default 300 MB of incompressible-ish rows): how long WAL takes to reach the object store
 * (archive lag), base backup and restore time per GB, and the recovery point a point-in-time
 * recovery reaches against its target. Run with {@code bin/bench-backup [MB]}.
 */
public final class BackupBenchmark {

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (BackupLab lab = new BackupLab("bench").up().cluster()) {
            BackupLab.Member primary = lab.members[0];
            System.err.printf("loading about %d MB...%n", megabytes);
            long loadStart = System.nanoTime();
            try (Connection c = primary.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), note text)");
                s.execute("CREATE TABLE payload (id bigint PRIMARY KEY, a text, b text)");
                // Two md5 strings of random input per row: about 100 bytes that compress like real text, not like blanks.
                long rows = megabytes * 1024L * 1024L / 120;
                for (long from = 1; from <= rows; from += 500_000) {
                    s.execute("INSERT INTO payload SELECT g, md5(random()::text), md5(random()::text) || md5(g::text)"
                            + " FROM generate_series(" + from + ", " + Math.min(rows, from + 499_999) + ") g");
                }
            }
            double loadSeconds = seconds(loadStart);
            long bytes = scalar(primary, "SELECT pg_database_size('saleor')");
            double gb = bytes / 1e9;
            long lagStart = System.nanoTime();
            lab.awaitArchived();
            double catchUp = seconds(lagStart);

            // Archive lag of one segment: written, switched, pushed by archive_command to the store.
            List<Double> lags = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                lab.awaitArchived();
                lags.add(seconds(t));
            }
            Collections.sort(lags);

            System.err.println("full backup...");
            long backupStart = System.nanoTime();
            Exec.Result full = lab.script("postgres-basebackup-scripts", "base-backup.sh", lab.backupEnv("full"), 3600);
            double backup = seconds(backupStart);
            java.util.regex.Matcher done = java.util.regex.Pattern.compile("done in (\\d+) s").matcher(full.stdout());
            double copy = done.find() ? Double.parseDouble(done.group(1)) : backup;

            // The recovery point: a writer commits continuously, a target is taken, recovery stops there.
            System.err.println("point-in-time recovery...");
            Timestamp target;
            List<Long> before = new ArrayList<>();
            try (Connection w = primary.connect(); Connection c = primary.connect();
                 PreparedStatement insert = w.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
                long id = 1;
                long until = System.currentTimeMillis() + 2000;
                while (System.currentTimeMillis() < until) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                    before.add(id++);
                }
                target = timestamp(c);
                until = System.currentTimeMillis() + 1000;
                while (System.currentTimeMillis() < until) {
                    insert.setLong(1, id++);
                    insert.executeUpdate();
                }
            }
            lab.awaitArchived();
            String targetText = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC)
                    .format(target.toInstant()) + "+00";
            Path pgdata = lab.folder("pitr").resolve("pgdata");
            Map<String, String> v = new HashMap<>(Map.of("PGDATA", pgdata.toString(), "RUN_DIR", lab.folder("rp").toString(),
                    "TARGET_TIME", targetText, "DUMP", "n"));
            long restoreStart = System.nanoTime();
            Exec.Result pitr = lab.script("postgres-basebackup-scripts", "pitr.sh", lab.env("Job", "postgres-pitr", "pitr", "pitr", v), 3600);
            double restore = seconds(restoreStart);
            String reached = pitr.stdout().lines().filter(l -> l.contains("recovered in")).findFirst().orElse("?");
            long missing;
            long gapMillis;
            List<Process> servers = new ArrayList<>();
            Path run = lab.folder("cb");
            int port = HaLab.freePort();
            servers.add(lab.lab.start(true, List.of(HaLab.pgBin() + "/postgres", "-D", pgdata.toString(), "-c", "port=" + port,
                    "-c", "listen_addresses=127.0.0.9", "-c", "unix_socket_directories=" + run), Map.of(), run.resolve("log")));
            try (Connection r = connectWhenUp("jdbc:postgresql://127.0.0.9:" + port + "/saleor")) {
                java.util.Set<Long> ids = new java.util.HashSet<>();
                try (Statement s = r.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                missing = before.stream().filter(id -> !ids.contains(id)).count();
                try (Statement s = r.createStatement(); ResultSet rs = s.executeQuery("SELECT max(at) FROM orders")) {
                    rs.next();
                    gapMillis = target.getTime() - rs.getTimestamp(1).getTime();
                }
            } finally {
                servers.forEach(HaLab::kill);
            }

            System.out.printf("database: %.0f MB (loaded in %.0f s); PostgreSQL 15, pgBackRest %s, s3proxy on loopback over HTTPS%n",
                    bytes / 1e6, loadSeconds, version(lab));
            System.out.printf("archive lag: the load's WAL archived %.1f s after the load ended; one segment written,"
                    + " switched and pushed: median %.2f s, worst %.2f s (archive_timeout bounds an idle segment at 60 s)%n",
                    catchUp, lags.get(lags.size() / 2), lags.get(lags.size() - 1));
            System.out.printf("full base backup: pgBackRest %.0f s = %.0f s per GB; the whole job (stanza check, retention,"
                    + " drill manifest) %.1f s%n", copy, copy / gb, backup);
            System.out.printf("point-in-time restore (backup + WAL replay to the target): %.1f s = %.0f s per GB%n", restore, restore / gb);
            System.out.printf("recovery point: newest restored commit %d ms before the target; %d of %d rows committed before"
                    + " the target missing (%s)%n", gapMillis, missing, before.size(), reached.replaceAll("^\\[pitr\\] ", ""));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long scalar(BackupLab.Member m, String sql) throws SQLException {
        try (Connection c = m.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Timestamp timestamp(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    private static String version(BackupLab lab) {
        return lab.lab.run(false, List.of("pgbackrest", "version"), Map.of(), 10).stdout().trim().replace("pgBackRest ", "");
    }

    private static Connection connectWhenUp(String url) throws SQLException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return java.sql.DriverManager.getConnection(url, "saleor", HaLab.PASSWORD);
            } catch (SQLException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                PgCluster.sleep(200);
            }
        }
    }
}
