package keyboss.charts;

import keyboss.charts.cli.KubeApi;
import keyboss.charts.lab.KubeOracle;
import keyboss.charts.model.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The oracle bites: what deti refuses its tenant is refused here too, for the reason deti has.
 * Each object is first shown acceptable to the cluster admin (dry run), so the refusal comes
 * from the tenant's limits and not from a broken object.
 */
class ApiServerNegativeIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        try {
            return YAML.readValue(text, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Refused as the tenant (dry run), with {@code reason} and a message containing {@code because}. */
    private static void refused(Map<String, Object> object, String reason, String because) {
        KubeOracle oracle = KubeOracle.get();
        KubeApi.Response r = oracle.tenant().apply(object, oracle.tenantNamespace(), true);
        assertFalse(r.ok(), "the tenant may not create this, yet the server accepted it: " + object);
        assertEquals(reason, r.reason(), r.message());
        assertTrue(r.message().contains(because), "refused for another reason: " + r.message());
    }

    @Test
    void aClaimOverOneGibibyteIsRefusedByTheLimitRange() {
        Map<String, Object> claim = yaml("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: too-big, namespace: tenant-keyboss}
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: longhorn
                  resources: {requests: {storage: 2Gi}}
                """);
        refused(claim, "Forbidden", "maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi");
        // 1Gi is fine: the limit, not the object, refused it.
        Manifest.map(Manifest.map(Manifest.map(claim.get("spec")).get("resources")).get("requests")).put("storage", "1Gi");
        assertTrue(KubeOracle.get().tenant().apply(claim, "tenant-keyboss", true).ok());
    }

    @Test
    void aClusterRoleIsRefused() {
        Map<String, Object> role = yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: keyboss-reader}
                rules:
                  - {apiGroups: [""], resources: [pods], verbs: [get, list]}
                """);
        assertTrue(KubeOracle.get().admin().apply(role, null, true).ok(), "the ClusterRole itself is valid");
        refused(role, "Forbidden", "User \"deti-tenant\" cannot patch resource \"clusterroles\"");
    }

    @Test
    void aPrivilegedPodIsRefusedByPodSecurity() {
        Map<String, Object> pod = yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: privileged, namespace: tenant-keyboss}
                spec:
                  containers:
                    - name: shell
                      image: busybox:1.36
                      securityContext: {privileged: true}
                """);
        refused(pod, "Forbidden", "violates PodSecurity \"restricted:latest\": privileged");
    }

    @Test
    void aTraefikMiddlewareIsRefused() {
        Map<String, Object> middleware = yaml("""
                apiVersion: traefik.io/v1alpha1
                kind: Middleware
                metadata: {name: strip-prefix, namespace: tenant-keyboss}
                spec:
                  stripPrefix: {prefixes: [/dashboard]}
                """);
        assertTrue(KubeOracle.get().admin().apply(middleware, null, true).ok(), "the Middleware itself is valid");
        refused(middleware, "Forbidden", "cannot patch resource \"middlewares\" in API group \"traefik.io\"");
    }

    @Test
    void theTenantCannotExecIntoPodsNorScaleDeployments() {
        KubeApi tenant = KubeOracle.get().tenant();
        for (String[] check : new String[][] {{"", "pods", "exec", "create"}, {"apps", "deployments", "scale", "update"}}) {
            KubeApi.Response r = tenant.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
                    KubeApi.json(Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SelfSubjectAccessReview",
                            "spec", Map.of("resourceAttributes", Map.of("namespace", "tenant-keyboss", "group", check[0],
                                    "resource", check[1], "subresource", check[2], "verb", check[3])))));
            assertTrue(r.ok(), r.message());
            assertEquals(Boolean.FALSE, Manifest.map(r.json().get("status")).get("allowed"), check[1] + "/" + check[2]);
        }
    }

    @Test
    void aRoleGrantingMoreThanTheTenantHoldsIsRefused() {
        Map<String, Object> role = yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: exec-into-pods, namespace: tenant-keyboss}
                rules:
                  - {apiGroups: [""], resources: [pods/exec], verbs: [create]}
                """);
        refused(role, "Forbidden", "attempting to grant RBAC permissions not currently held");
    }
}
