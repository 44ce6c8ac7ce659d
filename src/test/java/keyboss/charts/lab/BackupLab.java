package keyboss.charts.lab;

import keyboss.charts.Fixtures;
import keyboss.charts.model.Manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
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
 * The backup laboratory: a real S3-compatible server (s3proxy, filesystem backend, HTTPS with a
 * certificate made here) on loopback, and a real PostgreSQL primary and streaming standby, each
 * with its pgBackRest TLS server beside it. PostgreSQL runs with the server parameters of the
 * synthesized local patroni.yml (the cluster-wide ones of bootstrap.dcs, the member's own with
 * archive_command, and restore_command), the pgBackRest variables of the patroni container and
 * the command and variables of the pgbackrest sidecar; the roles are made by the shipped
 * post-init.sh. The backup scripts run exactly as the ConfigMaps carry them, under busybox sh,
 * with the environment of their CronJob or Job; only addresses, folders, ports and secret values
 * are replaced by the lab's. Patroni itself is not run here (PostgresHaIT and BackupRestoreIT
 * run it); the lab's bootstrap superuser is {@code saleor}, so pgBackRest connects as it.
 */
public final class BackupLab implements AutoCloseable {

    static final String ACCESS_KEY = "lab-access-key";
    static final String SECRET_KEY = "lab-secret-key-0123456789";
    static final String CIPHER = "lab-cipher-passphrase-0123456789";
    public static final String BUCKET = "keyboss-backups";
    /** Password of the read-only backup role post-init.sh makes. */
    public static final String BACKUP_PASSWORD = "lab-backup-pw";
    /** The lab's bootstrap superuser (initdb -U), which pgBackRest connects as. */
    static final String SUPERUSER = "saleor";

    public final HaLab lab;
    public final List<Manifest> local = Fixtures.builtIn("local");
    final Path ca;
    final Path tls;
    public final Path s3Data;
    final int s3Port;
    public final Member[] members = new Member[2];
    private Process s3proxy;

    public BackupLab(String name) {
        lab = new HaLab(name);
        s3Data = lab.root.resolve("s3");
        ca = lab.root.resolve("s3-ca.pem");
        tls = lab.root.resolve("pgbackrest-tls.pem");
        s3Port = HaLab.freePort();
        int pgPort = HaLab.freePort();
        for (int i = 0; i < 2; i++) {
            members[i] = new Member(i, "127.0.0." + (2 + i), pgPort, HaLab.freePort());
        }
    }

