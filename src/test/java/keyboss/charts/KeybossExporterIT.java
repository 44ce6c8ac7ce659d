package keyboss.charts;

import keyboss.charts.env.MetricSets;
import keyboss.charts.env.MonitoringImages;
import keyboss.charts.lab.MonitoringTools;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe exporter from images/keyboss-exporter, run for real (its pinned requirements in a
 * venv under target/tools) against HTTP servers on 127.0.0.1 that answer, fail with 503, and
 * hang past the probe timeout, plus a GraphQL endpoint that counts the catalogue.
 */
class KeybossExporterIT {

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private Process exporter;
    @TempDir
    Path tmp;

    @BeforeEach
    void startServers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", x -> answer(x, 200, "shop"));
        server.createContext("/fail", x -> answer(x, 503, "down"));
        server.createContext("/hang", x -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(x, 200, "late");
        });
        server.createContext("/graphql/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean asksCount = x.getRequestMethod().equals("POST") && body.contains("totalCount") && body.contains("default-channel");
            answer(x, 200, asksCount ? "{\"data\":{\"products\":{\"totalCount\":4}}}" : "{\"errors\":[{\"message\":\"bad query\"}]}");
        });
        server.start();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (exporter != null) {
            exporter.destroy();
        }
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static double value(List<MonitoringTools.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples)).value();
    }

    @Test
    void probesAnswerFailAndHangAndCountsTheCatalogue() throws IOException {
        int port = MonitoringTools.freePort();
        exporter = MonitoringTools.startExporter(Map.of(
                "PROBE_TARGETS", "storefront=" + url("/ok") + ",graphql_api=" + url("/fail") + ",dashboard=" + url("/hang"),
                "PROBE_INTERVAL_SECONDS", "1", "PROBE_TIMEOUT_SECONDS", "1",
                "GRAPHQL_URL", url("/graphql/"), "KEYBOSS_ENVIRONMENT", "loopback",
                "LISTEN_ADDRESS", "127.0.0.1", "PORT", String.valueOf(port)), tmp.resolve("exporter.log"));
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        // Two rounds done: every endpoint has run twice (the hanging one is cut off by the timeout).
        List<MonitoringTools.Sample> samples = MonitoringTools.await(60, "two probe rounds (log: " + tmp.resolve("exporter.log") + ")", () -> {
            String text = MonitoringTools.get(metrics);
            if (text == null) {
                return null;
            }
            List<MonitoringTools.Sample> s = MonitoringTools.parseExposition(text);
            double timeouts = s.stream().filter(x -> x.name().equals("keyboss_probe_runs_total")
                    && x.labels().equals(Map.of("endpoint", "dashboard", "result", "timeout"))).mapToDouble(MonitoringTools.Sample::value).sum();
            return timeouts >= 2 ? s : null;
        });
        assertEquals(1, value(samples, "keyboss_probe_success", Map.of("endpoint", "storefront")));
        assertEquals(200, value(samples, "keyboss_probe_status_code", Map.of("endpoint", "storefront")));
        assertTrue(value(samples, "keyboss_probe_runs_total", Map.of("endpoint", "storefront", "result", "success")) >= 2);
        assertEquals(0, value(samples, "keyboss_probe_success", Map.of("endpoint", "graphql_api")));
        assertEquals(503, value(samples, "keyboss_probe_status_code", Map.of("endpoint", "graphql_api")));
        assertTrue(value(samples, "keyboss_probe_runs_total", Map.of("endpoint", "graphql_api", "result", "failure")) >= 2);
        assertEquals(0, value(samples, "keyboss_probe_success", Map.of("endpoint", "dashboard")));
        assertEquals(0, value(samples, "keyboss_probe_status_code", Map.of("endpoint", "dashboard")));
        double hung = value(samples, "keyboss_probe_duration_seconds", Map.of("endpoint", "dashboard"));
        assertTrue(hung >= 0.9 && hung < 3, "a hanging endpoint costs the timeout (1 s), not more: " + hung);
        assertTrue(value(samples, "keyboss_probe_duration_seconds", Map.of("endpoint", "storefront")) < 0.9,
                "probes run side by side: the hanging one does not slow the others");
        assertEquals(4, value(samples, "keyboss_catalogue_products_total", Map.of()));
        assertEquals(1, value(samples, "keyboss_graphql_up", Map.of()));
        assertTrue(value(samples, "keyboss_graphql_query_seconds", Map.of()) > 0);
        String tag = MonitoringImages.KEYBOSS_EXPORTER.substring(MonitoringImages.KEYBOSS_EXPORTER.indexOf(':') + 1);
        assertEquals(1, value(samples, "keyboss_build_info", Map.of("version", tag, "environment", "loopback")),
                "the pinned image tag is the exporter's version");

        // What the exporter exposes is exactly what the provenance catalog says it produces.
        Map<String, Set<String>> exposed = new TreeMap<>();
        samples.forEach(s -> exposed.computeIfAbsent(s.name(), n -> new TreeSet<>()).addAll(s.labels().keySet()));
        Map<String, Set<String>> declared = new TreeMap<>();
        MetricSets.keybossExporter().forEach((name, labels) -> declared.put(name, new TreeSet<>(labels)));
        assertEquals(declared, exposed);
    }

    @Test
    void aBrokenCatalogueQueryOrSettingIsReported() throws IOException {
        int port = MonitoringTools.freePort();
        exporter = MonitoringTools.startExporter(Map.of("PROBE_TARGETS", "storefront=" + url("/ok"),
                "PROBE_INTERVAL_SECONDS", "1", "GRAPHQL_URL", url("/fail"),
                "LISTEN_ADDRESS", "127.0.0.1", "PORT", String.valueOf(port)), tmp.resolve("exporter.log"));
        List<MonitoringTools.Sample> samples = MonitoringTools.await(60, "a probe round", () -> {
            String text = MonitoringTools.get("http://127.0.0.1:" + port + "/metrics");
            return text != null && text.contains("keyboss_probe_success{") ? MonitoringTools.parseExposition(text) : null;
        });
        assertEquals(0, value(samples, "keyboss_graphql_up", Map.of()));

        for (String[] bad : new String[][] {{"PROBE_TARGETS", "storefront"}, {"PROBE_TARGETS", ""},
                {"PROBE_INTERVAL_SECONDS", "soon"}}) {
            Map<String, String> env = new TreeMap<>(Map.of("PROBE_TARGETS", "storefront=" + url("/ok"), "PORT",
                    String.valueOf(MonitoringTools.freePort())));
            env.put(bad[0], bad[1]);
            Process p = MonitoringTools.startExporter(env, tmp.resolve("bad.log"));
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits on a bad setting");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertNotEquals(0, p.exitValue());
            assertContainsAll(Files.readString(tmp.resolve("bad.log")), bad[0]);
        }
    }
}
