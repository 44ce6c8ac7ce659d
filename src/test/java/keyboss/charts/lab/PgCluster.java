package keyboss.charts.lab;

import keyboss.charts.Fixtures;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.data.PostgresHA;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The PostgresHA members of dist/local, run for real: the objects of {@code dist/local/postgres.k8s.yaml}
 * are created in a namespace of a real API server ({@link KubeLab}), whose StatefulSet
 * controller makes the pods; each member is real Patroni (the pinned version, from
 * target/patroni-venv) running real PostgreSQL with the synthesized patroni.yml and the
 * container's environment, holding the lease with a TokenRequest token of the ServiceAccount
 * and Role from dist/. Each member runs in a mount namespace of its own where, as in its pod,
 * the token is at /var/run/secrets/kubernetes.io/serviceaccount and its volume at
 * /var/lib/postgresql/data. Addresses are loopback ones: member i listens on 127.0.X.(2+i) and
 * reports the pod IP 10.244.X.(2+i), which the lab's {@link ServiceProxy} maps back; what it says to the API server and to its peer goes through {@link Relay}s a scenario
 * can cut; clients write through {@link ServiceProxy}, which follows the Service's endpoints.
 */
public final class PgCluster implements AutoCloseable {

    static final String NAME = "postgres";
    public static final Map<String, String> PASSWORDS = Map.of(
            "POSTGRES_PASSWORD", HaLab.PASSWORD,
            "PATRONI_SUPERUSER_PASSWORD", "super-pw",
            "PATRONI_REPLICATION_PASSWORD", HaLab.REPLICATION_PASSWORD,
            "PATRONI_REWIND_PASSWORD", "rewind-pw",
            "PATRONI_RESTAPI_PASSWORD", "api-pw",
            "MONITOR_PASSWORD", "monitor-pw",
            "BACKUP_PASSWORD", "backup-pw");

    /**
     * Where the members' pgBackRest goes when a lab gives no object store: a closed loopback
     * port, with a 1 s I/O timeout so archive_command and the pgbackrest replica method fail
     * within seconds (WAL stays on the member; a new member falls back to a copy of the leader).
     * With pgBackRest's default 60 s a restore against a dead store ran over 200 s. Labs that
     * test the backups pass a real store ({@link BackupLab#store}).
     */
    public static final Map<String, String> NO_REPOSITORY = Map.of(
            "PGBACKREST_REPO1_S3_ENDPOINT", "localhost",
            "PGBACKREST_REPO1_STORAGE_PORT", "1",
            "PGBACKREST_IO_TIMEOUT", "1",
            "PGBACKREST_REPO1_S3_KEY", "no-store",
            "PGBACKREST_REPO1_S3_KEY_SECRET", "no-store",
            "PGBACKREST_REPO1_CIPHER_PASS", "no-store");

    final HaLab lab;
    final KubeLab api;
    /** The pgBackRest repository values every member gets (see {@link #NO_REPOSITORY}). */
    final Map<String, String> repository;
    final String namespace;
    public final Node[] nodes;
    final int pgPort;
    final int restPort;
    final ServiceProxy primary;
    private final Map<String, Object> container;
    private final Path config;
    private final Path serviceAccount;

    /** The dist/local objects of PostgresHA, as Argo CD would apply them. */
    public static List<Manifest> distObjects() {
        return Fixtures.readYaml(Path.of("dist", "local")).stream()
                .filter(m -> NAME.equals(Manifest.map(m.metadata().get("labels")).get(Labels.NAME))).toList();
    }

    public PgCluster(String name, KubeLab api) {
        this(name, api, 2);
    }

    public PgCluster(String name, KubeLab api, int members) {
        this(name, api, members, NO_REPOSITORY);
    }

