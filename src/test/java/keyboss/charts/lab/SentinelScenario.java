package keyboss.charts.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Sentinel fault scenarios, shared by SentinelHaIT and bin/bench-ha. During each, clients
 * write and record every acknowledged write:
 * <ul>
 * <li>a Sentinel-aware writer (asks the Sentinels for the master, keeps its connection until an
 *     error, then asks again, as redis-py and kombu do), through the pods' addresses;</li>
 * <li>one writer per data server, pinned to it (a client that still reaches an old master), to
 *     see whether two servers ever accept writes at the same time;</li>
 * <li>Saleor's Celery {@code .delay()} and Django cache, the real Python clients with the
 *     synthesized {@code keyboss_settings}.</li>
 * </ul>
 * After the fault heals and the cluster settles, every acknowledged key is looked up on the
 * master and every acknowledged task id in the broker queue.
 */
public final class SentinelScenario {

    /** Database the lab's writers use (0 is the cache, 1 and 2 Celery's). */
    static final String LAB_DB = "9";

    /**
     * The fault's own timing, not a wait for an event: how long a killed pod stays down before
     * the kubelet starts it again (its init script then asks whatever Sentinels answer).
     */
    static final long POD_RESTART_MILLIS = 1000;

    /**
     * What the clients saw. {@code lostWindowMillis}: the time between the first and the last
     * acknowledgement of the writes that were lost (0 when none was).
     */
    public record Result(String scenario, long rtoMillis, long acked, long lost, long lostWindowMillis, long splitBrain,
            int delays, int delayFailures, long delayWorstMillis, long delaysLost, int cacheCalls, int cacheErrors) {

        @Override
        public String toString() {
            return String.format("%s: RTO %d ms, %d acknowledged writes, %d lost (acknowledged within %d ms),"
                    + " %d split-brain; .delay(): %d calls, %d failed, %d lost, slowest %d ms; cache: %d calls, %d errors",
                    scenario, rtoMillis, acked, lost, lostWindowMillis, splitBrain, delays, delayFailures, delaysLost,
                    delayWorstMillis, cacheCalls, cacheErrors);
        }
    }

    record Ack(String key, String server, long atMillis) {
    }

    private SentinelScenario() {
    }

    /** Kills the master; it comes back (as its pod would) once a new master takes writes. */
    public static Result killMaster(ValkeyCluster cluster) {
        return killMaster(cluster, -1);
    }

    /**
     * Kills the master; its pod comes back {@code restartAfterMillis} later, or (when negative)
     * {@link #POD_RESTART_MILLIS} after another master took a write.
     */
    public static Result killMaster(ValkeyCluster cluster, long restartAfterMillis) {
        return run(cluster, "kill master", (c, clients) -> {
            ValkeyCluster.Server old = c.master();
            old.kill();
            if (restartAfterMillis < 0) {
                clients.awaitAckNotFrom(old, 30_000);
                PgCluster.sleep(POD_RESTART_MILLIS);
            } else {
                PgCluster.sleep(restartAfterMillis);
            }
            old.configureAsData();
            old.start();
            clients.awaitAckAfter(System.currentTimeMillis(), 30_000);
        });
    }

    /** Black-holes the traffic between the Sentinels and the master for {@code seconds}; clients and replicas still reach it. */
    public static Result partitionMaster(ValkeyCluster cluster, int seconds) {
        return run(cluster, "partition master from Sentinels", (c, clients) -> {
            ValkeyCluster.Server old = c.master();
            old.partitionFromSentinels();
            PgCluster.sleep(seconds * 1000L);
            old.healPartition();
        });
    }

    /** Kills the master and every Sentinel at once; all restart through their init scripts {@link #POD_RESTART_MILLIS} later. */
    public static Result jointRestart(ValkeyCluster cluster) {
        return run(cluster, "master + all Sentinels restart", (c, clients) -> {
            ValkeyCluster.Server old = c.master();
            List<ValkeyCluster.Server> pods = new ArrayList<>(List.of(c.sentinels));
            pods.add(old);
            for (ValkeyCluster.Server s : pods) {
                s.kill();
            }
            PgCluster.sleep(POD_RESTART_MILLIS);
            ValkeyCluster.parallel(pods.toArray(new ValkeyCluster.Server[0]), s -> {
                if (s.sentinel) {
                    s.configureAsSentinel();
                } else {
                    s.configureAsData();
                }
                s.start();
            });
            clients.awaitAckAfter(System.currentTimeMillis(), 30_000);
        });
    }

