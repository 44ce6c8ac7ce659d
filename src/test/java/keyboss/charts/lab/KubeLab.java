package keyboss.charts.lab;

import keyboss.charts.model.Manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane for the HA labs: the API-server oracle's etcd,
 * kube-apiserver and kube-controller-manager (built from source and started by
 * {@code bin/kube-oracle}, the one launcher of the project) in a folder of its own under
 * {@code target/}, with RBAC and ServiceAccount tokens (TokenRequest). {@link #close()} stops
 * it and deletes its state; the launcher also stops it if this JVM dies first.
 */
public final class KubeLab implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    final Path dir;
    final String server;
    final int port;
    final Path ca;
    final Path caKey;
    private final String adminToken;
    private final HttpClient http;

    public KubeLab() {
        dir = Path.of("target", "kube-lab-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet()).toAbsolutePath();
        Exec.Result r = Exec.run(List.of("bin/kube-oracle", "start", dir.toString()),
                Map.of("HOME", System.getProperty("user.home"), "KUBE_ORACLE_PARENT", String.valueOf(ProcessHandle.current().pid())),
                600);
        if (r.exitCode() != 0) {
            throw new AssertionError("bin/kube-oracle start failed (bin/test builds it; or run `bin/kube-oracle build`):\n"
                    + r.output());
        }
        try {
            List<String> lines = r.stdout().strip().lines().toList();
            java.util.Properties env = new java.util.Properties();
            try (InputStream in = Files.newInputStream(Path.of(lines.get(lines.size() - 1)))) {
                env.load(in);
            }
            server = env.getProperty("KUBE_ORACLE_SERVER");
            port = URI.create(server).getPort();
            ca = Path.of(env.getProperty("KUBE_ORACLE_CA"));
            caKey = ca.resolveSibling("ca.key");
            adminToken = env.getProperty("KUBE_ORACLE_ADMIN_TOKEN");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(ca)) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new AssertionError(e);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("logs/lab-setup.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed: " + Files.readString(dir.resolve("logs/lab-setup.log")));
        }
    }

    /** The HTTP status of an admin request; -1 when the server does not answer. */
    int status(String method, String path, Object body) {
        try {
            return send(method, path, body, adminToken).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<String> send(String method, String path, Object body, String token) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "PATCH".equals(method) ? "application/merge-patch+json" : "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** An admin request that must succeed; returns the decoded answer. */
    Map<String, Object> call(String method, String path, Object body) {
        try {
            HttpResponse<String> r = send(method, path, body, adminToken);
            if (r.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return Manifest.map(JSON.readValue(r.body(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object at {@code path}, or null when it does not exist. */
    Map<String, Object> get(String path) {
        try {
            HttpResponse<String> r = send("GET", path, null, adminToken);
            return r.statusCode() == 404 ? null : r.statusCode() / 100 == 2 ? Manifest.map(JSON.readValue(r.body(), Map.class)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Creates {@code object} (a manifest) in {@code namespace}. */
    void create(String namespace, Map<String, Object> object) {
        String apiVersion = (String) object.get("apiVersion");
        String kind = (String) object.get("kind");
        String plural = kind.toLowerCase() + (kind.endsWith("s") ? "es" : kind.endsWith("y") ? "" : "s");
        if (kind.endsWith("y")) {
            plural = kind.toLowerCase().substring(0, kind.length() - 1) + "ies";
        }
        String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        String path = "Namespace".equals(kind) ? base + "/namespaces" : base + "/namespaces/" + namespace + "/" + plural;
        call("POST", path, object);
    }

    /** A token of ServiceAccount {@code name}, issued by TokenRequest as the kubelet would for a pod. */
    String token(String namespace, String name) {
        Map<String, Object> r = call("POST", "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name + "/token",
                Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenRequest", "spec", Map.of("expirationSeconds", 7200)));
        return (String) Manifest.map(r.get("status")).get("token");
    }

    /** Makes a TLS server certificate for 127.0.0.1 signed by this server's CA, as a PKCS12 keystore (password "lab"). */
    Path relayKeystore() {
        Path p12 = dir.resolve("pki/relay.p12");
        if (!Files.exists(p12)) {
            try {
                run(List.of("sh", "-c", String.join("\n", "set -e", "cd " + dir.resolve("pki"),
                        "openssl ecparam -name prime256v1 -genkey -noout -out relay.key",
                        "openssl req -new -key relay.key -subj /CN=relay -out relay.csr",
                        "openssl x509 -req -in relay.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out relay.crt",
                        "openssl pkcs12 -export -in relay.crt -inkey relay.key -out relay.p12 -passout pass:lab")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return p12;
    }

    String log(String component) {
        try {
            return Files.readString(dir.resolve("logs").resolve(component + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        Exec.run(List.of("bin/kube-oracle", "stop", dir.toString()), Map.of("HOME", System.getProperty("user.home")), 120);
    }
}
