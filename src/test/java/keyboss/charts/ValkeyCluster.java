package keyboss.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two data servers and three Sentinels on loopback, each configured by the ValkeySentinel init
 * scripts with the synthesized manifests' settings, redis-server standing in for Valkey 7.
 */
final class ValkeyCluster implements AutoCloseable {

    final HaLab lab;
    final Server[] data = new Server[2];
    final Server[] sentinels = new Server[3];
    final String peers;
    final String sentinelList;
    private final Map<String, Object> dataInit;
    private final Map<String, Object> sentinelInit;
    final String masterName;

    ValkeyCluster(String name) {
        this.lab = new HaLab(name);
        Exec.require("redis-server", "apt-get install -y redis-server redis-sentinel");
        List<Manifest> local = Fixtures.builtIn("local");
        dataInit = Fixtures.container(Fixtures.find(local, "StatefulSet", "redis"), "initContainers", "config");
        sentinelInit = Fixtures.container(Fixtures.find(local, "StatefulSet", "redis-sentinel"), "initContainers", "config");
        masterName = Fixtures.env(dataInit, "MASTER_NAME");
        List<String> dataHosts = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            data[i] = new Server("redis-" + i, HaLab.freePort());
            dataHosts.add(data[i].hostPort());
        }
        List<String> sentinelHosts = new ArrayList<>();
        for (int i = 0; i < sentinels.length; i++) {
            sentinels[i] = new Server("redis-sentinel-" + i, HaLab.freePort());
            sentinelHosts.add(sentinels[i].hostPort());
        }
        peers = String.join(" ", dataHosts);
        sentinelList = String.join(" ", sentinelHosts);
    }


    ValkeyCluster up() {
        for (Server s : data) {
            s.configureAsData();
            s.start(false);
        }
        for (Server s : sentinels) {
            s.configureAsSentinel();
            s.start(true);
        }
        return this;
    }

    /** The master the Sentinels name now, asking each in turn (as a Sentinel-aware client does). */
    String masterFromSentinels() {
        for (Server s : sentinels) {
            try (Resp r = new Resp("127.0.0.1", s.port, 500)) {
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

    @Override
    public void close() {
        lab.close();
    }

    /** One data server or Sentinel "pod". */
    final class Server {
        final String name;
        final int port;
        final Path dir;
        Process process;

        Server(String name, int port) {
            this.name = name;
            this.port = port;
            this.dir = lab.root.resolve(name);
            try {
                Files.createDirectories(dir.resolve("data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String hostPort() {
            return "127.0.0.1:" + port;
        }

        Map<String, String> topology() {
            Map<String, String> values = new HashMap<>();
            values.put("PEERS", peers);
            values.put("SENTINELS", sentinelList);
            values.put("VALKEY_CLI", "redis-cli");
            values.put("SELF", hostPort());
            return values;
        }

        Exec.Result configureAsData() {
            Map<String, String> values = topology();
            values.put("CONF", dir.resolve("valkey.conf").toString());
            values.put("DATA_DIR", dir.resolve("data").toString());
            return lab.script(false, lab.mount("redis-scripts").resolve("init.sh"), HaLab.envOf(dataInit, values), 60);
        }

        Exec.Result configureAsSentinel() {
            Map<String, String> values = topology();
            values.put("CONF", dir.resolve("sentinel.conf").toString());
            return lab.script(false, lab.mount("redis-scripts").resolve("sentinel-init.sh"), HaLab.envOf(sentinelInit, values), 120);
        }

        void start(boolean sentinel) {
            List<String> command = new ArrayList<>(List.of("redis-server", dir.resolve(sentinel ? "sentinel.conf" : "valkey.conf").toString()));
            if (sentinel) {
                command.add("--sentinel");
            }
            process = lab.start(false, command, Map.of(), dir.resolve("server.log"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (true) {
                try (Resp r = new Resp("127.0.0.1", port, 500)) {
                    if ("PONG".equals(r.call("PING"))) {
                        return;
                    }
                } catch (IOException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError(name + " did not start");
                    }
                    PgCluster.sleep(100);
                }
            }
        }

        void kill() {
            HaLab.kill(process);
        }

        /** The replication section of INFO, or an empty string when down. */
        String replication() {
            try (Resp r = new Resp("127.0.0.1", port, 1000)) {
                return String.valueOf(r.call("INFO", "replication"));
            } catch (IOException e) {
                return "";
            }
        }
    }
}