    /**
     * After a failover (the old master re-joined as replica), kills every data pod and every
     * Sentinel at once; all restart through their init scripts {@link #POD_RESTART_MILLIS} later, with nothing
     * running to ask: each data pod has only the role it last had.
     */
    public static Result fullRestartAfterFailover(ValkeyCluster cluster) {
        ValkeyCluster.Server old = cluster.master();
        old.kill();
        long deadline = System.currentTimeMillis() + 30_000;
        ValkeyCluster.Server named = cluster.master();
        while (named == null || named == old) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no failover within 30 s of killing " + old.name + ": the Sentinels still name "
                        + (named == null ? "no master" : named.name));
            }
            PgCluster.sleep(200);
            named = cluster.master();
        }
        old.configureAsData();
        old.start();
        cluster.awaitReplicasLinked(60_000);
        return run(cluster, "everything restarts after a failover", (c, clients) -> {
            List<ValkeyCluster.Server> pods = new ArrayList<>(List.of(c.sentinels));
            pods.addAll(List.of(c.data));
            for (ValkeyCluster.Server s : pods) {
                s.kill();
            }
            PgCluster.sleep(POD_RESTART_MILLIS);
            ValkeyCluster.parallel(pods.toArray(new ValkeyCluster.Server[0]), s -> {
                if (s.sentinel) {
                    s.configureAsSentinel();
                } else {
                    s.configureAsData();
                }
                s.start();
            });
            clients.awaitAckAfter(System.currentTimeMillis(), 30_000);
        });
    }

    interface Fault {
        void inject(ValkeyCluster cluster, Clients clients) throws Exception;
    }

    private static Result run(ValkeyCluster cluster, String name, Fault fault) {
        try (Clients clients = new Clients(cluster)) {
            // Traffic from every client before the fault, so that losses and the RTO have something
            // to measure: as many calls as SentinelHaIT requires of a scenario, before the fault.
            ValkeyCluster.Server before = cluster.master();
            clients.await("traffic from every client before the fault", 30_000, () -> clients.sentinelAcks.size() >= 100
                    && clients.pinnedAcksFrom(before, 0) >= 10 && Clients.count(clients.delayLog, "ok ") >= 20
                    && Clients.count(clients.cacheLog, "ok ") >= 20);
            long faultAt = System.currentTimeMillis();
            fault.inject(cluster, clients);
            ValkeyCluster.Server master = cluster.awaitReplicasLinked(60_000);
            // Settled: every client gets through to the final master once more before the count.
            long settled = System.currentTimeMillis();
            long delays = Clients.count(clients.delayLog, "ok ");
            long cached = Clients.count(clients.cacheLog, "ok ");
            clients.await("every client writing to " + master.name + " after the cluster settled", 30_000,
                    () -> clients.sentinelAcksFrom(master, settled) > 0 && clients.pinnedAcksFrom(master, settled) > 0
                            && Clients.count(clients.delayLog, "ok ") > delays && Clients.count(clients.cacheLog, "ok ") > cached);
            clients.stop();
            return clients.result(name, faultAt, master);
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }

    /** The writers and the Python clients of one scenario. */
    static final class Clients implements AutoCloseable {
        private final ValkeyCluster cluster;
        private final List<Ack> sentinelAcks = new CopyOnWriteArrayList<>();
        private final List<Ack> pinnedAcks = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Path stopFile;
        private final Path delayLog;
        private final Path cacheLog;
        private final List<Process> python = new ArrayList<>();
        private volatile boolean running = true;

        Clients(ValkeyCluster cluster) throws IOException {
            this.cluster = cluster;
            Path dir = Files.createTempDirectory(cluster.lab.root, "clients");
            stopFile = dir.resolve("stop");
            delayLog = dir.resolve("delay.log");
            cacheLog = dir.resolve("cache.log");
            for (ValkeyCluster.Server s : cluster.data) {
                start("pinned-" + s.name, () -> pinnedLoop(s));
            }
            start("sentinel-writer", this::sentinelLoop);
            python.add(cluster.lab.start(false, List.of(python(), script(), "delay", stopFile.toString(), "0.05"),
                    pythonEnvironment(), delayLog));
            python.add(cluster.lab.start(false, List.of(python(), script(), "cache", stopFile.toString(), "0.1"),
                    pythonEnvironment(), cacheLog));
            awaitAckAfter(System.currentTimeMillis(), 20_000);
            long deadline = System.currentTimeMillis() + 30_000;
            while (count(delayLog, "ok ") == 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("Celery's .delay() never succeeded: " + Files.readString(delayLog));
                }
                PgCluster.sleep(200);
            }
        }

        private void start(String name, Runnable loop) {
            Thread t = new Thread(loop, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        static String python() {
            Path venv = Path.of("target/ha-venv/bin/python").toAbsolutePath();
            if (!Files.isExecutable(venv)) {
                throw new AssertionError("the Python clients are not installed; run bin/install-ha-tools (bin/test does)");
            }
            return venv.toString();
        }

        static String script() {
            return Path.of("src/test/python/ha_client.py").toAbsolutePath().toString();
        }

        Map<String, String> pythonEnvironment() {
            Map<String, String> env = new HashMap<>(cluster.saleorEnvironment());
            env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
            env.put("PYTHONPATH", cluster.lab.mount("saleor-api-settings") + ":" + Path.of("src/test/python").toAbsolutePath());
            return env;
        }

        /** Writes to one server, never asking the Sentinels: a client that still reaches it. */
        private void pinnedLoop(ValkeyCluster.Server server) {
            long n = 0;
            Resp r = null;
            while (running) {
                try {
                    if (r == null) {
                        r = server.connect(500);
                        r.call("SELECT", LAB_DB);
                    }
                    String key = server.name + ":" + n++;
                    if ("OK".equals(r.call("SET", key, "v"))) {
                        pinnedAcks.add(new Ack(key, server.name, System.currentTimeMillis()));
                    }
                } catch (Resp.ServerError e) {
                    // READONLY on a replica, NOREPLICAS on a master without replicas: not acknowledged.
                } catch (IOException e) {
                    close(r);
                    r = null;
                }
                PgCluster.sleep(10);
            }
            close(r);
        }

        /** Writes to the master the Sentinels name, asking again after any error. */
        private void sentinelLoop() {
            long n = 0;
            Resp r = null;
            String at = null;
            while (running) {
                try {
                    if (r == null) {
                        at = cluster.masterFromSentinels();
                        if (at == null) {
                            throw new IOException("no Sentinel answers");
                        }
                        r = new Resp(at.substring(0, at.lastIndexOf(':')), Integer.parseInt(at.substring(at.lastIndexOf(':') + 1)), 1000);
                        r.call("AUTH", ValkeyCluster.PASSWORD);
                        r.call("SELECT", LAB_DB);
                    }
                    String key = "s:" + n++;
                    if ("OK".equals(r.call("SET", key, "v"))) {
                        ValkeyCluster.Server s = cluster.byHostPort(at);
                        sentinelAcks.add(new Ack(key, s == null ? at : s.name, System.currentTimeMillis()));
                    }
                } catch (IOException e) {
                    close(r);
                    r = null;
                    PgCluster.sleep(50);
                }
                PgCluster.sleep(10);
            }
            close(r);
        }

        private static void close(Resp r) {
            if (r != null) {
                try {
                    r.close();
                } catch (IOException ignored) {
                    // Gone already.
                }
            }
        }

        long sentinelAcksFrom(ValkeyCluster.Server server, long after) {
            return sentinelAcks.stream().filter(a -> a.server().equals(server.name) && a.atMillis() > after).count();
        }

        long pinnedAcksFrom(ValkeyCluster.Server server, long after) {
            return pinnedAcks.stream().filter(a -> a.server().equals(server.name) && a.atMillis() > after).count();
        }

        /** What the clients have done so far, for failure messages. */
        String state() {
            Ack last = sentinelAcks.isEmpty() ? null : sentinelAcks.get(sentinelAcks.size() - 1);
            Map<String, Long> pinned = new java.util.TreeMap<>();
            pinnedAcks.forEach(a -> pinned.merge(a.server(), 1L, Long::sum));
            return String.format("Sentinel-aware writer: %d acknowledged%s; pinned writers: %s; .delay(): %d ok, %d failed;"
                    + " cache: %d ok, %d failed", sentinelAcks.size(),
                    last == null ? "" : " (last by " + last.server() + ", " + (System.currentTimeMillis() - last.atMillis()) + " ms ago)",
                    pinned, count(delayLog, "ok "), count(delayLog, "fail "), count(cacheLog, "ok "), count(cacheLog, "fail "));
        }

        /** Polls {@code condition} until it holds; after {@code millis} fails naming {@code what} and the clients' state. */
        void await(String what, long millis, java.util.function.BooleanSupplier condition) {
            long deadline = System.currentTimeMillis() + millis;
            while (!condition.getAsBoolean()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no " + what + " within " + millis + " ms; last state: " + state());
                }
                PgCluster.sleep(50);
            }
        }

        void awaitAckAfter(long since, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (sentinelAcks.isEmpty() || sentinelAcks.get(sentinelAcks.size() - 1).atMillis() <= since) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no write acknowledged within " + millis + " ms; last state: " + state());
                }
                PgCluster.sleep(50);
            }
        }

        void awaitAckNotFrom(ValkeyCluster.Server old, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (sentinelAcks.isEmpty() || sentinelAcks.get(sentinelAcks.size() - 1).server().equals(old.name)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no master other than " + old.name + " acknowledged a write within " + millis
                            + " ms; last state: " + state());
                }
                PgCluster.sleep(50);
            }
        }

        void stop() throws IOException, InterruptedException {
            running = false;
            Files.writeString(stopFile, "");
            for (Thread t : threads) {
                t.join(5000);
            }
            for (Process p : python) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    HaLab.kill(p);
                }
            }
        }

        Result result(String name, long faultAt, ValkeyCluster.Server master) throws IOException {
            // RTO: the longest time the Sentinel-aware client could not write, from a second before the fault.
            long rto = 0;
            long previous = faultAt;
            for (Ack a : sentinelAcks) {
                if (a.atMillis() >= faultAt - 1000) {
                    rto = Math.max(rto, a.atMillis() - previous);
                    previous = a.atMillis();
                }
            }
            List<Ack> all = new ArrayList<>(sentinelAcks);
            all.addAll(pinnedAcks);
            List<Ack> lost = new ArrayList<>();
            try (Resp r = master.connect(5000)) {
                r.call("SELECT", LAB_DB);
                for (Ack a : all) {
                    if (!Long.valueOf(1).equals(r.call("EXISTS", a.key()))) {
                        lost.add(a);
                    }
                }
            }
            long lostWindow = lost.isEmpty() ? 0 : lost.stream().mapToLong(Ack::atMillis).max().getAsLong()
                    - lost.stream().mapToLong(Ack::atMillis).min().getAsLong();
            // Two masters: writes another server acknowledged after the final master took its first
            // write following the fault.
            long finalFirst = all.stream().filter(a -> a.server().equals(master.name) && a.atMillis() > faultAt)
                    .mapToLong(Ack::atMillis).min().orElse(Long.MAX_VALUE);
            long splitBrain = all.stream().filter(a -> !a.server().equals(master.name) && a.atMillis() > finalFirst).count();

            List<String> delays = Files.readAllLines(delayLog);
            int delayCalls = 0;
            int delayFailures = 0;
            Set<String> ids = new HashSet<>();
            for (String line : delays) {
                if (line.startsWith("ok ")) {
                    delayCalls++;
                    ids.add(line.split(" ")[2]);
                } else if (line.startsWith("fail ")) {
                    delayCalls++;
                    delayFailures++;
                }
            }
            long delayWorst = delays.stream().filter(l -> l.startsWith("ok ")).mapToLong(l -> Long.parseLong(l.split(" ")[3]))
                    .max().orElse(0);
            Exec.Result queued = cluster.lab.run(false, List.of(python(), script(), "queued"), pythonEnvironment(), 60);
            if (queued.exitCode() != 0) {
                throw new AssertionError("reading the broker queue failed: " + queued.output());
            }
            Set<String> inQueue = new HashSet<>(List.of(queued.output().trim().split("\\s+")));
            long delaysLost = ids.stream().filter(id -> !inQueue.contains(id)).count();
            List<String> cache = Files.readAllLines(cacheLog);
            int cacheErrors = (int) cache.stream().filter(l -> l.startsWith("fail ")).count();
            int cacheCalls = (int) cache.stream().filter(l -> l.matches("^(ok|fail|miss) .*")).count();
            if (delayFailures > 0 || cacheErrors > 0) {
                System.err.println(name + ": client failures:\n" + String.join("\n", delays.stream()
                        .filter(l -> l.startsWith("fail ")).limit(5).toList()) + "\n" + String.join("\n",
                        cache.stream().filter(l -> l.startsWith("fail ")).limit(5).toList()));
            }
            return new Result(name, rto, all.size(), lost.size(), lostWindow, splitBrain, delayCalls, delayFailures, delayWorst, delaysLost,
                    cacheCalls, cacheErrors);
        }

        static long count(Path log, String prefix) {
            try {
                return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).count() : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                Files.writeString(stopFile, "");
            } catch (IOException ignored) {
                // The lab folder is gone already.
            }
            python.forEach(p -> {
                if (p.isAlive()) {
                    HaLab.kill(p);
                }
            });
        }
    }
}
