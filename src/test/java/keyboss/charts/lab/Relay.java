package keyboss.charts.lab;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP relay on loopback standing for one network path (a member to the API server, a member to
 * its peer) that a scenario can cut: {@link Mode#PASS} forwards bytes; {@link Mode#BLACKHOLE}
 * accepts connections and drops every byte both ways (a partition: nothing answers, nothing is
 * refused); {@link Mode#UNAVAILABLE} answers every HTTP request with 503 over TLS, with a
 * certificate of the API server's CA (an API server that is up but failing). Changing the mode
 * ends the connections open before, as a partition's TCP timeouts would.
 */
final class Relay implements AutoCloseable {

    enum Mode { PASS, BLACKHOLE, UNAVAILABLE }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final SSLContext tls;
    private final List<Socket> open = new ArrayList<>();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    /** A relay on {@code host}:(free port) to {@code upstream}; {@code keystore} enables {@link Mode#UNAVAILABLE}. */
    Relay(String host, InetSocketAddress upstream, Path keystore) {
        this.upstream = upstream;
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 200);
            this.tls = keystore == null ? null : tlsContext(keystore);
        } catch (Exception e) {
            throw new AssertionError("relay to " + upstream + ": " + e, e);
        }
        Thread accept = new Thread(this::acceptLoop, "relay-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    private static SSLContext tlsContext(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "lab".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "lab".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    Mode mode() {
        return mode;
    }

    /** Switches the path to {@code next}, ending the connections opened before. */
    void set(Mode next) {
        if (next == Mode.UNAVAILABLE && tls == null) {
            throw new IllegalStateException("this relay has no TLS certificate");
        }
        mode = next;
        synchronized (open) {
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                track(client);
                Mode now = mode;
                Thread t = new Thread(() -> handle(client, now), "relay-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    PgCluster.sleep(10);
                }
            }
        }
    }

    private void track(Socket s) {
        synchronized (open) {
            open.add(s);
        }
    }

    private void handle(Socket client, Mode now) {
        try {
            switch (now) {
                case PASS -> {
                    Socket up = new Socket();
                    up.connect(upstream, 2000);
                    track(up);
                    pump(client, up);
                    pump(up, client);
                }
                case BLACKHOLE -> pump(client, null);
                case UNAVAILABLE -> unavailable(client);
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Copies {@code from} to {@code to} (or drops the bytes when {@code to} is null) on a thread of its own. */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (out != null) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // The connection ended.
            } finally {
                closeQuietly(from);
                if (to != null) {
                    closeQuietly(to);
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Answers each request on this connection with 503, as an overloaded API server does. */
    private void unavailable(Socket client) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"the lab relay answers 503\","
                + "\"reason\":\"ServiceUnavailable\",\"code\":503}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        s.close();
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
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        set(Mode.PASS);
    }
}
