package keyboss.charts.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that keep inserting rows, one committed transaction at a time, and record every
 * acknowledged commit: where, when and through what. One writes through the primary Service, as
 * the application does (its acknowledgements give the RTO); one per member writes to that member
 * directly and without pause, as a client holding an old connection or an old address would (its
 * acknowledgements show whether two members ever accepted writes at the same time).
 */
final class Writer implements AutoCloseable {

    /** One acknowledged commit: row {@code id} on member {@code node} (host:port), {@code viaService} or direct. */
    record Ack(long id, String node, long atMillis, boolean viaService) {
    }

    /** Longest pause inside one member's run of writes; a longer gap ends its term as primary. */
    static final long TERM_GAP_MILLIS = 1000;

    private final PgCluster cluster;
    private final List<Ack> acks = new ArrayList<>();
    private final AtomicLong next = new AtomicLong(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Writer(PgCluster cluster) {
        this.cluster = cluster;
        threads.add(new Thread(() -> loop(null), "writer-service"));
        for (PgCluster.Node n : cluster.nodes) {
            threads.add(new Thread(() -> loop(n), "writer-" + n.name));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    private void loop(PgCluster.Node direct) {
        Connection connection = null;
        String node = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = direct == null ? cluster.connectService() : direct.connect();
                    try (Statement s = connection.createStatement();
                         ResultSet r = s.executeQuery("select host(inet_server_addr()) || ':' || inet_server_port()")) {
                        r.next();
                        node = r.getString(1);
                    }
                }
                long id = next.getAndIncrement();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ha_test (id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                synchronized (acks) {
                    acks.add(new Ack(id, node, System.currentTimeMillis(), direct == null));
                }
                PgCluster.sleep(direct == null ? 5 : 20);
            } catch (SQLException e) {
                // Gone, read-only or refused: reconnect (through the Service, to whatever it points at now).
                try {
                    if (connection != null) {
                        connection.close();
                    }
                } catch (SQLException ignored) {
                    // The connection is gone either way.
                }
                connection = null;
                PgCluster.sleep(100);
            }
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // Closing.
        }
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** The first acknowledgement through the Service after {@code millis} from {@code node}, waiting up to {@code timeoutMillis}. */
    Ack firstAfter(long millis, PgCluster.Node node, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (Ack a : acks()) {
                if (a.viaService() && a.atMillis() > millis && (node == null || a.node().equals(node.hostPort()))) {
                    return a;
                }
            }
            PgCluster.sleep(50);
        }
        return null;
    }

    /** Acknowledged commits after {@code millis}, through the Service. */
    long acknowledgedAfter(long millis) {
        return acks().stream().filter(a -> a.viaService() && a.atMillis() > millis).count();
    }

    /** Acknowledged commits that {@code survivor} does not hold. */
    long missingOn(PgCluster.Node survivor) throws SQLException {
        return missingAcks(survivor).size();
    }

    /** The acknowledged commits that {@code survivor} does not hold. */
    List<Ack> missingAcks(PgCluster.Node survivor) throws SQLException {
        // The acknowledgements first: a commit acknowledged after the table was read is not missing.
        List<Ack> acknowledged = acks();
        Set<Long> present = new HashSet<>();
        try (Connection c = survivor.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM ha_test")) {
            while (r.next()) {
                present.add(r.getLong(1));
            }
        }
        return acknowledged.stream().filter(a -> !present.contains(a.id())).toList();
    }

    /**
     * Acknowledged commits of one member made while another member's term as primary was under
     * way: a term is a member's run of acknowledged commits without a pause longer than
     * {@link #TERM_GAP_MILLIS}. Zero means no two members ever accepted writes at the same time.
     */
    long splitBrainWrites() {
        List<Ack> all = new ArrayList<>(acks());
        all.sort(Comparator.comparingLong(Ack::atMillis));
        Map<String, List<long[]>> terms = new HashMap<>();
        for (Ack a : all) {
            List<long[]> list = terms.computeIfAbsent(a.node(), k -> new ArrayList<>());
            long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last != null && a.atMillis() - last[1] <= TERM_GAP_MILLIS) {
                last[1] = a.atMillis();
            } else {
                list.add(new long[] {a.atMillis(), a.atMillis()});
            }
        }
        long overlapping = 0;
        for (Ack a : all) {
            for (Map.Entry<String, List<long[]>> e : terms.entrySet()) {
                if (!e.getKey().equals(a.node())
                        && e.getValue().stream().anyMatch(t -> t[0] <= a.atMillis() && a.atMillis() <= t[1])) {
                    overlapping++;
                    break;
                }
            }
        }
        return overlapping;
    }

    /** Longest time without any acknowledged commit through the Service, between {@code from} and {@code to}. */
    long longestGap(long from, long to) {
        long previous = from;
        long longest = 0;
        for (Ack a : acks()) {
            if (a.viaService() && a.atMillis() > from && a.atMillis() <= to) {
                longest = Math.max(longest, a.atMillis() - previous);
                previous = a.atMillis();
            }
        }
        return Math.max(longest, to - previous);
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