    public PgCluster(String name, KubeLab api, int members, Map<String, String> repository) {
        this.repository = Map.copyOf(repository);
        if (!HaLab.runningAsRoot()) {
            throw new AssertionError("the Postgres HA lab runs each member in a mount namespace of its own, which needs root");
        }
        this.lab = new HaLab(name);
        this.api = api;
        this.namespace = "lab-" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + Long.toString(System.nanoTime() % 100000, 36);
        List<Manifest> objects = distObjects();
        Manifest sts = objects.stream().filter(m -> m.kind().equals("StatefulSet")).findFirst().orElseThrow();
        this.container = Fixtures.container(sts, "containers", "patroni");
        this.pgPort = HaLab.freePort();
        this.restPort = HaLab.freePort();
        int block = 100 + ThreadLocalRandom.current().nextInt(150);
        try {
            api.create(null, Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)));
            for (String kind : List.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Service", "PodDisruptionBudget", "StatefulSet")) {
                for (Manifest m : objects) {
                    if (m.kind().equals(kind)) {
                        Map<String, Object> o = relocate(m.object());
                        api.create(namespace, o);
                    }
                }
            }
            this.config = configFiles(objects);
            String token = api.token(namespace, NAME);
            this.serviceAccount = Files.createDirectories(lab.root.resolve("serviceaccount"));
            Files.writeString(serviceAccount.resolve("token"), token);
            Files.copy(api.ca, serviceAccount.resolve("ca.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.nodes = new Node[members];
        for (int i = 0; i < members; i++) {
            nodes[i] = new Node(i, "127.0." + block + "." + (2 + i));
        }
        this.primary = new ServiceProxy(api, namespace, NAME, podIp -> podIp.replaceFirst("^10\\.244\\.", "127.0."));
        // A lab stopped from outside (a timeout, ^C) must not leave members running.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Node n : nodes) {
                if (n.patroni != null && n.patroni.isAlive()) {
                    HaLab.kill(n.patroni);
                }
            }
        }));
    }

    /** A copy of {@code object} moved to this lab's namespace (metadata and RoleBinding subjects). */
    private Map<String, Object> relocate(Map<String, Object> object) {
        Map<String, Object> o = deepCopy(object);
        Manifest.map(o.get("metadata")).put("namespace", namespace);
        for (Object s : Manifest.list(o.get("subjects"))) {
            Manifest.map(s).put("namespace", namespace);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> o) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            return json.readValue(json.writeValueAsString(o), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ConfigMap's files as the pod mounts them; patroni.yml names this folder instead of /etc/patroni. */
    private Path configFiles(List<Manifest> objects) throws IOException {
        Manifest cm = objects.stream().filter(m -> m.kind().equals("ConfigMap") && m.name().equals(NAME + "-patroni"))
                .findFirst().orElseThrow();
        Path dir = Files.createDirectories(lab.root.resolve("etc-patroni"));
        for (Map.Entry<String, Object> e : Manifest.map(cm.object().get("data")).entrySet()) {
            String text = (String) e.getValue();
            if (e.getKey().equals("patroni.yml")) {
                // Each member sees these files at /run/etc-patroni (copied there in its namespace, as /tmp is its own).
                text = text.replace(PostgresHA.CONFIG_DIR + "/", "/run/etc-patroni/");
            }
            Path file = dir.resolve(e.getKey());
            Files.writeString(file, text);
            file.toFile().setExecutable(true, false);
            file.toFile().setReadable(true, false);
        }
        return dir.resolve("patroni.yml");
    }

    /** Starts every member at once (the StatefulSet is Parallel) and waits for a primary and a streaming standby. */
    public PgCluster up() {
        for (Node n : nodes) {
            n.start();
        }
        waitFor("a leader and " + (nodes.length - 1) + " streaming standbys", 180,
                () -> leader() != null && leader().role().equals("primary") && streamingStandbys() == nodes.length - 1);
        try (Connection c = connectService(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ha_test (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return this;
    }

    /** Patroni's ttl as dist/ configures it (bootstrap.dcs.ttl of patroni.yml). */
    int ttlSeconds() {
        try {
            Map<String, Object> yml = Manifest.map(new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(config.toFile(), Map.class));
            return ((Number) Manifest.map(Manifest.map(yml.get("bootstrap")).get("dcs")).get("ttl")).intValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection through the primary Service, as the application makes it. */
    public Connection connectService() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primary.port()
                + "/saleor?connectTimeout=2&socketTimeout=5", "saleor", HaLab.PASSWORD);
    }

    /** The member whose name the lease (the annotations of Endpoints postgres) holds, or null. */
    public Node leader() {
        Map<String, Object> ep = api.get("/api/v1/namespaces/" + namespace + "/endpoints/" + NAME);
        if (ep == null) {
            return null;
        }
        Object holder = Manifest.map(Manifest.map(ep.get("metadata")).get("annotations")).get("leader");
        for (Node n : nodes) {
            if (n.name.equals(holder)) {
                return n;
            }
        }
        return null;
    }

    /** Annotations of Patroni's object {@code suffix} ("-sync", "-config"), or an empty map. */
    public Map<String, Object> annotations(String suffix) {
        Map<String, Object> ep = api.get("/api/v1/namespaces/" + namespace + "/endpoints/" + NAME + suffix);
        return ep == null ? Map.of() : Manifest.map(Manifest.map(ep.get("metadata")).get("annotations"));
    }

    /** Standbys the primary streams to now. */
    public int streamingStandbys() {
        for (Node n : nodes) {
            if (n.role().equals("primary")) {
                // As the monitoring role: pg_stat_replication shows the state only to pg_read_all_stats.
                try (Connection m = DriverManager.getConnection("jdbc:postgresql://" + n.hostPort()
                        + "/saleor?connectTimeout=2&socketTimeout=5", "monitor", PASSWORDS.get("MONITOR_PASSWORD"));
                     Statement s = m.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
                    r.next();
                    return r.getInt(1);
                } catch (SQLException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The members answering as writable primaries now. */
    List<Node> writablePrimaries() {
        List<Node> primaries = new ArrayList<>();
        for (Node n : nodes) {
            if ("primary".equals(n.role())) {
                primaries.add(n);
            }
        }
        return primaries;
    }

    /**
     * Polls {@code condition} every 250 ms until it holds; after {@code seconds} fails naming
     * {@code what} did not happen, the cluster's last observed {@link #state()} and the logs.
     */
    public void waitFor(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s; last state: " + state() + "\n" + logs());
            }
            sleep(250);
        }
    }

    /** What the lab sees now, for failure messages: the lease holder, each member's role, streaming standbys, the sync standby. */
    String state() {
        StringBuilder b = new StringBuilder();
        try {
            Node leader = leader();
            b.append("lease ").append(leader == null ? "none" : leader.name);
            for (Node n : nodes) {
                b.append(", ").append(n.name).append(' ').append(n.role());
            }
            b.append(", streaming standbys ").append(streamingStandbys())
                    .append(", sync standby ").append(annotations("-sync").get("sync_standby"));
        } catch (RuntimeException e) {
            b.append(" (API server: ").append(e.getMessage()).append(')');
        }
        return b.toString();
    }

    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Records a fault the scenario injects, with its time, for the failure messages. */
    void event(String what) {
        events.add(System.currentTimeMillis() + " " + what);
    }

    List<String> events() {
        return events;
    }

    /** The tail of every member's Patroni log, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            String log = n.log();
            b.append("--- ").append(n.name).append(" (").append(n.ip).append(")\n")
                    .append(log.substring(Math.max(0, log.length() - 4000))).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        // The members' logs stay in target/ha-logs for whoever reads a failure.
        try {
            Path keep = Files.createDirectories(Path.of("target", "ha-logs", namespace));
            for (Node n : nodes) {
                Files.writeString(keep.resolve(n.name + ".log"), n.log());
            }
            Files.write(keep.resolve("events.log"), events);
        } catch (IOException ignored) {
            // Logs are a convenience.
        }
        primary.close();
        for (Node n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        lab.close();
        if (api.get("/api/v1/namespaces/" + namespace) != null) {
            api.status("DELETE", "/api/v1/namespaces/" + namespace, null);
        }
    }

    /** One member: a pod's Patroni container, its volume and its network paths. */
    public final class Node implements AutoCloseable {
        public final int ordinal;
        public final String name;
        public final String ip;
        /** The pod IP the member reports (Endpoints refuse loopback addresses); the lab's pod network maps it to {@link #ip}. */
        public final String podIp;
        public final Path home;
        public final Path volume;
        public final Path data;
        public final Relay apiPath;
        public final Relay pgPath;
        public final Relay restPath;
        private final Path log;
        public Process patroni;

        public Node(int ordinal, String ip) {
            this.ordinal = ordinal;
            this.name = NAME + "-" + ordinal;
            this.ip = ip;
            this.podIp = ip.replaceFirst("^127\\.0\\.", "10.244.");
            this.home = lab.root.resolve(name);
            this.volume = home.resolve("data");
            this.data = volume.resolve("pgdata");
            this.log = lab.root.resolve(name + ".log");
            try {
                Files.createDirectories(volume);
                HaLab.giveToPostgres(home);
                HaLab.giveToPostgres(volume);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.apiPath = new Relay("127.0.0.1", new InetSocketAddress("127.0.0.1", api.port), api.relayKeystore());
            // Peers reach the member at an address of its own (Patroni refuses 127.0.0.1 as a connect address).
            String relayHost = ip.substring(0, ip.lastIndexOf('.') + 1) + (100 + ordinal);
            this.pgPath = new Relay(relayHost, new InetSocketAddress(ip, pgPort), null);
            this.restPath = new Relay(relayHost, new InetSocketAddress(ip, restPort), null);
        }

        /** The port Patroni's REST API listens on at {@link #ip}. */
        public int restPort() {
            return restPort;
        }

        public String hostPort() {
            return ip + ":" + pgPort;
        }

        /** Starts the container: Patroni, which starts PostgreSQL. */
        public void start() {
            event("start " + name);
            Map<String, String> values = new HashMap<>(PASSWORDS);
            values.putAll(repository);
            // pgBackRest finds PostgreSQL's socket by the lab's port.
            values.put("PGBACKREST_PG1_PORT", Integer.toString(pgPort));
            values.put("PATRONI_NAME", name);
            values.put("PATRONI_KUBERNETES_NAMESPACE", namespace);
            values.put("PATRONI_KUBERNETES_POD_IP", podIp);
            // Peers reach this member's PostgreSQL and REST API through relays a scenario can cut.
            values.put("PATRONI_POSTGRESQL_CONNECT_ADDRESS", pgPath.host() + ":" + pgPath.port());
            values.put("PATRONI_RESTAPI_CONNECT_ADDRESS", restPath.host() + ":" + restPath.port());
            // The pod's ports are this lab's ports (one loopback address per member).
            values.put("PATRONI_POSTGRESQL_LISTEN", ip + ":" + pgPort);
            values.put("PATRONI_RESTAPI_LISTEN", ip + ":" + restPort);
            values.put("PATRONI_KUBERNETES_PORTS", "[{\"name\": \"postgresql\", \"port\": " + pgPort + "}]");
            // In a pod, the kubelet sets these to the API Service; here, this member's path to the API server.
            values.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
            values.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPath.port()));
            values.put("HOME", "/var/lib/postgresql");
            values.put("PATH", patroniBin() + ":" + HaLab.pgBin() + ":/usr/sbin:/usr/bin:/sbin:/bin");
            if (System.getenv("PATRONI_LOG_LEVEL") != null) {
                values.put("PATRONI_LOG_LEVEL", System.getenv("PATRONI_LOG_LEVEL"));
            }
            Map<String, String> env = HaLab.envOf(container, values);
            String sh = String.join("\n",
                    "set -e",
                    "mount -t tmpfs -o mode=755 tmpfs /run",
                    "mkdir -p /run/secrets/kubernetes.io/serviceaccount /run/postgresql",
                    "cp \"$2\"/token \"$2\"/ca.crt /run/secrets/kubernetes.io/serviceaccount/",
                    "chmod 644 /run/secrets/kubernetes.io/serviceaccount/*",
                    "chown postgres:postgres /run/postgresql",
                    "mount --bind \"$1\" /var/lib/postgresql",
                    "mkdir /run/etc-patroni && cp \"$(dirname \"$3\")\"/* /run/etc-patroni/",
                    // A /tmp of its own, as in a pod (Patroni writes its pgpass there).
                    "mount -t tmpfs -o mode=1777 tmpfs /tmp",
                    "exec setpriv --reuid=postgres --regid=postgres --init-groups -- patroni /run/etc-patroni/patroni.yml");
            // A PID namespace as a container has: Patroni is its PID 1, and when it dies the kernel ends
            // everything else in it (the postmaster Patroni started detached), as when a container dies.
            patroni = lab.start(false, List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
                    "sh", "-c", sh, "member",
                    home.toString(), serviceAccount.toString(), config.toString()), env, log);
        }

        /**
         * Runs {@code command} as the postgres user inside this member's mount namespace (its
         * socket folder and volume where the pod has them), with the patroni container's
         * environment and {@code extra}: what a process of the pod (the pgBackRest sidecar) sees.
         */
        public Exec.Result inPod(List<String> command, Map<String, String> extra, int seconds) {
            long pid = patroni.children().findFirst().orElseThrow(() -> new AssertionError(name + " is not running")).pid();
            Map<String, String> values = new HashMap<>(PASSWORDS);
            values.putAll(repository);
            values.put("PGBACKREST_PG1_PORT", Integer.toString(pgPort));
            values.put("PATRONI_NAME", name);
            values.put("PATRONI_KUBERNETES_NAMESPACE", namespace);
            values.put("PATRONI_KUBERNETES_POD_IP", podIp);
            values.put("PATRONI_POSTGRESQL_CONNECT_ADDRESS", pgPath.host() + ":" + pgPath.port());
            values.put("PATRONI_RESTAPI_CONNECT_ADDRESS", restPath.host() + ":" + restPath.port());
            values.putAll(extra);
            List<String> all = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid), "--mount", "--",
                    "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
            all.addAll(command);
            return lab.run(false, all, HaLab.envOf(container, values), seconds);
        }

        /** SIGKILL to Patroni and PostgreSQL at once: a node or container that dies. */
        public void kill() {
            event("kill " + name);
            if (patroni != null) {
                HaLab.kill(patroni);
            }
        }

        /** SIGTERM, as the kubelet sends when a pod is deleted; waits until it has stopped. */
        public void stop() {
            if (patroni != null && patroni.isAlive()) {
                // SIGTERM to Patroni, the namespace's PID 1 (the first process unshare forked).
                patroni.children().forEach(ProcessHandle::destroy);
                try {
                    if (!patroni.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        kill();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        public boolean running() {
            return patroni != null && patroni.isAlive();
        }

        /** The volume is replaced by an empty one (only while the member is down). */
        public void loseVolume() {
            if (running()) {
                throw new IllegalStateException(name + " is running");
            }
            try (var files = Files.walk(volume)) {
                files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(volume)).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Cuts (or heals) this member's path to the API server. */
        public void apiPath(Relay.Mode mode) {
            event("api path of " + name + " " + mode);
            apiPath.set(mode);
        }

        /** Cuts (or heals) the paths by which its peers reach this member's PostgreSQL and REST API. */
        public void peerPaths(Relay.Mode mode) {
            event("peer paths of " + name + " " + mode);
            pgPath.set(mode);
            restPath.set(mode);
        }

        public String log() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "";
            }
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/saleor?connectTimeout=2&socketTimeout=5",
                    "saleor", HaLab.PASSWORD);
        }

        /** primary, standby or down. */
        public String role() {
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select pg_is_in_recovery()")) {
                r.next();
                return r.getBoolean(1) ? "standby" : "primary";
            } catch (SQLException e) {
                return "down";
            }
        }

        public long count(String sql) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        @Override
        public void close() {
            kill();
            apiPath.close();
            pgPath.close();
            restPath.close();
        }
    }

    /** Patroni's folder: target/patroni-venv (bin/test installs images/postgres-ha/requirements.txt there). */
    public static String patroniBin() {
        Path bin = Path.of("target", "patroni-venv", "bin").toAbsolutePath();
        if (!Files.isExecutable(bin.resolve("patroni"))) {
            throw new AssertionError("Patroni is not installed in " + bin + "; install it with: /usr/bin/python3 -m venv target/patroni-venv"
                    + " && target/patroni-venv/bin/pip install -r images/postgres-ha/requirements.txt (bin/test does this)");
        }
        return bin.toString();
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertRole(Node node, String role) {
        assertEquals(role, node.role(), node.name);
    }
}
