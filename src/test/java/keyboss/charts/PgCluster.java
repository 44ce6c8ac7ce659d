package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two PostgreSQL "pods" on 127.0.0.2 and 127.0.0.3, set up by the PostgresHA scripts and
 * started with the server flags of the synthesized StatefulSet, plus the failover watchdog.
 */
final class PgCluster implements AutoCloseable {

    final HaLab lab;
    final Node[] nodes = new Node[2];
    final String peers;
    private final Map<String, Object> bootstrapContainer;
    private final Map<String, Object> serverContainer;

    PgCluster(String name) {
        this.lab = new HaLab(name);
        int port = HaLab.freePort();
        for (int i = 0; i < 2; i++) {
            nodes[i] = new Node(i, "127.0.0." + (2 + i), port);
        }
        peers = nodes[0].hostPort() + " " + nodes[1].hostPort();
        List<Manifest> local = Fixtures.builtIn("local");
        Manifest sts = Fixtures.find(local, "StatefulSet", "postgres");
        bootstrapContainer = Fixtures.container(sts, "initContainers", "bootstrap");
        serverContainer = Fixtures.container(sts, "containers", "postgres");
    }


    /** Bootstraps and starts node 0 (new primary), then node 1 (standby), as the StatefulSet would. */
    PgCluster up() {
        nodes[0].bootstrap();
        nodes[0].start();
        try (Connection c = nodes[0].connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ha_test (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        nodes[1].bootstrap();
        nodes[1].start();
        return this;
    }

    /** The nodes answering as writable primaries now. */
    List<Node> writablePrimaries() {
        List<Node> primaries = new ArrayList<>();
        for (Node n : nodes) {
            if ("primary".equals(n.role())) {
                primaries.add(n);
            }
        }
        return primaries;
    }

    @Override
    public void close() {
        lab.close();
    }

    /** One PostgreSQL "pod". */
    final class Node {
        final int ordinal;
        final String host;
        final int port;
        final Path dir;
        final Path data;
        final Path sock;
        Process server;

        Node(int ordinal, String host, int port) {
            this.ordinal = ordinal;
            this.host = host;
            this.port = port;
            this.dir = lab.root.resolve("postgres-" + ordinal);
            this.data = dir.resolve("pgdata");
            this.sock = dir.resolve("sock");
            try {
                Files.createDirectories(sock);
                HaLab.giveToPostgres(dir);
                HaLab.giveToPostgres(sock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String hostPort() {
            return host + ":" + port;
        }

        /** Runs the init container's bootstrap.sh; where it leaves the data empty, does what the image's entrypoint does. */
        Exec.Result bootstrap() {
            Exec.Result r = lab.script(true, lab.mount("postgres-scripts").resolve("bootstrap.sh"),
                    HaLab.envOf(bootstrapContainer, Map.of(
                            "PGDATA", data.toString(), "SELF", hostPort(), "PEERS", peers,
                            "POSTGRES_PASSWORD", HaLab.PASSWORD, "POSTGRES_REPLICATION_PASSWORD", HaLab.REPLICATION_PASSWORD)),
                    180);
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initLikeTheEntrypoint();
            }
            return r;
        }

        /** initdb, the entrypoint's pg_hba line, the database, then init-primary.sh on a socket-only server. */
        private void initLikeTheEntrypoint() {
            try {
                Path pw = dir.resolve("pwfile");
                Files.writeString(pw, HaLab.PASSWORD);
                HaLab.giveToPostgres(pw);
                must(lab.run(true, List.of("initdb", "-D", data.toString(), "-U", "saleor", "--pwfile=" + pw,
                        "--auth-local=trust", "--auth-host=scram-sha-256"), Map.of(), 120));
                Files.writeString(data.resolve("pg_hba.conf"), "host all all all scram-sha-256\n",
                        java.nio.file.StandardOpenOption.APPEND);
                must(lab.run(true, List.of("pg_ctl", "-D", data.toString(), "-o",
                        "-c listen_addresses='' -c unix_socket_directories='" + sock + "'", "-w", "start"), Map.of(), 60));
                must(lab.run(true, List.of("psql", "-h", sock.toString(), "-U", "saleor", "-d", "postgres", "-c",
                        "CREATE DATABASE saleor"), Map.of(), 30));
                lab.script(true, lab.mount("postgres-scripts").resolve("init-primary.sh"), HaLab.envOf(serverContainer, Map.of(
                        "PGDATA", data.toString(), "PGHOST", sock.toString(),
                        "POSTGRES_PASSWORD", HaLab.PASSWORD, "POSTGRES_REPLICATION_PASSWORD", HaLab.REPLICATION_PASSWORD)), 60);
                must(lab.run(true, List.of("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop"), Map.of(), 60));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void must(Exec.Result r) {
            if (r.exitCode() != 0) {
                throw new AssertionError(r.output());
            }
        }

        /** Starts the server with the manifest's flags, on this node's address. */
        void start() {
            List<String> command = new ArrayList<>(List.of(HaLab.pgBin() + "/postgres", "-D", data.toString(),
                    "-c", "listen_addresses=" + host, "-c", "port=" + port, "-c", "unix_socket_directories=" + sock));
            List<Object> args = Manifest.list(serverContainer.get("args"));
            args.subList(1, args.size()).forEach(a -> command.add(a.toString()));
            server = lab.start(true, command, Map.of(), dir.resolve("server.log"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (lab.run(false, List.of("pg_isready", "-q", "-h", host, "-p", Integer.toString(port)), Map.of(), 10).exitCode() != 0) {
                if (System.currentTimeMillis() > deadline || !server.isAlive()) {
                    throw new AssertionError("postgres " + hostPort() + " did not start: " + log());
                }
                sleep(200);
            }
        }

        String log() {
            try {
                return Files.readString(dir.resolve("server.log"));
            } catch (IOException e) {
                return "";
            }
        }

        void kill() {
            HaLab.kill(server);
        }

        void freeze() {
            HaLab.signal(server, "STOP");
        }

        void thaw() {
            HaLab.signal(server, "CONT");
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/saleor?connectTimeout=2&socketTimeout=3",
                    "saleor", HaLab.PASSWORD);
        }

        /** primary, standby, fenced (read-only primary) or down. */
        String role() {
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select pg_is_in_recovery(), current_setting('default_transaction_read_only')")) {
                r.next();
                return r.getBoolean(1) ? "standby" : "on".equals(r.getString(2)) ? "fenced" : "primary";
            } catch (SQLException e) {
                return "down";
            }
        }

        long count(String sql) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertRole(Node node, String role) {
        assertEquals(role, node.role(), node.hostPort());
    }
}
