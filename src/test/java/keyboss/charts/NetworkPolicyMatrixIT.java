package keyboss.charts;

import keyboss.charts.validation.CrossReferences;
import keyboss.charts.env.Environment;
import keyboss.charts.lab.Exec;
import keyboss.charts.model.Manifest;
import keyboss.charts.lab.MonitoringTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The synthesized NetworkPolicies, judged by an evaluator this project does not write:
 * cyclonus' policy engine (src/test/go/netpol-eval, github.com/mattfenwick/cyclonus v0.5.6 from
 * the Go module proxy). Every pod of {@code dist/<env>/} (labels and container ports from the
 * workloads' templates), the cluster's own pods (Traefik and CoreDNS in kube-system, a central
 * Prometheus in monitoring), a pod of another tenant that copies the shop's labels, and
 * addresses outside the pod network are asked about every port of every destination. The set
 * of allowed connections must be exactly the matrix written out below: each allowed pair is
 * listed, everything else must be denied.
 */
class NetworkPolicyMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAEFIK = "traefik";
    private static final String COREDNS = "coredns";
    private static final String CENTRAL = "central-prometheus";
    private static final String INTRUDER = "other-tenant-pod";
    private static final String KUBE_API = "kube-api-service";
    private static final String NODE_API = "server-node";
    private static final String INTERNET = "internet";

    /** A pod or address, with the ports it listens on ("8000/TCP"). */
    private record Peer(String id, String namespace, Map<String, String> labels, Map<String, Integer> ports,
            List<String> probePorts, String ip) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "deti"})
    void onlyTheDeclaredConnectionsAreAllowed(String env) throws IOException {
        String namespace = Environment.builtIn(env).namespace();
        List<Map<String, Object>> policies = new ArrayList<>();
        Map<String, Peer> peers = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("dist", env))) {
            files = walk.filter(p -> p.toString().endsWith(".k8s.yaml") && !p.toString().contains("argocd")).sorted().toList();
        }
        for (Path file : files) {
            for (Manifest m : Yaml.manifests(Files.readString(file))) {
                if ("NetworkPolicy".equals(m.kind())) {
                    policies.add(m.object());
                }
                Map<String, Object> pod = CrossReferences.podSpec(m);
                if (pod != null) {
                    Map<String, Integer> ports = new LinkedHashMap<>();
                    List<String> probe = new ArrayList<>();
                    for (Object c : Manifest.list(pod.get("containers"))) {
                        for (Object p : Manifest.list(Manifest.map(c).get("ports"))) {
                            Map<String, Object> port = Manifest.map(p);
                            ports.put(String.valueOf(port.get("name")), (Integer) port.get("containerPort"));
                            probe.add(port.get("containerPort") + "/TCP");
                        }
                    }
                    String id = m.name().replaceAll("^saleor-(migrate|seed)-.*", "saleor-$1");
                    Map<String, String> labels = new LinkedHashMap<>();
                    CrossReferences.podLabels(m).forEach((k, v) -> labels.put(k, String.valueOf(v)));
                    peers.put(id, new Peer(id, namespace, labels, ports, probe, null));
                }
            }
        }
        assertFalse(policies.isEmpty(), "dist/" + env + " has no NetworkPolicy");
        peers.put(TRAEFIK, new Peer(TRAEFIK, "kube-system", Map.of("app.kubernetes.io/name", "traefik"),
                Map.of("web", 8000, "websecure", 8443, "metrics", 9100), List.of("8000/TCP", "8443/TCP", "9100/TCP"), null));
        peers.put(COREDNS, new Peer(COREDNS, "kube-system", Map.of("k8s-app", "kube-dns"), Map.of("dns", 53),
                List.of("53/UDP", "53/TCP"), null));
        peers.put(CENTRAL, new Peer(CENTRAL, "monitoring", Map.of("app.kubernetes.io/name", "prometheus"),
                Map.of("web", 9090), List.of("9090/TCP"), null));
        // Another tenant's pod wearing the API's labels: labels alone must not let it in.
        peers.put(INTRUDER, new Peer(INTRUDER, "other-tenant", Map.of("app.kubernetes.io/name", "saleor-api"),
                Map.of("http", 8000), List.of("8000/TCP"), null));
        peers.put(KUBE_API, new Peer(KUBE_API, null, Map.of(), Map.of(), List.of("443/TCP"), "10.43.0.1"));
        // A server node: its API server (6443) and its kubelet (10250).
        peers.put(NODE_API, new Peer(NODE_API, null, Map.of(), Map.of(), List.of("6443/TCP", "10250/TCP"), "192.168.10.5"));
        peers.put(INTERNET, new Peer(INTERNET, null, Map.of(), Map.of(), List.of("443/TCP", "80/TCP", "9000/TCP", "22/TCP"),
                "203.0.113.7"));

        Set<String> local = new TreeSet<>();
        peers.values().stream().filter(p -> namespace.equals(p.namespace())).forEach(p -> local.add(p.id()));
        List<Map<String, Object>> queries = new ArrayList<>();
        for (Peer from : peers.values()) {
            for (Peer to : peers.values()) {
                if (!local.contains(from.id()) && !local.contains(to.id())) {
                    continue; // neither end is the shop's: its policies cannot speak to it
                }
                List<String> ports = new ArrayList<>(to.probePorts());
                ports.add("22/TCP"); // a port nothing declares
                for (String port : new TreeSet<>(ports)) {
                    String[] p = port.split("/");
                    queries.add(Map.of("from", from.id(), "to", to.id(), "port", Integer.parseInt(p[0]), "protocol", p[1]));
                }
            }
        }
        Map<String, Object> namespaces = new LinkedHashMap<>();
        for (String ns : List.of(namespace, "kube-system", "monitoring", "other-tenant")) {
            namespaces.put(ns, Map.of("kubernetes.io/metadata.name", ns));
        }
        Map<String, Object> peerJson = new LinkedHashMap<>();
        int podIp = 10;
        for (Peer p : peers.values()) {
            // Pods get addresses in k3s' pod range (10.42.0.0/16): an ipBlock sees them too.
            peerJson.put(p.id(), p.ip() != null ? Map.of("ip", p.ip())
                    : Map.of("namespace", p.namespace(), "labels", p.labels(), "ports", p.ports(), "ip", "10.42.0." + podIp++));
        }
        List<Map<String, Object>> answers = evaluate(Map.of("policies", policies, "namespaces", namespaces,
                "peers", peerJson, "queries", queries));
        assertEquals(queries.size(), answers.size());

        Set<String> allowed = new TreeSet<>();
        for (Map<String, Object> a : answers) {
            if (Boolean.TRUE.equals(a.get("allowed"))) {
                allowed.add(a.get("from") + " -> " + a.get("to") + " " + a.get("port") + "/" + a.get("protocol"));
            }
        }
        Set<String> expected = expected(env, local);
        Set<String> unexpected = new TreeSet<>(allowed);
        unexpected.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(allowed);
        assertTrue(unexpected.isEmpty() && missing.isEmpty(), "dist/" + env + ": the evaluator allows "
                + unexpected.size() + " connections the matrix does not list:\n  " + String.join("\n  ", unexpected)
                + "\nand denies " + missing.size() + " it lists:\n  " + String.join("\n  ", missing));

        // A sample of denials, spelled out.
        for (String denied : List.of("saleor-storefront -> postgres 5432/TCP", INTRUDER + " -> redis 6379/TCP",
                INTRUDER + " -> postgres 5432/TCP", "saleor-api -> grafana 3000/TCP", "saleor-api -> postgres 8008/TCP",
                "celery-worker -> postgres 8008/TCP", "grafana -> postgres 8008/TCP", "saleor-storefront -> redis 6379/TCP",
                "saleor-api -> " + INTERNET + " 443/TCP", TRAEFIK + " -> postgres 5432/TCP", TRAEFIK + " -> redis 6379/TCP",
                "saleor-dashboard -> saleor-api 8000/TCP", "saleor-api -> " + KUBE_API + " 443/TCP",
                // Prometheus and Alertmanager are not routed on the public host (closed by default).
                TRAEFIK + " -> prometheus 9090/TCP", TRAEFIK + " -> alertmanager 9093/TCP",
                "saleor-api -> alertmanager 9093/TCP", "saleor-api -> " + NODE_API + " 10250/TCP")) {
            assertFalse(allowed.contains(denied), "dist/" + env + " allows " + denied);
        }
    }

    /** Every allowed connection of {@code env}, written out. */
    private static Set<String> expected(String env, Set<String> local) {
        Set<String> e = new TreeSet<>();
        for (String pod : local) {
            e.add(pod + " -> " + COREDNS + " 53/UDP");
            e.add(pod + " -> " + COREDNS + " 53/TCP");
        }
        for (String saleor : List.of("saleor-api", "celery-worker", "saleor-migrate", "saleor-seed")) {
            e.add(saleor + " -> postgres 5432/TCP");
            e.add(saleor + " -> redis 6379/TCP");
            e.add(saleor + " -> redis-sentinel 26379/TCP");
        }
        e.addAll(List.of(
                "postgres -> postgres 5432/TCP", "postgres -> postgres 8008/TCP",
                "postgres -> " + KUBE_API + " 443/TCP", "postgres -> " + NODE_API + " 6443/TCP",
                "redis -> redis 6379/TCP", "redis-sentinel -> redis 6379/TCP", "redis-sentinel -> redis-sentinel 26379/TCP",
                "redis -> redis-sentinel 26379/TCP",
                "saleor-storefront -> saleor-api 8000/TCP",
                TRAEFIK + " -> saleor-api 8000/TCP", TRAEFIK + " -> saleor-storefront 3000/TCP",
                TRAEFIK + " -> saleor-dashboard 8080/TCP", TRAEFIK + " -> grafana 3000/TCP",
                "prometheus -> kube-state-metrics 8080/TCP", "prometheus -> postgres-exporter-0 9187/TCP",
                "prometheus -> postgres-exporter-1 9187/TCP", "prometheus -> postgres 8008/TCP",
                "prometheus -> redis-exporter 9121/TCP", "prometheus -> keyboss-exporter 9100/TCP",
                "prometheus -> alertmanager 9093/TCP",
                "prometheus -> " + KUBE_API + " 443/TCP", "prometheus -> " + NODE_API + " 6443/TCP",
                "grafana -> prometheus 9090/TCP",
                "kube-state-metrics -> " + KUBE_API + " 443/TCP", "kube-state-metrics -> " + NODE_API + " 6443/TCP",
                "postgres-exporter-0 -> postgres 5432/TCP", "postgres-exporter-1 -> postgres 5432/TCP",
                "redis-exporter -> redis 6379/TCP", "redis-exporter -> redis-sentinel 26379/TCP",
                // The public URLs are https (TLS on the Ingress): Traefik's websecure port;
                // Alertmanager, not routed, through its Service.
                "keyboss-exporter -> saleor-api 8000/TCP", "keyboss-exporter -> " + TRAEFIK + " 8443/TCP",
                "keyboss-exporter -> alertmanager 9093/TCP",
                // The webhook's URL is a Secret value: any address on 443 and 80, the Service range's too.
                "alertmanager -> " + INTERNET + " 443/TCP", "alertmanager -> " + INTERNET + " 80/TCP",
                "alertmanager -> " + KUBE_API + " 443/TCP"));
        // The object store is a host name outside the cluster: any address on its port (deti 443, local 9000).
        String store = env.equals("local") ? "9000/TCP" : "443/TCP";
        e.add("postgres -> " + INTERNET + " " + store);
        // Every backup, restore and drill pod (component: backup) shares one policy.
        for (String backup : List.of("postgres-backup", "postgres-restore", "postgres-basebackup-full", "postgres-basebackup-diff",
                "postgres-restore-drill", "postgres-pitr", "valkey-backup", "redis-restore-0", "redis-restore-1", "redis-restore-2")) {
            e.addAll(List.of(backup + " -> postgres 5432/TCP", backup + " -> postgres 8432/TCP", backup + " -> redis 6379/TCP",
                    backup + " -> redis-sentinel 26379/TCP", backup + " -> " + INTERNET + " " + store));
            if (store.equals("443/TCP")) {
                e.add(backup + " -> " + KUBE_API + " 443/TCP");
            }
        }
        if (env.equals("local")) {
            e.add("prometheus -> " + TRAEFIK + " 9100/TCP");
            // Node and cAdvisor metrics straight from the kubelets (no nodes/proxy through the API server).
            e.add("prometheus -> " + NODE_API + " 10250/TCP");
        } else {
            e.add("prometheus -> " + CENTRAL + " 9090/TCP");
            for (String exporter : List.of("postgres-exporter-0 9187", "postgres-exporter-1 9187", "redis-exporter 9121",
                    "keyboss-exporter 9100")) {
                e.add(CENTRAL + " -> " + exporter + "/TCP");
            }
        }
        return e;
    }

    private static List<Map<String, Object>> evaluate(Map<String, Object> input) throws IOException {
        Path in = Files.createTempFile(Path.of("target"), "netpol-eval", ".json");
        try {
            Files.writeString(in, JSON.writeValueAsString(input));
            Exec.Result r = Exec.run(List.of("sh", "-c", "exec \"$0\" < \"$1\"", netpolEval().toString(), in.toString()),
                    MonitoringTools.buildEnv(), 120);
            assertEquals(0, r.exitCode(), "netpol-eval failed:\n" + r.output());
            return JSON.readValue(r.stdout(), new TypeReference<>() { });
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** src/test/go/netpol-eval, built with the machine's Go from the module proxy on first use. */
    static synchronized Path netpolEval() {
        Path bin = MonitoringTools.TOOLS.resolve("netpol-eval");
        Path source = Path.of("src", "test", "go", "netpol-eval").toAbsolutePath();
        try {
            Files.createDirectories(MonitoringTools.TOOLS);
            if (!Files.exists(bin) || Files.getLastModifiedTime(source.resolve("main.go")).compareTo(Files.getLastModifiedTime(bin)) > 0
                    || Files.getLastModifiedTime(source.resolve("go.mod")).compareTo(Files.getLastModifiedTime(bin)) > 0) {
                Exec.Result r = Exec.run(List.of(Exec.require("go", "install Go (1.22 or later)"), "-C", source.toString(),
                        "build", "-o", bin.toString(), "."), MonitoringTools.buildEnv(), 900);
                assertEquals(0, r.exitCode(), "go build of netpol-eval failed:\n" + r.output());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Exec.Result version = Exec.run(List.of("go", "version", "-m", bin.toString()), MonitoringTools.buildEnv(), 60);
        assertTrue(version.stdout().contains("github.com/mattfenwick/cyclonus\tv0.5.6"), version.output());
        return bin;
    }
}
