package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
