package keyboss.charts;

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
 * A real Kubernetes control plane for the HA labs: etcd, kube-apiserver and
 * kube-controller-manager built from source (by the API-server work, cached under
 * {@code ${XDG_CACHE_HOME:-~/.cache}/keyboss-charts/kube-oracle/<k8s>-<etcd>/}), on 127.0.0.1
 * with random ports, with RBAC and ServiceAccount tokens (TokenRequest). The only place the labs
 * start it; {@link #close()} stops it and deletes its state.
 */
final class KubeApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final String server;
    final int port;
    final Path ca;
    final Path caKey;
    private final String adminToken;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http;

    /** The folder of the built binaries ({@code KEYBOSS_KUBE_BIN} overrides it), or an error that says how to build them. */
    static Path binaries() {
        String override = System.getenv("KEYBOSS_KUBE_BIN");
        if (override != null && !override.isEmpty()) {
            return Path.of(override);
        }
        String cache = System.getenv("XDG_CACHE_HOME") != null ? System.getenv("XDG_CACHE_HOME")
                : System.getProperty("user.home") + "/.cache";
        Path root = Path.of(cache, "keyboss-charts", "kube-oracle");
        try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return dirs.filter(d -> Files.exists(d.resolve(".complete")) && Files.isExecutable(d.resolve("kube-apiserver")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new AssertionError("the Kubernetes API server is not built: no " + root
                            + "/<version>/.complete. Build it from source with `bin/kube-oracle build` (bin/test does)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KubeApi() {
        Path bin = binaries();
        try {
            dir = Files.createTempDirectory("keyboss-kube-");
            Path pki = Files.createDirectories(dir.resolve("pki"));
            ca = pki.resolve("ca.crt");
            caKey = pki.resolve("ca.key");
            String sh = String.join("\n",
                    "set -e", "cd " + pki,
                    "openssl ecparam -name prime256v1 -genkey -noout -out ca.key",
                    "openssl req -x509 -new -key ca.key -subj /CN=keyboss-lab-ca -days 2 -out ca.crt",
                    "openssl ecparam -name prime256v1 -genkey -noout -out server.key",
                    "openssl req -new -key server.key -subj /CN=kube-apiserver -out server.csr",
                    "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext",
                    "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt",
                    "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key",
                    "openssl pkey -in sa.key -pubout -out sa.pub");
            run(List.of("sh", "-c", sh));
            adminToken = Long.toHexString(Double.doubleToLongBits(Math.random())) + Long.toHexString(System.nanoTime());
            String kcmToken = Long.toHexString(Double.doubleToLongBits(Math.random())) + "kcm";
            Files.writeString(pki.resolve("tokens.csv"), adminToken + ",lab-admin,admin,\"system:masters\"\n"
                    + kcmToken + ",system:kube-controller-manager,kcm\n");
            int etcdPort = HaLab.freePort();
            int peerPort = HaLab.freePort();
            port = HaLab.freePort();
            server = "https://127.0.0.1:" + port;
            start(dir.resolve("etcd.log"), bin.resolve("etcd").toString(), "--name", "lab", "--data-dir", dir.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-cluster", "lab=http://127.0.0.1:" + peerPort, "--unsafe-no-fsync", "--log-level", "warn");
            start(dir.resolve("kube-apiserver.log"), bin.resolve("kube-apiserver").toString(),
                    "--etcd-servers", "http://127.0.0.1:" + etcdPort, "--bind-address", "127.0.0.1",
                    "--advertise-address", "127.0.0.1", "--secure-port", Integer.toString(port), "--cert-dir", pki.toString(),
                    "--tls-cert-file", pki.resolve("server.crt").toString(), "--tls-private-key-file", pki.resolve("server.key").toString(),
                    "--client-ca-file", ca.toString(), "--token-auth-file", pki.resolve("tokens.csv").toString(),
                    "--authorization-mode", "RBAC", "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file", pki.resolve("sa.pub").toString(),
                    "--service-account-signing-key-file", pki.resolve("sa.key").toString(),
                    "--service-cluster-ip-range", "10.96.0.0/16", "--profiling=false", "--enable-priority-and-fairness=false");
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
            waitUntil("kube-apiserver", () -> status("GET", "/readyz", null) == 200);
            Path kubeconfig = dir.resolve("kcm.kubeconfig");
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: " + server
                    + "\n    certificate-authority: " + ca + "\nusers:\n- name: kcm\n  user:\n    token: " + kcmToken
                    + "\ncontexts:\n- name: lab\n  context: {cluster: lab, user: kcm}\ncurrent-context: lab\n");
            // The controllers the labs rely on: StatefulSet (creates the pods from dist/'s template),
            // EndpointSlice mirroring (what kube-proxy reads of the leader's Endpoints), namespaces.
            start(dir.resolve("kube-controller-manager.log"), bin.resolve("kube-controller-manager").toString(),
                    "--kubeconfig", kubeconfig.toString(), "--authentication-kubeconfig", kubeconfig.toString(),
                    "--authorization-kubeconfig", kubeconfig.toString(), "--bind-address", "127.0.0.1",
                    "--secure-port", Integer.toString(HaLab.freePort()), "--cert-dir", pki.resolve("kcm").toString(),
                    "--use-service-account-credentials", "--service-account-private-key-file", pki.resolve("sa.key").toString(),
                    "--root-ca-file", ca.toString(), "--leader-elect=false", "--profiling=false",
                    "--controllers", "statefulset,endpointslicemirroring,endpointslice,endpoint,namespace,serviceaccount,serviceaccount-token,garbagecollector");
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("setup.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed: " + Files.readString(dir.resolve("setup.log")));
        }
    }

    private void start(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        // A lab stopped from outside (a timeout, ^C) must not leave the control plane running.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    }

    private static void waitUntil(String what, java.util.function.BooleanSupplier ready) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!ready.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " was not ready within 90 s");
            }
            PgCluster.sleep(200);
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
            return Files.readString(dir.resolve(component + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            HaLab.kill(processes.get(i));
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // A leftover temporary folder is harmless.
            }
        }
    }
}
