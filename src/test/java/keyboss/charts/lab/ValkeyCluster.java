package keyboss.charts.lab;

import keyboss.charts.Fixtures;
import keyboss.charts.model.Manifest;
import keyboss.charts.data.ValkeySentinel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Valkey data servers and Sentinels on loopback, real valkey-server processes (the version
 * {@code bin/install-ha-tools} installs), each configured by the ValkeySentinel init scripts with
 * the synthesized manifests' settings. Each data server sits behind a {@link ValkeyRelay} that stands
 * for its pod address (what it announces, what the Sentinels and clients use), so the Sentinels,
 * which bind their own loopback addresses (127.0.0.2, ...), can be cut off from it alone.
 * Host names of the manifests become these addresses; nothing else is changed.
 */
public final class ValkeyCluster implements AutoCloseable {

    static final String PASSWORD = "lab-valkey-password";

    final HaLab lab;
    public final Server[] data;
    final Server[] sentinels;
    final String peers;
    final String sentinelList;
    final String masterName;
    final String bin;
    private final List<Manifest> manifests;
    private final Map<String, Object> dataInit;
    private final Map<String, Object> fence;
    private final boolean fenced;
    private final Map<String, Object> sentinelInit;
    private final Path passwordFile;
    private final Map<String, String> dataOverrides;
    /** The scripts ConfigMap as mounted (prepared once: the init scripts of several pods run at once). */
    final Path scripts;

    public ValkeyCluster(String name) {
        this(name, Fixtures.builtIn("local"), Map.of());
    }

    /**
     * A cluster laid out as {@code manifests} say (StatefulSets redis and redis-sentinel), the
     * data pods' init variables overridden by {@code dataOverrides} (to compare settings the
     * construct refuses, such as min-replicas-to-write 0).
     */
    public ValkeyCluster(String name, List<Manifest> manifests, Map<String, String> dataOverrides) {
        this(name, manifests, dataOverrides, true);
    }

