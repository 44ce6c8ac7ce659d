package keyboss.charts.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback standing for a pod's network address: it forwards every connection to
 * the server behind it, except that it can black-hole the traffic of chosen source addresses (a
 * partition): their bytes, both ways, are read and dropped, and nothing is closed, as when
 * packets vanish in a network. Used to cut the Sentinels (which bind their own loopback
 * addresses) off a Valkey server while its clients and replicas still reach it.
 */
final class ValkeyRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetAddress targetHost;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Set<String> blackHoled = Set.of();

    ValkeyRelay(int targetPort) {
        this(InetAddress.getLoopbackAddress(), targetPort);
    }

    /** A relay to {@code targetHost:targetPort} (e.g. a Sentinel bound to its own loopback address). */
    ValkeyRelay(InetAddress targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.target = targetPort;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "relay-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Drops, from now on, all traffic of connections from these source addresses (e.g. 127.0.0.2). */
    void blackHole(Set<String> sources) {
        blackHoled = Set.copyOf(sources);
    }

    void heal() {
        blackHoled = Set.of();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(targetHost, target);
                } catch (IOException e) {
                    closeQuietly(client); // the server is down: the client sees the connection closed
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                String source = client.getInetAddress().getHostAddress();
                pump(client, server, source);
                pump(server, client, source);
            } catch (IOException e) {
                // The listener closed.
            }
        }
    }

    private void pump(Socket from, Socket to, String source) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!blackHoled.contains(source)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side closed.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        sockets.forEach(ValkeyRelay::closeQuietly);
    }
}
