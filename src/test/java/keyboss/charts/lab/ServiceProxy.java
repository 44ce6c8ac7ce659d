package keyboss.charts.lab;

import keyboss.charts.model.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/**
 * What kube-proxy does for one Service, on loopback: every new connection goes to the address
 * the Service's EndpointSlices name now (mirrored by the real controller from the Endpoints the
 * Patroni leader writes); connections already open stay where they are, as with conntrack.
 * No endpoint: the connection is refused (closed at once). {@code podNetwork} maps a pod IP of
 * the endpoints to the loopback address the lab runs that pod on (the API server rejects loopback
 * addresses in endpoints, as pods never have them).
 */
final class ServiceProxy implements AutoCloseable {

    private final ServerSocket server;
    private final KubeLab api;
    private final String path;
    private final java.util.function.UnaryOperator<String> podNetwork;
    private volatile InetSocketAddress target;
    private volatile boolean closed;

    ServiceProxy(KubeLab api, String namespace, String service, java.util.function.UnaryOperator<String> podNetwork) {
        this.api = api;
        this.podNetwork = podNetwork;
        this.path = "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices?labelSelector=kubernetes.io/service-name%3D" + service;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Thread poll = new Thread(this::pollLoop, "service-" + service);
        poll.setDaemon(true);
        poll.start();
        Thread accept = new Thread(this::acceptLoop, "proxy-" + service);
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The address new connections go to now, or null. */
    InetSocketAddress target() {
        return target;
    }

    private void pollLoop() {
        while (!closed) {
            Map<String, Object> list = api.get(path);
            if (list != null) {
                InetSocketAddress found = null;
                for (Object item : Manifest.list(list.get("items"))) {
                    Map<String, Object> slice = Manifest.map(item);
                    Object port = Manifest.list(slice.get("ports")).isEmpty() ? null
                            : Manifest.map(Manifest.list(slice.get("ports")).get(0)).get("port");
                    for (Object e : Manifest.list(slice.get("endpoints"))) {
                        Map<String, Object> endpoint = Manifest.map(e);
                        Object ready = Manifest.map(endpoint.get("conditions")).get("ready");
                        if (port != null && !Boolean.FALSE.equals(ready) && !Manifest.list(endpoint.get("addresses")).isEmpty()) {
                            found = new InetSocketAddress(podNetwork.apply(String.valueOf(Manifest.list(endpoint.get("addresses")).get(0))),
                                    ((Number) port).intValue());
                        }
                    }
                }
                target = found;
            }
            PgCluster.sleep(100);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                InetSocketAddress to = target;
                if (to == null) {
                    client.close();
                    continue;
                }
                Socket up = new Socket();
                try {
                    up.connect(to, 2000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                pump(client, up);
                pump(up, client);
            } catch (IOException e) {
                PgCluster.sleep(10);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // Either side ended.
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // Closed already.
                }
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing.
        }
    }
}
