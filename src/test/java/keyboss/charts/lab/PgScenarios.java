package keyboss.charts.lab;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The PostgreSQL fault scenarios, shared by the tests (which assert the targets) and
 * bin/bench-ha (which repeats them and prints the figures). Scenarios run in three chains, each
 * on one cluster with one {@link Writer} that runs from start to end, so every step also proves
 * that nothing acknowledged in an earlier step was lost since.
 */
public final class PgScenarios {

    /**
     * One scenario's outcome. {@code rtoMillis}: from the fault to the first commit the
     * application gets through the primary Service (for a scenario without failover, the longest
     * time without one); {@code lost}: acknowledged commits the primary does not hold at the end;
     * {@code splitBrain}: commits acknowledged by a member while another member's term as primary
     * was under way (both counted since the cluster started).
     */
    public record Result(String scenario, long rtoMillis, long lost, long splitBrain, String note) {
    }

    static final String KILL = "kill the primary";
    static final String REJOIN = "old primary restarts (pg_rewind)";
    static final String TWO_IN_A_ROW = "second failover in a row";
    static final String BOTH_RESTART = "both restart after a failover";
    static final String PARTITION_API = "primary cut from the API server";
    static final String PARTITION_PEERS = "primary cut from standby, not app";
    static final String API_503 = "API answers 503 during a failover";
    static final String API_HANGS = "API hangs during a failover";
    static final String STALE_STANDBY = "standby down, writes, primary dies";
    static final String VOLUME_LOST = "volume lost while the peer is down";

    /** How long a fault lasts in the scenarios that cut a path for a while. */
    static final int OUTAGE_SECONDS = 30;

    private PgScenarios() {
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static PgCluster.Node other(PgCluster c, PgCluster.Node n) {
        return c.nodes[1 - n.ordinal];
    }

    private static Result result(String scenario, PgCluster c, Writer w, long rto, String note) throws SQLException {
        PgCluster.Node leader = c.leader();
        if (leader == null) {
            throw new AssertionError(scenario + ": no leader at the end\n" + c.logs());
        }
        // Counted once the lease holder takes the application's writes again (the Service follows
        // it, it is writable): a member that holds the lease but still replays would lack rows.
        if (w.firstAfter(now(), leader, 30_000) == null) {
            throw new AssertionError(scenario + ": no commit reached the lease holder " + leader.name
                    + " through the Service within 30 s; last state: " + c.state() + "\n" + c.logs());
        }
        List<Writer.Ack> missing = w.missingAcks(leader);
        if (!missing.isEmpty()) {
            System.err.println(scenario + ": acknowledged commits missing on " + leader.name + " (" + leader.hostPort() + "): "
                    + missing.subList(0, Math.min(20, missing.size())) + "\nevents: " + c.events());
        }
        return new Result(scenario, rto, missing.size(), w.splitBrainWrites(), note);
    }

    /** Waits until {@code standby} streams from the primary and is its synchronous standby. */
    static void waitSynchronous(PgCluster c, PgCluster.Node standby) {
        c.waitFor(standby.name + " as synchronous standby", 180, () -> "standby".equals(standby.role())
                && standby.name.equals(c.annotations("-sync").get("sync_standby")) && c.streamingStandbys() == 1);
    }

    /** Waits until the application writes through the Service to {@code node}. */
    static void waitWriting(PgCluster c, Writer w, PgCluster.Node node) {
        if (w.firstAfter(now(), node, 30_000) == null) {
            throw new AssertionError("the application does not write to " + node.name + " within 30 s; last state: " + c.state()
                    + "\n" + c.logs());
        }
    }

    /** Kills the primary; returns the time until the application writes to the standby. */
    static long killPrimary(PgCluster c, Writer w) {
        PgCluster.Node old = c.leader();
        PgCluster.Node next = other(c, old);
        waitSynchronous(c, next);
        waitWriting(c, w, old);
        long t0 = now();
        old.kill();
        Writer.Ack first = w.firstAfter(t0, next, 120_000);
        if (first == null) {
            throw new AssertionError("no write reached " + next.name + " within 120 s of killing " + old.name + "\n" + c.logs());
        }
        return first.atMillis() - t0;
    }

    /** Restarts a stopped member; returns the time until it is the synchronous standby again. */
    static long rejoin(PgCluster c, PgCluster.Node node) {
        int before = node.log().length();
        long t0 = now();
        node.start();
        waitSynchronous(c, node);
        String log = node.log().substring(before);
        if (log.contains("Removing data directory") || log.contains("replica has been created using basebackup")) {
            throw new AssertionError(node.name + " re-joined by deleting its data and copying the primary again:\n" + log);
        }
        return now() - t0;
    }

    /** A member's Patroni metrics ({@code GET /metrics} on its REST API, which needs no password). */
    static String metrics(PgCluster.Node n) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://" + n.ip + ":" + n.restPort() + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(n.name + " /metrics: HTTP " + r.statusCode());
            }
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int timeline(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("patroni_postgres_timeline{")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .mapToInt(v -> (int) Double.parseDouble(v)).findFirst().orElse(-1);
    }

