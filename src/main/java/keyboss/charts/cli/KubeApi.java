package keyboss.charts.cli;

import keyboss.charts.model.Manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small client of a Kubernetes API server, enough to apply manifests the way Argo CD does
 * (server-side apply, Strict field validation) and read what the controllers did. It keeps the
 * server's Warning headers, since a warning (for example "would violate PodSecurity") is a
 * verdict too. The API-server oracle ({@code bin/kube-oracle}) hands out its settings in an
 * {@code oracle.env} file; {@link #oracle} reads it.
 */
public final class KubeApi {

    /** The identity a request is made as on the oracle: the deti tenant or the cluster admin. */
    public enum Identity { TENANT, ADMIN }

    /** One response: HTTP status, body and the warnings the server sent with it. */
    public record Response(int status, String body, List<String> warnings) {

        public boolean ok() {
            return status / 100 == 2;
        }

        public Map<String, Object> json() {
            try {
                return Manifest.map(JSON.readValue(body, Map.class));
            } catch (JsonProcessingException e) {
                return Map.of();
            }
        }

        /** The reason of a refusal (Forbidden, Invalid, BadRequest...), or "" on success. */
        public String reason() {
            return ok() ? "" : String.valueOf(json().getOrDefault("reason", "HTTP " + status));
        }

        /** The server's message of a refusal, or the raw body. */
        public String message() {
            Object m = json().get("message");
            return m == null ? body.strip() : m.toString();
        }
    }

    /** A REST resource: its plural name and whether it lives in a namespace. */
    public record Resource(String plural, boolean namespaced) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final Map<String, Map<String, Resource>> discovery = new HashMap<>();

    public KubeApi(URI server, Path caCertificate, String token) {
        this.server = server;
        this.token = token;
        this.http = HttpClient.newBuilder().sslContext(trusting(caCertificate)).connectTimeout(TIMEOUT).build();
    }

    /** A client of the oracle described by {@code envFile} ({@code bin/kube-oracle start}'s output). */
    public static KubeApi oracle(Path envFile, Identity as) {
        Properties env = new Properties();
        try (InputStream in = Files.newInputStream(envFile)) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the oracle's settings " + envFile + ": " + e.getMessage(), e);
        }
        return new KubeApi(URI.create(env.getProperty("KUBE_ORACLE_SERVER")), Path.of(env.getProperty("KUBE_ORACLE_CA")),
                env.getProperty(as == Identity.ADMIN ? "KUBE_ORACLE_ADMIN_TOKEN" : "KUBE_ORACLE_TENANT_TOKEN"));
    }

    /** The same server as another bearer token (for example a ServiceAccount's). */
    public KubeApi as(String otherToken, Path caCertificate) {
        return new KubeApi(server, caCertificate, otherToken);
    }

    private static SSLContext trusting(Path caCertificate) {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the API server's CA " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    /** One request; {@code body} may be null. */
    public Response request(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            List<String> warnings = new ArrayList<>();
            for (String w : r.headers().allValues("Warning")) {
                warnings.add(warningText(w));
            }
            return new Response(r.statusCode(), r.body(), List.copyOf(warnings));
        } catch (IOException e) {
            throw new UncheckedIOException("the API server " + server + " did not answer " + method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return request("GET", path, null, null);
    }

    /** The text of a Warning header ({@code 299 - "text"}). */
    static String warningText(String header) {
        String w = header.strip();
        int quote = w.indexOf('"');
        if (w.startsWith("299") && quote >= 0 && w.endsWith("\"")) {
            return w.substring(quote + 1, w.length() - 1).replace("\\\"", "\"");
        }
        return w;
    }

    /** The resource serving {@code kind} in {@code apiVersion}, from the server's discovery. */
    public synchronized Resource resource(String apiVersion, String kind) {
        Map<String, Resource> kinds = discovery.computeIfAbsent(apiVersion, v -> {
            Response r = get(v.contains("/") ? "/apis/" + v : "/api/" + v);
            Map<String, Resource> found = new HashMap<>();
            if (r.ok()) {
                for (Object o : Manifest.list(r.json().get("resources"))) {
                    Map<String, Object> res = Manifest.map(o);
                    String name = (String) res.get("name");
                    if (!name.contains("/")) {
                        found.put((String) res.get("kind"), new Resource(name, Boolean.TRUE.equals(res.get("namespaced"))));
                    }
                }
            }
            return found;
        });
        return kinds.get(kind);
    }

    /** Forgets what discovery found (after CRDs were added). */
    public synchronized void forgetDiscovery() {
        discovery.clear();
    }

    /**
     * The URL path of {@code object}; a namespaced object without a namespace goes to
     * {@code defaultNamespace}. Null when the server does not serve its kind.
     */
    public String path(Map<String, Object> object, String defaultNamespace, boolean withName) {
        Manifest m = new Manifest("", object);
        Resource res = m.apiVersion() == null || m.kind() == null ? null : resource(m.apiVersion(), m.kind());
        if (res == null) {
            return null;
        }
        StringBuilder p = new StringBuilder(m.apiVersion().contains("/") ? "/apis/" : "/api/").append(m.apiVersion());
        if (res.namespaced()) {
            p.append("/namespaces/").append(m.namespace() != null ? m.namespace() : defaultNamespace);
        }
        p.append('/').append(res.plural());
        if (withName) {
            p.append('/').append(m.name());
        }
        return p.toString();
    }

    /**
     * Server-side apply of {@code object} as Argo CD's {@code ServerSideApply=true} does it, with
     * unknown or duplicate fields refused (fieldValidation=Strict); {@code dryRun} checks
     * everything (admission included) without storing.
     */
    public Response apply(Map<String, Object> object, String defaultNamespace, boolean dryRun) {
        Manifest m = new Manifest("", object);
        String path = path(object, defaultNamespace, true);
        if (path == null) {
            return new Response(404, "{\"reason\":\"NotFound\",\"message\":\"the server does not serve kind " + m.kind()
                    + " in " + m.apiVersion() + "\"}", List.of());
        }
        String query = "?fieldManager=keyboss-charts&force=true&fieldValidation=Strict" + (dryRun ? "&dryRun=All" : "");
        try {
            return request("PATCH", path + query, "application/apply-patch+yaml", JSON.writeValueAsString(object));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + m.id() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** The items of a list request, for example {@code /api/v1/namespaces/x/pods}. */
    public List<Map<String, Object>> list(String path) {
        Response r = get(path);
        if (!r.ok()) {
            throw new IllegalStateException("GET " + path + " failed: " + r.status() + " " + r.message());
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object o : Manifest.list(r.json().get("items"))) {
            items.add(Manifest.map(o));
        }
        return items;
    }

    /** A JSON body from map entries, for small requests such as a TokenRequest. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