    /** Starts s3proxy over HTTPS with an empty bucket, and makes the pgBackRest certificate. */
    public BackupLab up() {
        try {
            Files.createDirectories(s3Data.resolve(BUCKET));
            Path keystore = lab.root.resolve("s3.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            must(lab.run(false, List.of(keytool, "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-validity", "30", "-keystore", keystore.toString(),
                    "-storetype", "PKCS12", "-storepass", "lab-pass", "-keypass", "lab-pass"), Map.of(), 60));
            Exec.Result cert = lab.run(false, List.of(keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore",
                    keystore.toString(), "-storepass", "lab-pass"), Map.of(), 60);
            must(cert);
            Files.writeString(ca, cert.stdout());
            ca.toFile().setReadable(true, false);
            Path props = lab.root.resolve("s3proxy.properties");
            Files.writeString(props, String.join("\n",
                    "s3proxy.secure-endpoint=https://127.0.0.1:" + s3Port,
                    "s3proxy.keystore-path=" + keystore,
                    "s3proxy.keystore-password=lab-pass",
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + s3Data) + "\n");
            Path jar = Path.of("target", "tools", "s3proxy.jar").toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new AssertionError(jar + " is missing; `mvn generate-test-resources` copies it from Maven Central");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            s3proxy = lab.start(false, List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                    "--properties", props.toString()), Map.of(), lab.root.resolve("s3proxy.log"));
            waitForPort(s3Port, s3proxy, "s3proxy");

            // One certificate is authority, server and client, as bin/create-secrets makes it.
            Path key = lab.root.resolve("tls.key");
            Path crt = lab.root.resolve("tls.crt");
            must(lab.run(false, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "30", "-subj", "/CN=pgbackrest", "-addext", "subjectAltName=DNS:localhost",
                    "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-keyout", key.toString(), "-out", crt.toString()),
                    Map.of(), 60));
            Files.writeString(tls, Files.readString(crt) + Files.readString(key));
            tls.toFile().setReadable(false, false);
            tls.toFile().setReadable(true, true);
            HaLab.giveToPostgres(tls);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForPort(int port, Process process, String what) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError(what + " did not start listening on " + port);
                }
                PgCluster.sleep(200);
            }
        }
    }

    public static void must(Exec.Result r) {
        if (r.exitCode() != 0) {
            throw new AssertionError(r.output());
        }
    }

    public String peers() {
        return members[0].hostPort() + " " + members[1].hostPort();
    }

    /** The values every backup process gets instead of the manifest's: the lab's store and secrets. */
    public Map<String, String> store(String lockName) {
        Map<String, String> v = new HashMap<>();
        v.put("PGBACKREST_REPO1_S3_ENDPOINT", "localhost");
        v.put("PGBACKREST_REPO1_STORAGE_PORT", Integer.toString(s3Port));
        // The local chart turns verification off for a developer's self-signed MinIO; the lab
        // checks the real path: a certificate verified against its authority.
        v.put("PGBACKREST_REPO1_STORAGE_VERIFY_TLS", "y");
        v.put("PGBACKREST_REPO1_STORAGE_CA_FILE", ca.toString());
        v.put("PGBACKREST_REPO1_S3_KEY", ACCESS_KEY);
        v.put("PGBACKREST_REPO1_S3_KEY_SECRET", SECRET_KEY);
        v.put("PGBACKREST_REPO1_CIPHER_PASS", CIPHER);
        v.put("PGBACKREST_LOCK_PATH", folder("locks/" + lockName).toString());
        v.put("TZ", "UTC");
        return v;
    }

    /** A folder of the lab owned by the postgres user. */
    public Path folder(String relative) {
        try {
            Path dir = lab.root.resolve(relative);
            Files.createDirectories(dir);
            for (Path p = dir; !p.equals(lab.root); p = p.getParent()) {
                HaLab.giveToPostgres(p);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment of container {@code container} of {@code kind/name} in the local chart, with {@code values} applied. */
    public Map<String, String> env(String kind, String name, String container, String lockName, Map<String, String> values) {
        Map<String, String> v = new HashMap<>(store(lockName));
        // A restored copy's superuser is the source's: the lab's bootstrap superuser, where the
        // chart names Patroni's (the drill and recovery connect to it through their own socket).
        v.put("LOCAL_USER", SUPERUSER);
        v.putAll(values);
        return HaLab.envOf(Fixtures.container(Fixtures.find(local, kind, name), "containers", container), v);
    }

    /** The base backup CronJob's environment (type full or diff), aimed at the lab's members. */
    public Map<String, String> backupEnv(String type) {
        Map<String, String> v = new HashMap<>();
        for (Member m : members) {
            String p = "PGBACKREST_PG" + (m.ordinal + 1) + "_";
            v.put(p + "HOST", "localhost");
            v.put(p + "HOST_PORT", Integer.toString(m.tlsPort));
            v.put(p + "HOST_CA_FILE", tls.toString());
            v.put(p + "HOST_CERT_FILE", tls.toString());
            v.put(p + "HOST_KEY_FILE", tls.toString());
            v.put(p + "PATH", m.data.toString());
            v.put(p + "SOCKET_PATH", m.sock.toString());
            v.put(p + "PORT", Integer.toString(m.port));
            v.put(p + "USER", SUPERUSER);
        }
        v.put("PEERS", peers());
        // The job reads as the backup role (PGUSER of the CronJob), which may pause a standby's replay.
        v.put("PGPASSWORD", BACKUP_PASSWORD);
        v.put("WORK_DIR", folder("work-" + type).toString());
        return env("CronJob", "postgres-basebackup-" + type, "backup", "backup-" + type, v);
    }

    /** Runs a script of ConfigMap {@code configMap} as the postgres user; returns its result, whatever the exit code. */
    public Exec.Result run(String configMap, String script, Map<String, String> env, int seconds, String... args) {
        List<String> command = new ArrayList<>(List.of("busybox", "sh", lab.mount(configMap).resolve(script).toString()));
        command.addAll(List.of(args));
        return lab.run(true, command, env, seconds);
    }

    /** {@link #run}, requiring success. */
    public Exec.Result script(String configMap, String script, Map<String, String> env, int seconds, String... args) {
        Exec.Result r = run(configMap, script, env, seconds, args);
        if (r.exitCode() != 0) {
            throw new AssertionError(script + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r;
    }

    /** Bootstraps the primary, copies it to the standby, and starts both with their pgBackRest servers. */
    public BackupLab cluster() {
        members[0].initdb();
        members[0].start();
        postInit();
        members[0].startServer();
        members[1].copyFrom(members[0]);
        members[1].start();
        members[1].startServer();
        return this;
    }

    /**
     * The roles as Patroni's post_bootstrap makes them: the shipped post-init.sh with the
     * StatefulSet's variables. The application role is another than the lab's superuser (the
     * script makes it no superuser); the backup role gets pg_read_all_data and the replay pause.
     */
    private void postInit() {
        Map<String, String> env = new HashMap<>(Map.of("POSTGRES_DB", "saleor", "POSTGRES_USER", "shop_owner",
                "POSTGRES_PASSWORD", "lab-owner-pw", "MONITOR_USER", "monitor", "MONITOR_PASSWORD", "lab-monitor-pw",
                "BACKUP_USER", "backup", "BACKUP_PASSWORD", BACKUP_PASSWORD));
        Exec.Result r = lab.run(true, List.of("busybox", "sh", lab.mount("postgres-patroni").resolve("post-init.sh").toString(),
                "postgresql://" + SUPERUSER + ":" + HaLab.PASSWORD + "@" + members[0].hostPort() + "/postgres"), env, 60);
        must(r);
        // The database stays the lab superuser's, as the tests create and drop in it.
        try (Connection c = members[0].connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE saleor OWNER TO " + SUPERUSER);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The server parameters of the synthesized patroni.yml: the cluster-wide ones, then the member's own. */
    @SuppressWarnings("unchecked")
    Map<String, String> patroniParameters() {
        try {
            String yml = (String) Manifest.map(Fixtures.find(local, "ConfigMap", "postgres-patroni").object().get("data"))
                    .get("patroni.yml");
            Map<String, Object> config = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(yml, Map.class);
            Map<String, Object> dcs = Manifest.map(Manifest.map(config.get("bootstrap")).get("dcs"));
            Map<String, String> p = new java.util.TreeMap<>();
            Manifest.map(Manifest.map(dcs.get("postgresql")).get("parameters")).forEach((k, v) -> p.put(k, v.toString()));
            Map<String, Object> postgresql = Manifest.map(config.get("postgresql"));
            Manifest.map(postgresql.get("parameters")).forEach((k, v) -> p.put(k, v.toString()));
            Manifest.map(postgresql.get("recovery_conf")).forEach((k, v) -> p.put(k, v.toString()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pgBackRest variables of the patroni container (archive_command and restore_command read them). */
    Map<String, String> patroniPgBackRestEnv(Map<String, String> values) {
        Map<String, Object> container = new HashMap<>(Fixtures.container(Fixtures.find(local, "StatefulSet", "postgres"),
                "containers", "patroni"));
        container.put("env", Manifest.list(container.get("env")).stream()
                .filter(e -> ((String) Manifest.map(e).get("name")).startsWith("PGBACKREST_")).toList());
        return HaLab.envOf(container, values);
    }

    /**
     * Writes one WAL record and waits until the primary has archived the segment holding it: a
     * recovery to a position needs the record after it, and an idle server writes none.
     */
    public void awaitArchived() throws SQLException {
        awaitArchived(members[0]);
    }

    /** {@link #awaitArchived()} on {@code primary}. */
    public void awaitArchived(Member primary) throws SQLException {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_logical_emit_message(false, 'backup-lab', 'tick')");
            String segment;
            try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
                r.next();
                segment = r.getString(1);
            }
            s.execute("SELECT pg_switch_wal()");
            long deadline = System.currentTimeMillis() + 120_000;
            while (true) {
                try (ResultSet r = s.executeQuery("SELECT coalesce(last_archived_wal, '') >= '" + segment
                        + "', failed_count, last_failed_wal FROM pg_stat_archiver")) {
                    r.next();
                    if (r.getBoolean(1)) {
                        return;
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError("segment " + segment + " not archived in 120 s; failures: " + r.getLong(2)
                                + " (last " + r.getString(3) + "); server log: " + primary.log());
                    }
                }
                PgCluster.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        lab.close();
    }

    /** One database member: PostgreSQL and its pgBackRest TLS server, as the StatefulSet's two containers. */
    public final class Member {
        public final int ordinal;
        public final String host;
        public final int port;
        public final int tlsPort;
        public final Path dir;
        public final Path data;
        public final Path sock;
        public Process server;
        public Process pgbackrest;

        public Member(int ordinal, String host, int port, int tlsPort) {
            this.ordinal = ordinal;
            this.host = host;
            this.port = port;
            this.tlsPort = tlsPort;
            this.dir = lab.root.resolve("member-" + ordinal);
            this.data = dir.resolve("pgdata");
            this.sock = dir.resolve("sock");
        }

        public String hostPort() {
            return host + ":" + port;
        }

        /** The member's values for the manifest's variables (its folders, ports and secrets). */
        private Map<String, String> values() {
            folder("member-" + ordinal + "/sock");
            return Map.of(
                    "PGBACKREST_PG1_PATH", data.toString(),
                    "PGBACKREST_PG1_SOCKET_PATH", sock.toString(),
                    "PGBACKREST_PG1_PORT", Integer.toString(port),
                    "PGBACKREST_PG1_USER", SUPERUSER,
                    "POSTGRES_PASSWORD", HaLab.PASSWORD,
                    "POSTGRES_REPLICATION_PASSWORD", HaLab.REPLICATION_PASSWORD);
        }

        public void initdb() {
            try {
                Path pw = folder("member-" + ordinal).resolve("pwfile");
                Files.writeString(pw, HaLab.PASSWORD);
                HaLab.giveToPostgres(pw);
                must(lab.run(true, List.of("initdb", "-D", data.toString(), "-U", "saleor", "--pwfile=" + pw,
                        "--auth-local=trust", "--auth-host=scram-sha-256"), Map.of(), 120));
                Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.0/8 scram-sha-256\n"
                        + "host replication all 127.0.0.0/8 scram-sha-256\n", java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A standby: pg_basebackup from {@code primary}, streaming from it. */
        public void copyFrom(Member primary) {
            folder("member-" + ordinal);
            must(lab.run(true, List.of("pg_basebackup", "-h", primary.host, "-p", Integer.toString(primary.port), "-U", "saleor",
                    "-D", data.toString(), "-R", "-X", "stream", "--checkpoint=fast"), Map.of("PGPASSWORD", HaLab.PASSWORD), 120));
        }

        /** The pgBackRest environment of the patroni container, with this member's values. */
        public Map<String, String> serverEnv() {
            Map<String, String> v = new HashMap<>(store("member-" + ordinal));
            v.putAll(values());
            return patroniPgBackRestEnv(v);
        }

        /** The server with patroni.yml's parameters and the patroni container's pgBackRest environment. */
        public void start() {
            List<String> command = new ArrayList<>(List.of(HaLab.pgBin() + "/postgres", "-D", data.toString()));
            Map<String, String> parameters = new java.util.TreeMap<>(patroniParameters());
            parameters.put("listen_addresses", host);
            parameters.put("port", Integer.toString(port));
            parameters.put("unix_socket_directories", sock.toString());
            parameters.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
            server = lab.start(true, command, serverEnv(), dir.resolve("server.log"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (lab.run(false, List.of("pg_isready", "-q", "-h", host, "-p", Integer.toString(port)), Map.of(), 10).exitCode() != 0) {
                if (System.currentTimeMillis() > deadline || !server.isAlive()) {
                    throw new AssertionError("postgres " + hostPort() + " did not start: " + log());
                }
                PgCluster.sleep(200);
            }
            if (ordinal == 0) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/postgres", "saleor",
                        HaLab.PASSWORD); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'saleor'")) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        s.execute("CREATE DATABASE saleor");
                    }
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** The pgbackrest sidecar, with its container's environment, on loopback. */
        public void startServer() {
            Map<String, String> v = new HashMap<>(values());
            v.put("PGBACKREST_TLS_SERVER_ADDRESS", "127.0.0.1");
            v.put("PGBACKREST_TLS_SERVER_PORT", Integer.toString(tlsPort));
            v.put("PGBACKREST_TLS_SERVER_CERT_FILE", tls.toString());
            v.put("PGBACKREST_TLS_SERVER_KEY_FILE", tls.toString());
            v.put("PGBACKREST_TLS_SERVER_CA_FILE", tls.toString());
            Map<String, Object> container = Fixtures.container(Fixtures.find(local, "StatefulSet", "postgres"), "containers", "pgbackrest");
            Map<String, String> all = new HashMap<>(store("sidecar-" + ordinal));
            all.putAll(v);
            List<String> command = new ArrayList<>();
            Manifest.list(container.get("command")).forEach(a -> command.add(a.toString()));
            pgbackrest = lab.start(true, command, HaLab.envOf(container, all), dir.resolve("pgbackrest.log"));
            waitForPort(tlsPort, pgbackrest, "pgbackrest server of member " + ordinal);
        }

        public void stop() {
            if (pgbackrest != null) {
                HaLab.kill(pgbackrest);
            }
            if (server != null) {
                HaLab.kill(server);
            }
        }

        public String log() {
            try {
                return Files.readString(dir.resolve("server.log"));
            } catch (IOException e) {
                return "";
            }
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/saleor?connectTimeout=5", "saleor",
                    HaLab.PASSWORD);
        }
    }
}