    /** Chain 1 on one cluster: kill, old primary re-joins, second failover, both restart together. */
    public static List<Result> failoverChain(KubeLab api, Consumer<String> progress) throws SQLException {
        return failoverChain(api, PgCluster.NO_REPOSITORY, progress);
    }

    /** The same, with the members' pgBackRest repository {@code repository} (a real store, or none). */
    public static List<Result> failoverChain(KubeLab api, Map<String, String> repository, Consumer<String> progress) throws SQLException {
        List<Result> results = new ArrayList<>();
        try (PgCluster c = new PgCluster("failover", api, 2, repository).up(); Writer w = new Writer(c)) {
            progress.accept(KILL);
            PgCluster.Node first = c.leader();
            String metricsBefore = metrics(first);
            long rto = killPrimary(c, w);
            results.add(result(KILL, c, w, rto, ""));
            // What the alerts read (MetricSets.patroni): the new leader's own /metrics, as Prometheus scrapes it.
            String after = metrics(c.leader());
            String member = "{scope=\"" + PgCluster.NAME + "\",name=\"" + c.leader().name + "\"}";
            for (String series : List.of("patroni_primary" + member + " 1", "patroni_cluster_unlocked" + member + " 0",
                    "patroni_postgres_running" + member + " 1")) {
                if (!after.lines().anyMatch(l -> l.equals(series))) {
                    throw new AssertionError("Patroni's /metrics lacks `" + series + "`:\n" + after);
                }
            }
            if (timeline(after) != timeline(metricsBefore) + 1) {
                throw new AssertionError("the promotion raised the timeline from " + timeline(metricsBefore) + " to " + timeline(after));
            }

            progress.accept(REJOIN);
            int before = first.log().length();
            long rejoin = rejoin(c, first);
            boolean rewound = first.log().substring(before).contains("running pg_rewind");
            results.add(result(REJOIN, c, w, rejoin, (rewound ? "rewound with pg_rewind" : "no rewind needed")
                    + "; time until it is the synchronous standby again"));

            progress.accept(TWO_IN_A_ROW);
            PgCluster.Node second = c.leader();
            rto = killPrimary(c, w);
            rejoin(c, second);
            results.add(result(TWO_IN_A_ROW, c, w, rto, ""));

            progress.accept(BOTH_RESTART);
            waitSynchronous(c, other(c, c.leader()));
            for (PgCluster.Node n : c.nodes) {
                n.kill();
            }
            long t0 = now();
            for (PgCluster.Node n : c.nodes) {
                n.start();
            }
            Writer.Ack ack = w.firstAfter(t0, null, 180_000);
            if (ack == null) {
                throw new AssertionError("no write after both members restarted\n" + c.logs());
            }
            results.add(result(BOTH_RESTART, c, w, ack.atMillis() - t0, "from the restart of both to the first write"));
            waitSynchronous(c, other(c, c.leader()));
        }
        return results;
    }

    /** Chain 2 on one cluster: partitions and API outages. */
    public static List<Result> partitionChain(KubeLab api, Consumer<String> progress) throws SQLException {
        return partitionChain(api, PgCluster.NO_REPOSITORY, progress);
    }

