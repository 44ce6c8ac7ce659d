package keyboss.charts;

import keyboss.charts.cli.KubeApi;
import keyboss.charts.lab.KubeOracle;
import keyboss.charts.model.Manifest;
import keyboss.charts.cli.ServerCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database members' Role from dist/deti, used for real: with a TokenRequest token of the
 * ServiceAccount {@code postgres}, the calls Patroni's Kubernetes DCS makes (the leader lease and
 * the config, failover and sync Endpoints, the member labels on its pods) succeed on the
 * API-server oracle as the tenant set it up, and everything else is refused. The failover
 * itself, with that token and Role, is {@link PostgresHaIT}'s.
 */
class PatroniRoleIT {

    private static final String NS = "tenant-keyboss";
    private static final String SA = "postgres";
    private static KubeOracle oracle;
    private static KubeApi patroni;

    @BeforeAll
    static void patroniToken() {
        oracle = KubeOracle.get();
        ServerCheck.Report deti = oracle.detiApplied();
        for (String object : List.of("ServiceAccount/" + SA, "Role/" + SA, "RoleBinding/" + SA, "StatefulSet/" + SA)) {
            assertTrue(deti.verdicts().stream().anyMatch(v -> v.what().equals(object) && v.response().ok()),
                    "dist/deti's " + object + " was created");
        }
        patroni = oracle.admin().as(oracle.serviceAccountToken(NS, SA), oracle.ca());
    }

    private static Map<String, Object> endpoints(String name, Map<String, String> annotations) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", name, "namespace", NS));
        metadata.put("annotations", annotations);
        return Map.of("apiVersion", "v1", "kind", "Endpoints", "metadata", metadata);
    }

    @Test
    void theLeaseAndTheMemberLabelsAreWritable() {
        // The lease: Patroni creates the leader Endpoints if it is missing and updates it by patch.
        String path = "/api/v1/namespaces/" + NS + "/endpoints";
        KubeApi.Response existing = oracle.admin().get(path + "/" + SA);
        if (existing.status() == 404) {
            KubeApi.Response created = patroni.request("POST", path, "application/json",
                    KubeApi.json(endpoints(SA, Map.of("leader", "postgres-0"))));
            assertTrue(created.ok(), "create the leader Endpoints: " + created.status() + " " + created.message());
        }
        KubeApi.Response renewed = patroni.request("PATCH", path + "/" + SA, "application/merge-patch+json",
                KubeApi.json(Map.of("metadata", Map.of("annotations", Map.of("leader", "postgres-1", "renewTime", "2026-01-01T00:00:00Z")))));
        assertTrue(renewed.ok(), "renew the lease: " + renewed.status() + " " + renewed.message());
        for (String name : List.of("postgres-config", "postgres-sync", "postgres-failover")) {
            KubeApi.Response r = oracle.admin().get(path + "/" + name).status() == 404
                    ? patroni.request("POST", path, "application/json", KubeApi.json(endpoints(name, Map.of("x", "1"))))
                    : patroni.request("PATCH", path + "/" + name, "application/merge-patch+json",
                            KubeApi.json(Map.of("metadata", Map.of("annotations", Map.of("x", "1")))));
            assertTrue(r.ok(), name + ": " + r.status() + " " + r.message());
        }
        assertTrue(patroni.get(path).ok(), "list and watch the cluster's Endpoints");

        // Members label their own pods with their role (the replica Service selects on it).
        List<Map<String, Object>> pods = oracle.admin().list("/api/v1/namespaces/" + NS + "/pods?labelSelector="
                + "app.kubernetes.io/name%3D" + SA);
        assertTrue(!pods.isEmpty(), "the StatefulSet controller created the members' pods");
        String pod = (String) Manifest.map(pods.get(0).get("metadata")).get("name");
        KubeApi.Response labelled = patroni.request("PATCH", "/api/v1/namespaces/" + NS + "/pods/" + pod,
                "application/merge-patch+json", KubeApi.json(Map.of("metadata", Map.of("labels", Map.of("role", "replica")))));
        assertTrue(labelled.ok(), "label its pod: " + labelled.status() + " " + labelled.message());
    }

    @Test
    void everythingOutsideItsRoleIsRefused() {
        Map<String, KubeApi.Response> refused = new LinkedHashMap<>();
        refused.put("patch an Endpoints of another Service", patroni.request("PATCH",
                "/api/v1/namespaces/" + NS + "/endpoints/saleor-api", "application/merge-patch+json",
                KubeApi.json(Map.of("metadata", Map.of("annotations", Map.of("x", "1"))))));
        refused.put("read a Secret", patroni.get("/api/v1/namespaces/" + NS + "/secrets/keyboss-secrets"));
        refused.put("exec into a pod", patroni.request("POST", "/api/v1/namespaces/" + NS + "/pods/postgres-0/exec?command=sh&stdout=true",
                null, null));
        refused.put("delete a pod", patroni.request("DELETE", "/api/v1/namespaces/" + NS + "/pods/postgres-0", null, null));
        refused.put("patch the StatefulSet", patroni.request("PATCH", "/apis/apps/v1/namespaces/" + NS + "/statefulsets/" + SA,
                "application/merge-patch+json", "{\"spec\":{\"replicas\":0}}"));
        refused.put("patch the app's ConfigMap", patroni.request("PATCH", "/api/v1/namespaces/" + NS + "/configmaps/keyboss-config",
                "application/merge-patch+json", "{\"data\":{\"POSTGRES_HOST\":\"elsewhere\"}}"));
        refused.put("list Endpoints in another namespace", patroni.get("/api/v1/namespaces/kube-system/endpoints"));
        refused.put("list nodes (cluster-scoped)", patroni.get("/api/v1/nodes"));
        refused.forEach((what, r) -> {
            assertEquals(403, r.status(), what + ": " + r.message());
            assertTrue(r.message().contains("system:serviceaccount:" + NS + ":" + SA), what + ": " + r.message());
        });
    }
}
