package keyboss.charts;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule both ways: a correct object passes, a minimally broken one fails with the expected message. */
class ClusterRulesTest {

    private static final Environment DETI = Environment.deti();
    private static final Environment LOCAL = Environment.local();

    private static Manifest object(String apiVersion, String kind, String name, String namespace, Map<String, Object> rest) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        Map<String, Object> o = new LinkedHashMap<>(Map.of("apiVersion", apiVersion, "kind", kind, "metadata", metadata));
        o.putAll(rest);
        return new Manifest("test.k8s.yaml", o);
    }

    private static Manifest claim(String namespace, String storageClass, String size) {
        return object("v1", "PersistentVolumeClaim", "data", namespace, Map.of("spec", Map.of(
                "storageClassName", storageClass, "resources", Map.of("requests", Map.of("storage", size)))));
    }

    private static Manifest role(List<String> groups, List<String> resources, List<String> verbs) {
        return object("rbac.authorization.k8s.io/v1", "Role", "r", "tenant-keyboss", Map.of("rules", List.of(
                Map.of("apiGroups", groups, "resources", resources, "verbs", verbs))));
    }

    /** A Deployment that meets every workload rule (hardened pods included) but, perhaps, the image's. */
    private static Manifest deployment(String image) {
        Map<String, Object> container = Map.of("name", "web", "image", image,
                "resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi", "ephemeral-storage", "32Mi"),
                        "limits", Map.of("cpu", "1", "memory", "64Mi", "ephemeral-storage", "64Mi")),
                "securityContext", Map.of("allowPrivilegeEscalation", false, "capabilities", Map.of("drop", List.of("ALL")),
                        "readOnlyRootFilesystem", true));
        return object("apps/v1", "Deployment", "web", "tenant-keyboss", Map.of("spec", Map.of("template", Map.of("spec",
                Map.of("securityContext", Map.of("runAsNonRoot", true, "seccompProfile", Map.of("type", "RuntimeDefault")),
                        "automountServiceAccountToken", false, "containers", List.of(container))))));
    }

    private static String only(Environment env, Manifest m) {
        List<Problem> problems = ClusterRules.check(env.profile(), List.of(m));
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0).toString();
    }

    private static void passes(Environment env, Manifest m) {
        assertEquals(List.of(), ClusterRules.check(env.profile(), List.of(m)));
    }

    @Test
    void namespace() {
        passes(DETI, claim("tenant-keyboss", "longhorn", "1Gi"));
        assertContainsAll(only(DETI, claim(null, "longhorn", "1Gi")), "deti/test.k8s.yaml PersistentVolumeClaim/data",
                "metadata.namespace = null", "lives in namespace tenant-keyboss");
        assertContainsAll(only(DETI, claim("keyboss", "longhorn", "1Gi")), "metadata.namespace = keyboss");
    }

    @Test
    void namespaceObjectOnlyWhereTheEnvironmentCreatesIt() {
        passes(LOCAL, object("v1", "Namespace", "keyboss", null, Map.of()));
        assertContainsAll(only(DETI, object("v1", "Namespace", "tenant-keyboss", null, Map.of())),
                "kind = Namespace", "may not create one", "remove the Namespace object");
        assertContainsAll(only(LOCAL, object("v1", "Namespace", "other", null, Map.of())), "creates only its own namespace keyboss");
    }

    @Test
    void clusterScopedKinds() {
        passes(LOCAL, object("rbac.authorization.k8s.io/v1", "ClusterRole", "prometheus", null, Map.of("rules", List.of())));
        assertContainsAll(only(DETI, object("rbac.authorization.k8s.io/v1", "ClusterRole", "prometheus", null,
                Map.of("rules", List.of()))), "kind = ClusterRole", "admits no cluster-scoped objects");
        assertContainsAll(only(DETI, object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "prometheus", null,
                Map.of())), "kind = ClusterRoleBinding");
    }

    @Test
    void storageClassAndCap() {
        assertContainsAll(only(DETI, claim("tenant-keyboss", "local-path", "1Gi")), "spec.storageClassName = local-path",
                "provides StorageClass longhorn");
        assertContainsAll(only(DETI, claim("tenant-keyboss", "longhorn", "2Gi")),
                "spec.resources.requests.storage = 2Gi", "caps every volume claim at 1Gi");
        passes(LOCAL, claim("keyboss", "local-path", "10Gi"));
        assertContainsAll(only(LOCAL, claim("keyboss", "local-path", "11Gi")), "at 10Gi");
        Manifest sts = object("apps/v1", "StatefulSet", "db", "tenant-keyboss", Map.of("spec", Map.of(
                "volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "data"), "spec", Map.of(
                        "storageClassName", "longhorn", "resources", Map.of("requests", Map.of("storage", "5Gi"))))))));
        assertContainsAll(only(DETI, sts), "spec.volumeClaimTemplates[0].spec.resources.requests.storage = 5Gi");
    }

    @Test
    void forbiddenApiGroups() {
        Manifest middleware = object("traefik.io/v1alpha1", "Middleware", "strip", "tenant-keyboss", Map.of());
        assertContainsAll(only(DETI, middleware), "apiVersion = traefik.io/v1alpha1", "rejects the API groups");
        passes(LOCAL, object("traefik.io/v1alpha1", "Middleware", "strip", "keyboss", Map.of()));
    }

    @Test
    void rolesMayNotGrantWhatTheTenantLacks() {
        passes(DETI, role(List.of(""), List.of("configmaps"), List.of("patch")));
        assertContainsAll(only(DETI, role(List.of(""), List.of("pods/exec"), List.of("create"))),
                "rules[0]", "any verb on pods/exec", "no Role may grant it");
        assertContainsAll(only(DETI, role(List.of("apps"), List.of("deployments/scale"), List.of("patch"))),
                "any verb on apps/deployments/scale");
        List<Problem> wildcard = ClusterRules.check(DETI.profile(), List.of(role(List.of("*"), List.of("*"), List.of("*"))));
        assertEquals(3, wildcard.size(), "a wildcard grants both, and nodes/proxy: " + wildcard);
        passes(LOCAL, object("rbac.authorization.k8s.io/v1", "Role", "r", "keyboss", Map.of("rules", List.of(
                Map.of("apiGroups", List.of(""), "resources", List.of("pods/exec"), "verbs", List.of("create"))))));
    }

    @Test
    void noRoleGrantsNodesProxyInAnyEnvironment() {
        Manifest clusterRole = object("rbac.authorization.k8s.io/v1", "ClusterRole", "keyboss-prometheus", null, Map.of("rules",
                List.of(Map.of("apiGroups", List.of(""), "resources", List.of("nodes", "nodes/proxy"), "verbs", List.of("get")))));
        assertContainsAll(only(LOCAL, clusterRole), "rules[0]", "nodes/proxy", "every kubelet endpoint", "nodes/metrics");
        // A wildcard of the core group covers it too; the metrics subresource alone is fine.
        assertContainsAll(only(LOCAL, object("rbac.authorization.k8s.io/v1", "Role", "r", "keyboss", Map.of("rules",
                List.of(Map.of("apiGroups", List.of(""), "resources", List.of("*"), "verbs", List.of("get")))))), "nodes/proxy");
        passes(LOCAL, object("rbac.authorization.k8s.io/v1", "ClusterRole", "keyboss-prometheus", null, Map.of("rules",
                List.of(Map.of("apiGroups", List.of(""), "resources", List.of("nodes", "nodes/metrics"), "verbs", List.of("get"))))));
        // Another API group's nodes/proxy is not the kubelet proxy.
        passes(LOCAL, object("rbac.authorization.k8s.io/v1", "Role", "r", "keyboss", Map.of("rules",
                List.of(Map.of("apiGroups", List.of("example.com"), "resources", List.of("nodes/proxy"), "verbs", List.of("get"))))));
    }

    @Test
    void imagesArePinned() {
        passes(DETI, deployment("postgres:16.4-alpine"));
        assertContainsAll(only(DETI, deployment("postgres:latest")), "spec.template.spec.containers[0].image",
                "floating tag 'latest'");
        assertTrue(only(DETI, deployment("postgres")).contains("not pinned"));
    }
}
