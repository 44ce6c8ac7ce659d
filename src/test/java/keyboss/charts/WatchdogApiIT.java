package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database failover's Kubernetes calls, made by the watchdog script itself (its curl
 * calls, under busybox sh) with a real token of its ServiceAccount from dist/deti, against the
 * oracle: what its Role allows succeeds, anything else is refused.
 */
class WatchdogApiIT {

    private static final String NS = "tenant-keyboss";
    private static KubeOracle oracle;
    private static Path tokenFile;

    @BeforeAll
    static void watchdogToken() throws IOException {
        oracle = KubeOracle.get();
        ServerCheck.Report deti = oracle.detiApplied();
        assertTrue(deti.verdicts().stream().anyMatch(v -> v.what().equals("ServiceAccount/postgres-watchdog") && v.response().ok()),
                "dist/deti's watchdog ServiceAccount was created");
        tokenFile = oracle.dir.resolve("watchdog.token");
        Files.writeString(tokenFile, oracle.serviceAccountToken(NS, "postgres-watchdog"));
    }

    private static String watchdogScript() {
        try {
            return Files.readString(Path.of("src/main/resources/keyboss/charts/scripts/postgres/watchdog.sh"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the watchdog's own kube_patch function (cut from the script) with {@code args}. */
    private static Exec.Result kubePatch(String path, String contentType, String body) {
        String script = watchdogScript();
        int start = script.indexOf("kube_patch() {");
        int end = script.indexOf("\n}\n", start);
        assertTrue(start >= 0 && end > start, "watchdog.sh defines kube_patch()");
        String function = script.substring(start, end + 3);
        return Exec.run(List.of(Exec.require("busybox", "apt-get install -y busybox"), "sh", "-c",
                function + "kube_patch \"$1\" \"$2\" \"$3\"", "kube_patch", path, contentType, body),
                Map.of("KUBE_API", oracle.env.getProperty("KUBE_ORACLE_SERVER"), "KUBE_TOKEN_FILE", tokenFile.toString(),
                        "KUBE_CA_FILE", oracle.ca().toString()), 60);
    }

    private static KubeApi watchdog() {
        try {
            return oracle.admin().as(Files.readString(tokenFile).strip(), oracle.ca());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theConfigMapPatchAndTheRestartAreAllowed() {
        Exec.Result patch = kubePatch("/api/v1/namespaces/" + NS + "/configmaps/keyboss-config", "application/merge-patch+json",
                "{\"data\":{\"POSTGRES_HOST\":\"postgres-1.postgres\"}}");
        assertEquals(0, patch.exitCode(), patch.output());
        Map<String, Object> config = oracle.admin().get("/api/v1/namespaces/" + NS + "/configmaps/keyboss-config").json();
        assertEquals("postgres-1.postgres", Manifest.map(config.get("data")).get("POSTGRES_HOST"));

        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Exec.Result restart = kubePatch("/apis/apps/v1/namespaces/" + NS + "/deployments/saleor-api",
                "application/strategic-merge-patch+json",
                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + now + "\"}}}}}");
        assertEquals(0, restart.exitCode(), restart.output());
        Manifest api = new Manifest("", oracle.admin().get("/apis/apps/v1/namespaces/" + NS + "/deployments/saleor-api").json());
        assertEquals(now, Manifest.map(api.at("spec.template.metadata.annotations")).get("kubectl.kubernetes.io/restartedAt"));
    }

    @Test
    void everythingOutsideItsRoleIsRefused() {
        // The same curl call on objects its Role does not name.
        Exec.Result otherConfig = kubePatch("/api/v1/namespaces/" + NS + "/configmaps/postgres-scripts",
                "application/merge-patch+json", "{\"data\":{\"x\":\"y\"}}");
        assertFalse(otherConfig.exitCode() == 0, "patching another ConfigMap must be refused");
        assertTrue(otherConfig.output().contains("403"), otherConfig.output());
        Exec.Result otherDeployment = kubePatch("/apis/apps/v1/namespaces/" + NS + "/deployments/celery-worker",
                "application/strategic-merge-patch+json", "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"x\":\"y\"}}}}}");
        assertTrue(otherDeployment.output().contains("403"), otherDeployment.output());

        KubeApi sa = watchdog();
        Map<String, KubeApi.Response> refused = new HashMap<>();
        refused.put("delete a Secret", sa.request("DELETE", "/api/v1/namespaces/" + NS + "/secrets/keyboss-secrets", null, null));
        refused.put("exec into a pod", sa.request("POST", "/api/v1/namespaces/" + NS + "/pods/postgres-0/exec?command=sh&stdout=true",
                null, null));
        refused.put("read the ConfigMap", sa.get("/api/v1/namespaces/" + NS + "/configmaps/keyboss-config"));
        refused.put("scale saleor-api", sa.request("PATCH", "/apis/apps/v1/namespaces/" + NS + "/deployments/saleor-api/scale",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":0}}"));
        refused.forEach((what, r) -> {
            assertEquals(403, r.status(), what + ": " + r.message());
            assertTrue(r.message().contains("system:serviceaccount:" + NS + ":postgres-watchdog"), what + ": " + r.message());
        });
    }

    /** A whole failover between two real PostgreSQL servers; its API calls go to the oracle. */
    @Test
    void aRealFailoverRepointsTheConfigMapAndRestartsTheApi() {
        Manifest before = new Manifest("", oracle.admin().get("/apis/apps/v1/namespaces/" + NS + "/deployments/saleor-api").json());
        Object restartedBefore = Manifest.map(before.at("spec.template.metadata.annotations")).get("kubectl.kubernetes.io/restartedAt");
        try (PgCluster cluster = new PgCluster("oracle-failover").up(); KubeApiRecorder unused = new KubeApiRecorder()) {
            cluster.startWatchdog(unused, Map.of("NAMESPACE", NS, "KUBE_API", oracle.env.getProperty("KUBE_ORACLE_SERVER"),
                    "KUBE_TOKEN_FILE", tokenFile.toString(), "KUBE_CA_FILE", oracle.ca().toString()));
            // The watchdog logs the pair once it has found the primary; only then is a kill a failover.
            long deadline = System.currentTimeMillis() + 60_000;
            while (!cluster.watchdogLog().contains("failover after")) {
                assertTrue(System.currentTimeMillis() < deadline, "the watchdog did not start; log: " + cluster.watchdogLog());
                PgCluster.sleep(100);
            }
            cluster.nodes[0].kill();
            String newHost = cluster.nodes[1].hostPort().split(":")[0];
            String host = null;
            while (!newHost.equals(host)) {
                assertTrue(System.currentTimeMillis() < deadline, "the ConfigMap was not repointed; watchdog: " + cluster.watchdogLog());
                PgCluster.sleep(200);
                host = (String) Manifest.map(oracle.admin().get("/api/v1/namespaces/" + NS + "/configmaps/keyboss-config").json()
                        .get("data")).get("POSTGRES_HOST");
            }
            while (!cluster.watchdogLog().contains("FAILOVER COMPLETE")) {
                assertTrue(System.currentTimeMillis() < deadline, "no failover; watchdog: " + cluster.watchdogLog());
                PgCluster.sleep(200);
            }
            assertFalse(cluster.watchdogLog().contains("WARNING: could not"), cluster.watchdogLog());
            assertTrue(unused.requests().isEmpty(), "every call went to the real API server");
            Manifest after = new Manifest("", oracle.admin().get("/apis/apps/v1/namespaces/" + NS + "/deployments/saleor-api").json());
            Object restartedAfter = Manifest.map(after.at("spec.template.metadata.annotations")).get("kubectl.kubernetes.io/restartedAt");
            assertNotNull(restartedAfter, "saleor-api was restarted");
            assertFalse(restartedAfter.equals(restartedBefore), "saleor-api was restarted by this failover");
        }
    }
}
