package keyboss.charts;

import keyboss.charts.cli.KubeApi;
import keyboss.charts.lab.KubeOracle;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.cli.ServerCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * dist/ on a real Kubernetes API server (bin/kube-oracle): dist/deti applied as the deti tenant,
 * dist/local as cluster admin, each with server-side apply and Strict field validation. A
 * refusal, any warning header and any pod the controllers could not create fail the test.
 */
class ApiServerDistIT {

    private static void assertClean(String what, ServerCheck.Report report) {
        assertTrue(report.clean(), what + ": the API server found problems:\n" + String.join("\n", report.problemLines()));
        assertTrue(report.controllerNotes().stream().anyMatch(n -> n.startsWith("every pod of")),
                what + ": the controllers created no pods: " + report.controllerNotes());
    }

    @Test
    void detiIsAcceptedForTheTenantWithoutWarningsAndItsPodsAreCreated() {
        ServerCheck.Report report = KubeOracle.get().detiApplied();
        assertEquals(KubeOracle.synced("deti").size(),
                report.verdicts().stream().filter(v -> !v.what().contains("dry-run Pod")).count(), "every object was sent");
        assertClean("dist/deti as the tenant", report);
        // The tenant really is restricted: its Pod Security level is "restricted", so the clean
        // result above means every pod passed it.
        KubeApi.Response ns = KubeOracle.get().admin().get("/api/v1/namespaces/tenant-keyboss");
        assertEquals("restricted", Manifest.map(Manifest.map(ns.json().get("metadata")).get("labels"))
                .get("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void localIsAcceptedForTheAdminWithoutWarningsAndItsPodsAreCreated() {
        assertClean("dist/local as cluster admin", KubeOracle.get().localApplied());
    }

    @Test
    void opsJobsPassADryRun() {
        KubeOracle oracle = KubeOracle.get();
        // The references of the ops jobs (ServiceAccounts, claims) exist once their environment is applied.
        oracle.detiApplied();
        oracle.localApplied();
        ServerCheck.Report deti = ServerCheck.apply(oracle.tenant(), ManifestReader.read(Path.of("dist/deti/ops")),
                oracle.tenantNamespace(), true, Duration.ofSeconds(30));
        assertTrue(deti.verdicts().size() >= 2, "dist/deti/ops has jobs: " + deti.verdicts());
        assertTrue(deti.clean(), "dist/deti/ops as the tenant:\n" + String.join("\n", deti.problemLines()));
        ServerCheck.Report local = ServerCheck.apply(oracle.admin(), ManifestReader.read(Path.of("dist/local/ops")),
                "default", true, Duration.ofSeconds(30));
        assertTrue(local.clean(), "dist/local/ops as admin:\n" + String.join("\n", local.problemLines()));
    }

    /**
     * Argo CD Applications go where each environment keeps them: deti's in the tenant's namespace
     * (applied as the tenant), local's in the argocd namespace (as admin). They are applied for
     * real: no Argo CD runs here, so nothing acts on them.
     */
    @Test
    void argoApplicationsAreAcceptedWhereTheyLive() {
        KubeOracle oracle = KubeOracle.get();
        for (String folder : List.of("argocd", "argocd-root")) {
            ServerCheck.Report deti = ServerCheck.apply(oracle.tenant(), ManifestReader.read(Path.of("dist/deti", folder)),
                    oracle.tenantNamespace(), false, Duration.ofSeconds(30));
            assertEquals(1, deti.verdicts().size(), "dist/deti/" + folder + " holds one Application");
            assertTrue(deti.clean(), "dist/deti/" + folder + " as the tenant:\n" + String.join("\n", deti.problemLines()));
            ServerCheck.Report local = ServerCheck.apply(oracle.admin(), ManifestReader.read(Path.of("dist/local", folder)),
                    "default", false, Duration.ofSeconds(30));
            assertTrue(local.clean(), "dist/local/" + folder + " as admin:\n" + String.join("\n", local.problemLines()));
        }
        assertTrue(oracle.tenant().get("/apis/argoproj.io/v1alpha1/namespaces/tenant-keyboss/applications/keyboss").ok());
        assertTrue(oracle.admin().get("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/keyboss").ok());
    }
}
