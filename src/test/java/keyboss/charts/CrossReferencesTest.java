package keyboss.charts;

import keyboss.charts.network.Connection;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.network.ObjectRef;
import keyboss.charts.model.Problem;
import keyboss.charts.model.SecretContract;
import keyboss.charts.app.ShopIngress;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every reference resolves in the committed dist/, and each check catches a minimally broken copy. */
class CrossReferencesTest {

    private static final List<SecretContract> SECRETS = List.of(KeybossChart.SECRETS);

    @Test
    void everyReferenceInDistResolves() {
        for (String env : List.of("local", "deti")) {
            assertEquals(List.of(), CrossReferences.check(env, Fixtures.readYaml(Fixtures.DIST.resolve(env)), SECRETS), env);
        }
    }

    /** The deti objects with one object replaced by a changed deep copy. */
    private static List<Problem> breaking(String kind, String name, Consumer<Map<String, Object>> change) {
        List<Manifest> copy = new ArrayList<>();
        boolean found = false;
        for (Manifest m : Fixtures.builtIn("deti")) {
            Map<String, Object> object = deepCopy(m.object());
            if (m.kind().equals(kind) && m.name().equals(name)) {
                change.accept(object);
                found = true;
            }
            copy.add(new Manifest(m.file(), object));
        }
        if (!found) {
            throw new AssertionError("no " + kind + "/" + name);
        }
        return CrossReferences.check("deti", copy, SECRETS);
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            return (T) new ArrayList<>(list.stream().map(CrossReferencesTest::deepCopy).toList());
        }
        return value;
    }

    private static Map<String, Object> at(Map<String, Object> root, String path) {
        Object current = root;
        for (String key : path.split("\\.")) {
            current = key.matches("\\d+") ? Manifest.list(current).get(Integer.parseInt(key)) : Manifest.map(current).get(key);
        }
        return Manifest.map(current);
    }

    private static String only(List<Problem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0).toString();
    }

    @Test
    void configMapKeysMustExist() {
        assertContainsAll(only(breaking("ConfigMap", "keyboss-config", o -> Manifest.map(o.get("data")).remove("SALEOR_API_URL_INTERNAL"))),
                "Deployment/saleor-storefront", "env SALEOR_API_URL_INTERNAL", "keyboss-config/SALEOR_API_URL_INTERNAL",
                "a key of ConfigMap keyboss-config");
    }

    @Test
    void secretKeysMustBeDeclared() {
        assertContainsAll(only(breaking("Deployment", "saleor-dashboard", o -> at(o, "spec.template.spec.containers.0")
                        .put("env", List.of(Map.of("name", "X", "valueFrom", Map.of("secretKeyRef", Map.of("name", "keyboss-secrets", "key", "NOPE"))))))),
                "env X", "keyboss-secrets/NOPE", "a key the Secret declares");
    }

    @Test
    void variableReferencesMustBeDefinedFirst() {
        assertContainsAll(only(breaking("Deployment", "saleor-dashboard", o -> at(o, "spec.template.spec.containers.0")
                        .put("env", List.of(Map.of("name", "URL", "value", "http://$(HOST)/"))))),
                "$(HOST) must be defined earlier");
    }

    @Test
    void volumesClaimsAndAccountsMustExist() {
        assertContainsAll(only(breaking("CronJob", "postgres-backup", o -> Manifest.map(Manifest.list(
                        at(o, "spec.jobTemplate.spec.template.spec").get("volumes")).get(0)).put("persistentVolumeClaim", Map.of("claimName", "gone")))),
                "volumes.work = gone", "an existing PersistentVolumeClaim");
        assertContainsAll(only(breaking("StatefulSet", "postgres", o -> at(o, "spec.template.spec").put("serviceAccountName", "ghost"))),
                "serviceAccountName = ghost");
    }

    @Test
    void probesMustNameADeclaredPort() {
        assertContainsAll(only(breaking("Deployment", "saleor-api", o -> at(o, "spec.template.spec.containers.0.readinessProbe.httpGet").put("port", "web"))),
                "readinessProbe.httpGet.port = web", "a port the container declares");
    }

    @Test
    void servicesMustSelectPodsAndTheirPorts() {
        assertContainsAll(only(breaking("Service", "saleor-api", o -> at(o, "spec").put("selector", Map.of(Labels.NAME, "saleor-apl")))),
                "Service/saleor-api", "spec.selector");
        assertContainsAll(only(breaking("Service", "saleor-api", o -> Manifest.map(Manifest.list(at(o, "spec").get("ports")).get(0)).put("targetPort", "https"))),
                "targetPort = https", "Deployment/saleor-api");
    }

    @Test
    void workloadSelectorMismatchIsTheApiServerRulesNotAReference() {
        List<Problem> all = breaking("Deployment", "saleor-dashboard", o -> at(o, "spec.selector").put("matchLabels", Map.of(Labels.NAME, "other")));
        // The Service and budget that select the dashboard's pods still find them; the API server rules report the selector.
        assertEquals(List.of(), all);
    }

    @Test
    void autoscalersAndBudgetsMustFindTheirWorkloads() {
        assertContainsAll(only(breaking("HorizontalPodAutoscaler", "saleor-api-hpa", o -> at(o, "spec.scaleTargetRef").put("name", "saleor"))),
                "spec.scaleTargetRef = Deployment/saleor");
        assertContainsAll(only(breaking("PodDisruptionBudget", "celery-worker", o -> at(o, "spec.selector").put("matchLabels", Map.of(Labels.NAME, "celery")))),
                "PodDisruptionBudget/celery-worker", "spec.selector.matchLabels");
    }

    @Test
    void ingressBackendsMustExist() {
        assertContainsAll(only(breaking("Ingress", "keyboss", o -> at(o, "spec.rules.0.http.paths.0.backend.service.port").put("name", "web"))),
                "path /graphql/ = saleor-api:web", "a port Service saleor-api declares");
    }

    @Test
    void roleBindingsAndResourceNamesMustExist() {
        assertContainsAll(only(breaking("RoleBinding", "postgres", o -> Manifest.map(o.get("roleRef")).put("name", "admin"))),
                "roleRef = Role/admin");
        assertContainsAll(only(breaking("Role", "postgres", o -> {
                    Manifest.map(Manifest.list(o.get("rules")).get(1)).put("resources", List.of("deployments"));
                    Manifest.map(Manifest.list(o.get("rules")).get(1)).put("resourceNames", List.of("saleor-apii"));
                })),
                "rules.resourceNames = deployments/saleor-apii");
    }

    // The connections the constructs declare, checked against the objects.

    private static Map<String, List<Connection>> declared(String env) {
        return Fixtures.builtInChart(env).connections();
    }

    /** The deti connections checked against the deti objects with one object changed. */
    private static List<Problem> connectionsBreaking(String kind, String name, Consumer<Map<String, Object>> change) {
        List<Manifest> copy = new ArrayList<>();
        for (Manifest m : Fixtures.builtIn("deti")) {
            Map<String, Object> object = deepCopy(m.object());
            if (m.kind().equals(kind) && m.name().equals(name)) {
                change.accept(object);
            }
            copy.add(new Manifest(m.file(), object));
        }
        return CrossReferences.checkConnections("deti", copy, declared("deti"));
    }

    /** The deti connections plus {@code extra} declared by {@code construct}, checked against the deti objects. */
    private static List<Problem> withConnection(String construct, Connection extra) {
        Map<String, List<Connection>> all = new java.util.LinkedHashMap<>(declared("deti"));
        List<Connection> own = new ArrayList<>(all.getOrDefault(construct, List.of()));
        own.add(extra);
        all.put(construct, own);
        return CrossReferences.checkConnections("deti", Fixtures.builtIn("deti"), all);
    }

    @Test
    void everyDeclaredConnectionMeetsPodsThatListen() {
        for (String env : List.of("local", "deti")) {
            Map<String, List<Connection>> declared = declared(env);
            assertEquals(List.of(), CrossReferences.checkConnections(env, Fixtures.readYaml(Fixtures.DIST.resolve(env)), declared), env);
            // The policies are built from exactly these declarations.
            assertEquals(declared.values().stream().flatMap(List::stream).toList(),
                    Fixtures.builtInChart(env).networkPolicies().connections(), env);
        }
    }

    @Test
    void aConnectionOnAPortNoServiceExposesIsReported() {
        KeybossChart chart = Fixtures.builtInChart("deti");
        Connection wrong = Connection.of(chart.storefront().peer(), chart.api().peer(), "server-side rendering on a wrong port",
                NetworkPort.tcp(8001));
        assertContainsAll(only(withConnection("storefront", wrong)), "deti storefront connection 'server-side rendering on a wrong port'",
                "to saleor-api port 8001/TCP = Deployment/saleor-api", "Service saleor-api selects them but targets no port 8001",
                "their containers declare none", "add port 8001 to Service saleor-api");
    }

    @Test
    void aServiceAndPodThatMovedAwayFromTheDeclaredPortAreReported() {
        // The API listens on 8080 now, but the connections still say 8000: the policy would block the storefront.
        List<Problem> problems = connectionsBreaking("Deployment", "saleor-api", o -> {
            Map<String, Object> port = Manifest.map(Manifest.list(at(o, "spec.template.spec.containers.0").get("ports")).get(0));
            port.put("containerPort", 8080);
        });
        assertContainsAll(problems.stream().filter(p -> p.path().contains("server-side rendering")).findFirst().orElseThrow().toString(),
                "storefront connection 'server-side rendering queries the API'", "to saleor-api port 8000/TCP",
                "Service saleor-api selects them but targets no port 8000");
        // The probe of the API's internal URL is another declaration of the same port.
        assertTrue(problems.stream().anyMatch(p -> p.path().contains("monitoring connection 'probe of the API's internal URL'")), problems.toString());
    }

    @Test
    void aRouteToAPortThePodsDoNotNameIsReported() {
        List<Problem> problems = connectionsBreaking("Deployment", "saleor-dashboard", o -> Manifest.map(Manifest.list(
                at(o, "spec.template.spec.containers.0").get("ports")).get(0)).put("name", "web"));
        assertContainsAll(only(problems), "ingress connection 'route /dashboard/'", "to saleor-dashboard port http/TCP",
                "a port named http on the containers of Deployment/saleor-dashboard", "they name [web]", "name the container port http");
    }

    @Test
    void peersWithoutPodsOrWithTheWrongWorkloadAreReported() {
        KeybossChart chart = Fixtures.builtInChart("deti");
        NetworkPeer ghost = NetworkPeer.pods("ghost", Map.of(Labels.NAME, "ghost"));
        assertContainsAll(only(withConnection("saleor-api", Connection.of(chart.api().peer(), ghost, "a typo", NetworkPort.tcp(80)))),
                "deti saleor-api connection 'a typo'", "to ghost = {" + Labels.NAME + "=ghost}",
                "labels the pods of a workload of this environment carry");
        NetworkPeer mislabelled = NetworkPeer.pods("saleor-api", Labels.selector("saleor-api"), chart.storefront().deployment().orElseThrow());
        assertContainsAll(only(withConnection("storefront", Connection.of(chart.storefront().peer(), mislabelled, "the wrong workload",
                        NetworkPort.tcp(8000)))),
                "storefront connection 'the wrong workload'", "to saleor-api objects = Deployment/saleor-storefront",
                "a workload whose pods carry the peer's labels");
    }

    @Test
    void everyPeerOfTheShopNamesTheWorkloadsRunningIt() {
        // Without them no sync order comes from a connection. Every route's backend names its
        // workloads too (Grafana's included), so the Ingress syncs after all of them.
        List<String> anonymous = new ArrayList<>();
        declared("deti").forEach((construct, connections) -> connections.forEach(c -> {
            for (NetworkPeer p : List.of(c.from(), c.to())) {
                if (p.isLocal() && p.objects().isEmpty()) {
                    anonymous.add(construct + ": " + p.name());
                }
            }
        }));
        assertEquals(List.of(), anonymous.stream().distinct().toList());
        ShopIngress.Route grafana = Fixtures.builtInChart("deti").ingress().routes().stream()
                .filter(r -> r.path().equals("/grafana/")).findFirst().orElseThrow();
        assertEquals(List.of(new ObjectRef("Deployment", "grafana")), grafana.backend().pods().objects());
    }
}