    /** As above; without the data pods' fence sidecars when {@code fenced} is false (to compare). */
    public ValkeyCluster(String name, List<Manifest> manifests, Map<String, String> dataOverrides, boolean fenced) {
        this.fenced = fenced;
        this.lab = new HaLab(name);
        this.manifests = manifests;
        this.dataOverrides = Map.copyOf(dataOverrides);
        this.scripts = lab.mount("redis-scripts");
        lab.mount("saleor-api-settings");
        this.bin = valkeyBin();
        Manifest dataSet = Fixtures.find(manifests, "StatefulSet", "redis");
        Manifest sentinelSet = Fixtures.find(manifests, "StatefulSet", "redis-sentinel");
        dataInit = Fixtures.container(dataSet, "initContainers", "config");
        fence = Fixtures.container(dataSet, "containers", "fence");
        sentinelInit = Fixtures.container(sentinelSet, "initContainers", "config");
        masterName = Fixtures.env(dataInit, "MASTER_NAME");
        data = new Server[((Number) dataSet.at("spec.replicas")).intValue()];
        sentinels = new Server[((Number) sentinelSet.at("spec.replicas")).intValue()];
        List<String> dataHosts = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            data[i] = new Server("redis-" + i, false, "127.0.0.1");
            dataHosts.add(data[i].hostPort());
        }
        List<String> sentinelHosts = new ArrayList<>();
        for (int i = 0; i < sentinels.length; i++) {
            sentinels[i] = new Server("redis-sentinel-" + i, true, "127.0.0." + (2 + i));
            sentinelHosts.add(sentinels[i].hostPort());
        }
        peers = String.join(" ", dataHosts);
        sentinelList = String.join(" ", sentinelHosts);
        try {
            passwordFile = lab.root.resolve("password");
            Files.writeString(passwordFile, PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder with valkey-server, valkey-sentinel and valkey-cli that bin/install-ha-tools recorded. */
    static String valkeyBin() {
        Path recorded = Path.of("target/valkey-bin");
        try {
            String dir = Files.isRegularFile(recorded) ? Files.readString(recorded).trim() : "";
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "valkey-server"))) {
                return dir;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("valkey is not installed for the HA lab; run bin/install-ha-tools (bin/test does)");
    }

    /** Configures and starts every data server (in parallel, as the Parallel StatefulSet does), then the Sentinels. */
    public ValkeyCluster up() {
        try {
            parallel(data, s -> s.configureAsData());
            for (Server s : data) {
                s.start();
            }
            awaitReplicasLinked(30_000);
            parallel(sentinels, s -> s.configureAsSentinel());
            for (Server s : sentinels) {
                s.start();
            }
            for (Server s : data) {
                if (fenced) {
                    s.startFence();
                }
            }
            return this;
        } catch (RuntimeException | Error e) {
            close(); // try-with-resources never sees a cluster whose up() failed
            throw e;
        }
    }

    interface ServerAction {
        void run(Server s);
    }

    /** Runs {@code action} on each server at once, as the pods' init containers run. */
    static void parallel(Server[] servers, ServerAction action) {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Server s : servers) {
            Thread t = new Thread(() -> {
                try {
                    action.run(s);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.get(0));
        }
    }

    /** Waits until exactly one data server is master and every other one is its linked replica. */
    Server awaitReplicasLinked(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            Server master = null;
            int linked = 0;
            int masters = 0;
            for (Server s : data) {
                String info = s.replication();
                if (info.contains("role:master")) {
                    master = s;
                    masters++;
                } else if (info.contains("master_link_status:up")) {
                    linked++;
                }
            }
            if (masters == 1 && linked == data.length - 1) {
                return master;
            }
            if (System.currentTimeMillis() > deadline) {
                StringBuilder state = new StringBuilder();
                for (Server s : data) {
                    state.append(s.name).append(": ").append(s.replication().replace("\r\n", " ")).append('\n');
                }
                throw new AssertionError("no single master with all replicas linked after " + millis + " ms:\n" + state);
            }
            PgCluster.sleep(200);
        }
    }

    /** The master the Sentinels name now, asking each in turn (as a Sentinel-aware client does). */
    String masterFromSentinels() {
        for (Server s : sentinels) {
            try (Resp r = s.connect(500)) {
                Object reply = r.call("SENTINEL", "get-master-addr-by-name", masterName);
                if (reply instanceof List<?> address && address.size() == 2) {
                    return address.get(0) + ":" + address.get(1);
                }
            } catch (IOException ignored) {
                // Try the next Sentinel.
            }
        }
        return null;
    }

    Server byHostPort(String hostPort) {
        for (Server s : data) {
            if (s.hostPort().equals(hostPort)) {
                return s;
            }
        }
        return null;
    }

    public Server master() {
        String address = masterFromSentinels();
        return address == null ? null : byHostPort(address);
    }

    /** Source addresses of the Sentinels' connections. */
    Set<String> sentinelAddresses() {
        Set<String> ips = new java.util.HashSet<>();
        for (Server s : sentinels) {
            ips.add(s.ip);
        }
        return ips;
    }

    /**
     * The environment of the saleor-api container as the manifests give it (ConfigMap and the
     * container's own variables, {@code $(VAR)} expanded as Kubernetes does), with the Secret's
     * password and the Sentinels' host names replaced by the lab's addresses.
     */
    Map<String, String> saleorEnvironment() {
        Map<String, Object> api = Fixtures.container(Fixtures.find(manifests, "Deployment", "saleor-api"), "containers", "saleor-api");
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Manifest.map(Fixtures.find(manifests, "ConfigMap", "keyboss-config")
                .object().get("data")).entrySet()) {
            env.put(e.getKey(), e.getValue().toString());
        }
        for (Object o : Manifest.list(api.get("env"))) {
            Map<String, Object> var = Manifest.map(o);
            String name = (String) var.get("name");
            if (var.get("value") != null) {
                env.put(name, expand(var.get("value").toString(), env));
            } else if (ValkeySentinel.PASSWORD_ENV.equals(name)) {
                env.put(name, PASSWORD);
            }
        }
        Map<String, String> mapped = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            for (int i = 0; i < sentinels.length; i++) {
                value = value.replace("redis-sentinel-" + i + ".redis-sentinel:26379", sentinels[i].hostPort());
            }
            mapped.put(e.getKey(), value);
        }
        return mapped;
    }

    private static String expand(String value, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public void close() {
        for (Server s : data) {
            s.relay.close();
            s.toSentinels.forEach(ValkeyRelay::close);
        }
        lab.close();
    }

    /** One data server or Sentinel "pod". */
    public final class Server {
        public final String name;
        public final boolean sentinel;
        public final String ip;
        /** The port the process listens on. */
        public final int port;
        /** A data server's pod address (its relay); a Sentinel's is its own. */
        public final ValkeyRelay relay;
        public final Path dir;
        public Process process;
        /**
         * A data pod's own way to each Sentinel (its fence sidecar connects through these), so a
         * partition cuts both directions.
         */
        public final List<ValkeyRelay> toSentinels = new ArrayList<>();
        public Process fenceProcess;

        public Server(String name, boolean sentinel, String ip) {
            this.name = name;
            this.sentinel = sentinel;
            this.ip = ip;
            this.port = HaLab.freePort();
            this.relay = sentinel ? null : new ValkeyRelay(port);
            this.dir = lab.root.resolve(name);
            try {
                Files.createDirectories(dir.resolve("data"));
                Files.createDirectories(dir.resolve("conf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The address the others use: a data server's relay, a Sentinel's own. */
        public String hostPort() {
            return ip + ":" + (sentinel ? port : relay.port());
        }

        public Map<String, String> topology() {
            Map<String, String> values = new HashMap<>();
            values.put("PEERS", peers);
            values.put("SENTINELS", sentinelList);
            values.put("VALKEY_CLI", bin + "/valkey-cli");
            values.put("SELF", hostPort());
            values.put("AUTH_FILE", passwordFile.toString());
            return values;
        }

        public Path conf() {
            return sentinel ? dir.resolve("conf/sentinel.conf") : dir.resolve("data/valkey.conf");
        }

        public Exec.Result configureAsData() {
            Map<String, String> values = topology();
            values.put("CONF", conf().toString());
            values.put("AUTH_CONF", dir.resolve("conf/auth.conf").toString());
            values.put("DATA_DIR", dir.resolve("data").toString());
            values.putAll(dataOverrides);
            Exec.Result r = lab.script(false, scripts.resolve("init.sh"), HaLab.envOf(dataInit, values), 90);
            // The pod's port is its relay's; the process listens behind it.
            localize("port " + port, "bind 127.0.0.1");
            return r;
        }

        public Exec.Result configureAsSentinel() {
            Map<String, String> values = topology();
            values.put("CONF", conf().toString());
            Exec.Result r = lab.script(false, scripts.resolve("sentinel-init.sh"),
                    HaLab.envOf(sentinelInit, values), 120);
            localize("port " + port, "bind " + ip, "bind-source-addr " + ip);
            return r;
        }

        private void localize(String portLine, String... extra) {
            try {
                String text = Files.readString(conf()).replaceAll("(?m)^port .*$", portLine);
                Files.writeString(conf(), text + String.join("\n", extra) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void start() {
            List<String> command = new ArrayList<>(List.of(bin + "/valkey-server", conf().toString()));
            if (sentinel) {
                command.add("--sentinel");
            }
            process = lab.start(false, command, Map.of(), dir.resolve("server.log"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (true) {
                try (Resp r = connect(500)) {
                    if ("PONG".equals(r.call("PING"))) {
                        return;
                    }
                } catch (IOException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError(name + " did not start: " + log());
                    }
                    PgCluster.sleep(100);
                }
            }
        }

        /**
         * Starts the pod's fence sidecar (fence.sh with the container's environment), which asks
         * the Sentinels through this pod's own relays.
         */
        public void startFence() {
            List<String> routes = new ArrayList<>();
            for (Server t : sentinels) {
                try {
                    ValkeyRelay r = new ValkeyRelay(java.net.InetAddress.getByName(t.ip), t.port);
                    toSentinels.add(r);
                    routes.add("127.0.0.1:" + r.port());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Map<String, String> values = topology();
            values.put("SENTINELS", String.join(" ", routes));
            values.put("LOCAL", "127.0.0.1:" + port);
            values.putAll(dataOverrides);
            fenceProcess = lab.start(false, List.of("busybox", "sh", scripts.resolve("fence.sh").toString()),
                    HaLab.envOf(fence, values), dir.resolve("fence.log"));
        }

        /** Black-holes the traffic between this data pod and every Sentinel, both ways. */
        public void partitionFromSentinels() {
            relay.blackHole(sentinelAddresses());
            toSentinels.forEach(r -> r.blackHole(Set.of("127.0.0.1")));
        }

        public void healPartition() {
            relay.heal();
            toSentinels.forEach(ValkeyRelay::heal);
        }

        public String fenceLog() {
            try {
                return Files.readString(dir.resolve("fence.log"));
            } catch (IOException e) {
                return "";
            }
        }

        /** A connection straight to the process (not through its relay), authenticated. */
        public Resp connect(int timeoutMillis) throws IOException {
            Resp r = new Resp(ip, port, timeoutMillis);
            r.call("AUTH", PASSWORD);
            return r;
        }

        public void kill() {
            HaLab.kill(process);
        }

        public String log() {
            try {
                return Files.readString(dir.resolve("server.log"));
            } catch (IOException e) {
                return "";
            }
        }

        /** The replication section of INFO, or an empty string when down. */
        public String replication() {
            try (Resp r = connect(1000)) {
                return String.valueOf(r.call("INFO", "replication"));
            } catch (IOException e) {
                return "";
            }
        }
    }
}
