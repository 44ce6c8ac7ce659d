package keyboss.charts;

import keyboss.charts.env.AlertReceiver;
import keyboss.charts.lab.Exec;
import keyboss.charts.model.Manifest;
import keyboss.charts.env.MonitoringImages;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.lab.MonitoringTools;
import keyboss.charts.model.Rendering;

import static keyboss.charts.Fixtures.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback with real binaries: the probe exporter (images/keyboss-exporter),
 * Prometheus (Debian's, same major version as the pinned image) and Alertmanager (the pinned
 * release, built from the Go module proxy), each started with the configuration extracted from
 * the committed dist/deti: the Prometheus config and rules ConfigMaps, the Alertmanager config,
 * the exporter's environment and the containers' arguments. The parsed configurations are
 * rewritten structurally, not textually: scrape targets to loopback (jobs that need Kubernetes
 * discovery are dropped; targets that do not run here point at a closed port), the receivers'
 * Secret files to a file holding a local webhook's URL.
 *
 * <p>Shortened for the test, nothing else: the exporter probes every 1 s (15 s in the cluster),
 * Prometheus scrapes and evaluates every 1 s (15 s), Alertmanager's group_interval is 5 s (5 m,
 * which only delays the "resolved" message). The rule's {@code for:} and the route's
 * {@code group_wait} are the shipped ones.
 */
class AlertDeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERT = "KeybossEndpointDown";
    private static final String DOWN = "storefront";

    private final List<Process> processes = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Map<String, Object>> delivered = new CopyOnWriteArrayList<>();
    private volatile boolean storefrontDown;
    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroy);
        servers.forEach(s -> s.stop(0));
    }

    private static Map<String, Object> yaml(String text) {
        try {
            return Manifest.map(new YAMLMapper().readValue(text, Object.class));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String data(List<Manifest> dist, String configMap, String key) {
        return (String) Manifest.map(find(dist, "ConfigMap", configMap).object().get("data")).get(key);
    }

    private static Map<String, Object> container(List<Manifest> dist, String name) {
        return Fixtures.container(find(dist, "Deployment", name), "containers", name);
    }

    private static String env(Map<String, Object> container, String name) {
        for (Object e : (List<?>) container.get("env")) {
            if (name.equals(Manifest.map(e).get("name"))) {
                return String.valueOf(Manifest.map(e).get("value"));
            }
        }
        throw new AssertionError("no env " + name + " in " + container.get("name"));
    }

    /** Container args with {@code --flag=} values replaced, the rest kept as shipped. */
    private static List<String> args(Map<String, Object> container, Map<String, String> replace) {
        List<String> out = new ArrayList<>();
        for (Object a : (List<?>) container.get("args")) {
            String arg = String.valueOf(a);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            out.add(replace.containsKey(flag) ? flag + "=" + replace.get(flag) : arg);
        }
        replace.forEach((flag, value) -> {
            if (out.stream().noneMatch(a -> a.startsWith(flag + "="))) {
                out.add(flag + "=" + value);
            }
        });
        return out;
    }

    private Process start(List<String> command, String name) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private HttpServer server(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        s.setExecutor(Executors.newCachedThreadPool());
        servers.add(s);
        return s;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    /**
     * prometheus.yml from dist with its targets on loopback: {@code addresses} maps a shipped
     * target to where it runs here; every other one goes to {@code closed}. The jobs keep their
     * relabelling (so "service", "namespace" and "endpoint" come out as in the cluster); one
     * rule per address is appended that moves {@code __address__} last.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> loopbackPrometheus(Map<String, Object> config, Path rules, String alertmanager,
            Map<String, String> addresses, String closed, List<String> dropped) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put("global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s"));
        c.put("rule_files", List.of(rules.toString()));
        List<Object> managers = new ArrayList<>();
        for (Object am : (List<?>) Manifest.map(c.get("alerting")).get("alertmanagers")) {
            Map<String, Object> m = new LinkedHashMap<>(Manifest.map(am));
            m.put("static_configs", List.of(Map.of("targets", List.of(alertmanager))));
            managers.add(m);
        }
        c.put("alerting", Map.of("alertmanagers", managers));
        List<Object> jobs = new ArrayList<>();
        for (Object j : (List<?>) c.get("scrape_configs")) {
            Map<String, Object> job = new LinkedHashMap<>(Manifest.map(j));
            if (job.containsKey("kubernetes_sd_configs")) {
                dropped.add(String.valueOf(job.get("job_name")));
                continue;
            }
            Set<String> shipped = new LinkedHashSet<>();
            for (Object sc : (List<?>) job.get("static_configs")) {
                ((List<?>) Manifest.map(sc).get("targets")).forEach(t -> shipped.add(String.valueOf(t)));
            }
            List<Object> relabel = new ArrayList<>((List<Object>) job.getOrDefault("relabel_configs", List.of()));
            for (Object r : List.copyOf(relabel)) {
                Map<String, Object> rule = Manifest.map(r);
                if ("__address__".equals(rule.get("target_label")) && !rule.containsKey("source_labels")) {
                    shipped.add(String.valueOf(rule.get("replacement")));
                }
            }
            for (String address : shipped) {
                relabel.add(Map.of("source_labels", List.of("__address__"), "regex", Pattern.quote(address),
                        "target_label", "__address__", "replacement", addresses.getOrDefault(address, closed)));
            }
            job.put("relabel_configs", relabel);
            jobs.add(job);
        }
        c.put("scrape_configs", jobs);
        return c;
    }

    /** alertmanager.yml from dist with every Secret file its receivers read moved under {@code secrets}. */
    private static Object loopbackAlertmanager(Object node, Path secrets) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (key.endsWith("_file") && String.valueOf(v).startsWith(AlertReceiver.SECRETS_DIR + "/")) {
                    out.put(key, secrets.resolve(String.valueOf(v).substring(AlertReceiver.SECRETS_DIR.length() + 1)).toString());
                } else if (key.equals("group_interval")) {
                    out.put(key, "5s");
                } else {
                    out.put(key, loopbackAlertmanager(v, secrets));
                }
            });
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> loopbackAlertmanager(v, secrets)).toList();
        }
        return node;
    }

    private static Duration duration(String text) {
        return Duration.parse("PT" + text.toUpperCase());
    }

    /** The first delivered alert named {@value #ALERT} for the storefront with {@code status}, and when it came. */
    private Map<String, Object> deliveredAlert(String status) {
        for (Map<String, Object> message : delivered) {
            for (Object a : (List<?>) message.get("alerts")) {
                Map<String, Object> alert = Manifest.map(a);
                Map<String, Object> labels = Manifest.map(alert.get("labels"));
                if (ALERT.equals(labels.get("alertname")) && DOWN.equals(labels.get("exported_endpoint"))
                        && status.equals(alert.get("status"))) {
                    return message;
                }
            }
        }
        return null;
    }

    private static Double query(String prometheus, String promql) {
        String body = MonitoringTools.get(prometheus + "api/v1/query?query="
                + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (body == null) {
            return null;
        }
        try {
            List<?> result = (List<?>) Manifest.map(Manifest.map(JSON.readValue(body, Object.class)).get("data")).get("result");
            return result.isEmpty() ? null : Double.valueOf(String.valueOf(((List<?>) Manifest.map(result.get(0)).get("value")).get(1)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEndpointGoingDownIsDeliveredToTheWebhookAndResolves() throws Exception {
        List<Manifest> dist = Fixtures.readYaml(Fixtures.DIST.resolve("deti"));
        Path rules = tmp.resolve("keyboss.rules.yml");
        Files.writeString(rules, data(dist, "prometheus-rules", "keyboss.rules.yml"));
        Map<String, Object> rule = null;
        for (Object r : (List<?>) Manifest.map(((List<?>) yaml(Files.readString(rules)).get("groups")).get(0)).get("rules")) {
            if (ALERT.equals(Manifest.map(r).get("alert"))) {
                rule = Manifest.map(r);
            }
        }
        assertTrue(rule != null, ALERT + " is shipped");
        Map<String, Object> amConfig = yaml(data(dist, "alertmanager-config", "alertmanager.yml"));
        Map<String, Object> criticalRoute = Manifest.map(((List<?>) Manifest.map(amConfig.get("route")).get("routes")).get(0));
        assertEquals(List.of("severity=\"critical\""), criticalRoute.get("matchers"));
        Duration bound = duration(String.valueOf(rule.get("for"))).plus(duration(String.valueOf(criticalRoute.get("group_wait"))))
                .plusSeconds(1 + 1 + 1) // evaluation, scrape and probe intervals here
                .plusSeconds(20);       // start-up of a rule group, notification and test polling on 2 shared cores

        // The webhook a person's chat bridge would be, and the endpoints the exporter probes.
        HttpServer sink = server(0);
        sink.createContext("/alerts", x -> {
            delivered.add(Manifest.map(JSON.readValue(x.getRequestBody(), Object.class)));
            answer(x, 200, "ok");
        });
        sink.start();
        HttpServer shop = server(0);
        shop.createContext("/", x -> answer(x, storefrontDown && x.getRequestURI().getPath().equals("/" + DOWN) ? 503 : 200, "ok"));
        shop.createContext("/graphql/", x -> answer(x, 200, "{\"data\":{\"products\":{\"totalCount\":4}}}"));
        shop.start();
        String shopUrl = "http://127.0.0.1:" + shop.getAddress().getPort();

        // The exporter with the Deployment's environment; its targets keep their names and move to loopback.
        Map<String, Object> exporterContainer = container(dist, "keyboss-exporter");
        List<String> targets = new ArrayList<>();
        for (String t : env(exporterContainer, "PROBE_TARGETS").split(",")) {
            String name = t.substring(0, t.indexOf('='));
            targets.add(name + "=" + shopUrl + "/" + name);
        }
        assertEquals(List.of("storefront", "graphql_api", "dashboard", "grafana", "alertmanager"),
                targets.stream().map(t -> t.substring(0, t.indexOf('='))).toList(), "the seed's five endpoints");
        int exporterPort = MonitoringTools.freePort();
        processes.add(MonitoringTools.startExporter(Map.of("PROBE_TARGETS", String.join(",", targets),
                "PROBE_INTERVAL_SECONDS", "1", "PROBE_TIMEOUT_SECONDS", env(exporterContainer, "PROBE_TIMEOUT_SECONDS"),
                "GRAPHQL_URL", shopUrl + "/graphql/", "KEYBOSS_ENVIRONMENT", env(exporterContainer, "KEYBOSS_ENVIRONMENT"),
                "LISTEN_ADDRESS", "127.0.0.1", "PORT", String.valueOf(exporterPort)), tmp.resolve("exporter.log")));

        // Alertmanager: the pinned release, the shipped config and args.
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Files.writeString(secrets.resolve(MonitoringSettings.ALERT_WEBHOOK_URL), "http://127.0.0.1:" + sink.getAddress().getPort() + "/alerts");
        Path amFile = tmp.resolve("alertmanager.yml");
        Files.writeString(amFile, Rendering.toYaml(loopbackAlertmanager(amConfig, secrets)));
        int amPort = MonitoringTools.freePort();
        List<String> am = new ArrayList<>(List.of(MonitoringTools.alertmanager("alertmanager").toString()));
        am.addAll(args(container(dist, "alertmanager"), Map.of("--config.file", amFile.toString(),
                "--storage.path", tmp.resolve("am-data").toString(),
                "--web.external-url", "http://127.0.0.1:" + amPort + "/alertmanager/",
                "--web.listen-address", "127.0.0.1:" + amPort, "--cluster.listen-address", "")));
        start(am, "alertmanager");

        // Prometheus: Debian's, of the pinned image's major version, the shipped config, rules and args.
        String prometheusBin = Exec.require("prometheus", "apt-get install -y prometheus");
        String version = Exec.run(List.of(prometheusBin, "--version"), Map.of(), 30).output();
        String pinned = MonitoringImages.defaults().prometheus().image();
        String major = pinned.substring(pinned.lastIndexOf(":v") + 2, pinned.indexOf('.', pinned.lastIndexOf(":v")));
        assertTrue(version.startsWith("prometheus, version " + major + "."), version + " vs " + pinned);
        int promPort = MonitoringTools.freePort();
        List<String> dropped = new ArrayList<>();
        Map<String, Object> promConfig = loopbackPrometheus(yaml(data(dist, "prometheus-config", "prometheus.yml")), rules,
                "127.0.0.1:" + amPort, Map.of("keyboss-exporter:9100", "127.0.0.1:" + exporterPort, "localhost:9090", "127.0.0.1:" + promPort),
                "127.0.0.1:" + MonitoringTools.freePort(), dropped);
        assertEquals(List.of("kubernetes-pods"), dropped, "only Kubernetes discovery is left out on deti");
        Path promFile = tmp.resolve("prometheus.yml");
        Files.writeString(promFile, Rendering.toYaml(promConfig));
        List<String> prom = new ArrayList<>(List.of(prometheusBin));
        prom.addAll(args(container(dist, "prometheus"), Map.of("--config.file", promFile.toString(),
                "--storage.tsdb.path", tmp.resolve("prom-data").toString(),
                "--web.external-url", "http://127.0.0.1:" + promPort + "/prometheus/",
                "--web.listen-address", "127.0.0.1:" + promPort)));
        start(prom, "prometheus");
        String prometheus = "http://127.0.0.1:" + promPort + "/prometheus/";

        // Healthy first: the probe is scraped with the labels the rules expect, and nothing is delivered for it.
        MonitoringTools.await(120, "Prometheus to read the storefront probe as up (logs in " + tmp + ")", () -> {
            Double v = query(prometheus, "keyboss_probe_success{namespace=\"tenant-keyboss\",service=\"keyboss-exporter\","
                    + "endpoint=\"metrics\",exported_endpoint=\"" + DOWN + "\"}");
            return v != null && v == 1 ? v : null;
        });
        MonitoringTools.await(60, "Alertmanager to be ready", () -> MonitoringTools.get("http://127.0.0.1:" + amPort + "/alertmanager/-/ready"));

        long down = System.nanoTime();
        storefrontDown = true;
        Map<String, Object> firing = MonitoringTools.await((int) bound.toSeconds() + 5, "the firing alert at the webhook",
                () -> deliveredAlert("firing"));
        Duration toFiring = Duration.ofNanos(System.nanoTime() - down);
        assertTrue(toFiring.compareTo(duration(String.valueOf(rule.get("for")))) >= 0, "not before for: " + toFiring);
        assertTrue(toFiring.compareTo(bound) <= 0, "delivered in " + toFiring + ", bound " + bound);
        assertEquals("critical", Manifest.map(firing.get("commonLabels")).get("severity"));
        assertEquals("critical", firing.get("receiver"), "routed by severity");
        assertTrue(String.valueOf(firing.get("externalURL")).endsWith("/alertmanager"), String.valueOf(firing.get("externalURL")));

        long up = System.nanoTime();
        storefrontDown = false;
        MonitoringTools.await(40, "the resolved alert at the webhook", () -> deliveredAlert("resolved"));
        Duration toResolved = Duration.ofNanos(System.nanoTime() - up);
        System.out.printf("AlertDeliveryIT: %s delivered %.1f s after the endpoint went down (for %s, group_wait %s, bound %d s);"
                + " resolved %.1f s after it came back%n", ALERT, toFiring.toMillis() / 1000.0, rule.get("for"),
                criticalRoute.get("group_wait"), bound.toSeconds(), toResolved.toMillis() / 1000.0);
        for (Map<String, Object> message : delivered) {
            for (Object a : (List<?>) message.get("alerts")) {
                assertEquals(ALERT, Manifest.map(Manifest.map(a).get("labels")).get("alertname"),
                        "nothing else fires on a healthy loopback stack: " + message);
            }
        }
    }
}