    /** The same, with the members' pgBackRest repository {@code repository} (a real store, or none). */
    public static List<Result> partitionChain(KubeLab api, Map<String, String> repository, Consumer<String> progress) throws SQLException {
        List<Result> results = new ArrayList<>();
        try (PgCluster c = new PgCluster("partition", api, 2, repository).up(); Writer w = new Writer(c)) {
            progress.accept(PARTITION_API);
            PgCluster.Node old = c.leader();
            PgCluster.Node next = other(c, old);
            waitSynchronous(c, next);
            waitWriting(c, w, old);
            long t0 = now();
            old.apiPath(Relay.Mode.BLACKHOLE);
            Writer.Ack first = w.firstAfter(t0, next, 120_000);
            if (first == null) {
                throw new AssertionError("no failover after cutting " + old.name + " from the API server\n" + c.logs());
            }
            long rto = first.atMillis() - t0;
            old.apiPath(Relay.Mode.PASS);
            waitSynchronous(c, old);
            results.add(result(PARTITION_API, c, w, rto, "the cut primary demoted itself; healed, it re-joined"));

            progress.accept(PARTITION_PEERS);
            PgCluster.Node leader = c.leader();
            PgCluster.Node standby = other(c, leader);
            waitWriting(c, w, leader);
            t0 = now();
            for (PgCluster.Node n : c.nodes) {
                n.peerPaths(Relay.Mode.BLACKHOLE);
            }
            long end = t0 + OUTAGE_SECONDS * 1000L;
            while (now() < end) {
                if ("primary".equals(standby.role())) {
                    throw new AssertionError(standby.name + " was promoted while only the replication path was cut\n" + c.logs());
                }
                PgCluster.sleep(500);
            }
            for (PgCluster.Node n : c.nodes) {
                n.peerPaths(Relay.Mode.PASS);
            }
            waitSynchronous(c, standby);
            if (c.leader() != leader) {
                throw new AssertionError("the leader changed although it kept the API server\n" + c.logs());
            }
            results.add(result(PARTITION_PEERS, c, w, w.longestGap(t0, now()), "no failover; longest pause in writes"));

            for (Relay.Mode mode : List.of(Relay.Mode.UNAVAILABLE, Relay.Mode.BLACKHOLE)) {
                String name = mode == Relay.Mode.UNAVAILABLE ? API_503 : API_HANGS;
                progress.accept(name);
                old = c.leader();
                next = other(c, old);
                waitSynchronous(c, next);
                waitWriting(c, w, old);
                t0 = now();
                for (PgCluster.Node n : c.nodes) {
                    n.apiPath(mode);
                }
                old.kill();
                end = t0 + OUTAGE_SECONDS * 1000L;
                while (now() < end) {
                    if ("primary".equals(next.role())) {
                        throw new AssertionError(next.name + " was promoted without the lease (API " + mode + ")\n" + c.logs());
                    }
                    PgCluster.sleep(500);
                }
                for (PgCluster.Node n : c.nodes) {
                    n.apiPath(Relay.Mode.PASS);
                }
                first = w.firstAfter(t0, next, 120_000);
                if (first == null) {
                    throw new AssertionError("no failover after the API came back (" + mode + ")\n" + c.logs());
                }
                rejoin(c, old);
                results.add(result(name, c, w, first.atMillis() - t0,
                        "API unavailable for " + OUTAGE_SECONDS + " s from the kill: no promotion meanwhile"));
            }
        }
        return results;
    }

    /** Chain 3 on one cluster: a stale standby must not be promoted; an empty volume must not initdb. */
    public static List<Result> staleChain(KubeLab api, Consumer<String> progress) throws SQLException {
        return staleChain(api, PgCluster.NO_REPOSITORY, progress);
    }

    /** The same, with the members' pgBackRest repository {@code repository} (a real store, or none). */
    public static List<Result> staleChain(KubeLab api, Map<String, String> repository, Consumer<String> progress) throws SQLException {
        List<Result> results = new ArrayList<>();
        try (PgCluster c = new PgCluster("stale", api, 2, repository).up(); Writer w = new Writer(c)) {
            progress.accept(STALE_STANDBY);
            PgCluster.Node primary = c.leader();
            PgCluster.Node standby = other(c, primary);
            waitSynchronous(c, standby);
            standby.kill();
            long down = now();
            c.waitFor("1000 commits while the standby is down", 180, () -> w.acknowledgedAfter(down) >= 1000);
            primary.kill();
            long t0 = now();
            standby.start();
            long end = t0 + (2L * c.ttlSeconds() + 10) * 1000L;
            while (now() < end) {
                if ("primary".equals(standby.role())) {
                    throw new AssertionError("the stale standby " + standby.name + " was promoted\n" + c.logs());
                }
                PgCluster.sleep(500);
            }
            if (w.firstAfter(t0, null, 0) != null) {
                throw new AssertionError("a write was acknowledged with the primary down\n" + c.logs());
            }
            long restarted = now();
            primary.start();
            Writer.Ack ack = w.firstAfter(restarted, primary, 120_000);
            if (ack == null) {
                throw new AssertionError("the old primary did not take over again\n" + c.logs());
            }
            waitSynchronous(c, standby);
            results.add(result(STALE_STANDBY, c, w, ack.atMillis() - t0, "no promotion of the stale standby; writes resumed "
                    + (ack.atMillis() - restarted) / 1000 + " s after the old primary came back"));

            progress.accept(VOLUME_LOST);
            primary = c.leader();
            standby = other(c, primary);
            waitSynchronous(c, standby);
            waitWriting(c, w, primary);
            standby.kill();
            primary.kill();
            primary.loseVolume();
            primary.start();
            end = now() + (2L * c.ttlSeconds() + 10) * 1000L;
            while (now() < end) {
                if (java.nio.file.Files.exists(primary.data.resolve("PG_VERSION"))) {
                    throw new AssertionError(primary.name + " initialised its empty volume while the cluster exists\n" + c.logs());
                }
                PgCluster.sleep(500);
            }
            t0 = now();
            standby.start();
            ack = w.firstAfter(t0, standby, 180_000);
            if (ack == null) {
                throw new AssertionError("the member with data did not take over\n" + c.logs());
            }
            waitSynchronous(c, primary);
            results.add(result(VOLUME_LOST, c, w, ack.atMillis() - t0,
                    "the empty member waited (no initdb) and then copied the peer; time from the peer's start"));
        }
        return results;
    }
}
