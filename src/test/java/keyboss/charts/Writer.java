package keyboss.charts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that keeps inserting rows, one committed transaction at a time, into whichever node
 * accepts writes (as an application restarted onto the new primary would), and records which
 * inserts were acknowledged, where and when.
 */
final class Writer implements AutoCloseable {

    record Ack(long id, String node, long atMillis) {
    }

    private final PgCluster.Node[] nodes;
    private final List<Ack> acks = new ArrayList<>();
    private final AtomicLong next = new AtomicLong(1);
    private final Thread thread;
    private volatile boolean running = true;

    Writer(PgCluster cluster) {
        this.nodes = cluster.nodes;
        this.thread = new Thread(this::loop, "writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Connection connection = null;
        String node = null;
        while (running) {
            try {
                if (connection == null) {
                    for (PgCluster.Node n : nodes) {
                        if ("primary".equals(n.role())) {
                            connection = n.connect();
                            node = n.hostPort();
                            break;
                        }
                    }
                    if (connection == null) {
                        PgCluster.sleep(50);
                        continue;
                    }
                }
                long id = next.getAndIncrement();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ha_test (id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                synchronized (acks) {
                    acks.add(new Ack(id, node, System.currentTimeMillis()));
                }
                PgCluster.sleep(5);
            } catch (SQLException e) {
                // The node is gone or read-only: find the writable one again.
                try {
                    if (connection != null) {
                        connection.close();
                    }
                } catch (SQLException ignored) {
                    // The connection is gone either way.
                }
                connection = null;
                PgCluster.sleep(50);
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

    /** The first acknowledgement after {@code millis} from {@code node}, waiting up to {@code timeoutMillis}. */
    Ack firstAfter(long millis, String node, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (Ack a : acks()) {
                if (a.atMillis() > millis && a.node().equals(node)) {
                    return a;
                }
            }
            PgCluster.sleep(50);
        }
        return null;
    }

    /** Acknowledged inserts that {@code survivor} does not hold. */
    long missingOn(PgCluster.Node survivor) throws SQLException {
        List<Long> acked = acks().stream().map(Ack::id).toList();
        java.util.Set<Long> present = new java.util.HashSet<>();
        try (Connection c = survivor.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM ha_test")) {
            while (r.next()) {
                present.add(r.getLong(1));
            }
        }
        return acked.stream().filter(id -> !present.contains(id)).count();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
