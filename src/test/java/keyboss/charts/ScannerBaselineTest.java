package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The baseline file's rules and its update, without running the scanners (ScannerBaselineIT runs them). */
class ScannerBaselineTest {

    private static Scanners.Finding f(String scanner, String check, String object) {
        return new Scanners.Finding(scanner, check, object);
    }

    private static final String TEXT = ScannerBaseline.HEADER
            + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\tversion tags are pulled once\n"
            + "checkov\tCKV_K8S_15\tlocal/Deployment/grafana\tversion tags are pulled once\n"
            + "\n"
            + "kube-score\tpod-probes\tdeti/Deployment/celery-worker\tworkers serve no Service\n";

    @Test
    void newAndGoneFindingsAreBothReported() {
        ScannerBaseline baseline = ScannerBaseline.parse(TEXT);
        Set<Scanners.Finding> found = Set.of(f("checkov", "CKV_K8S_15", "deti/Deployment/grafana"),
                f("checkov", "CKV_K8S_15", "deti/Deployment/prometheus"),
                f("kube-score", "pod-probes", "deti/Deployment/celery-worker"));
        assertEquals(Set.of(f("checkov", "CKV_K8S_15", "deti/Deployment/prometheus")), baseline.unexpected(found));
        assertEquals(Set.of(f("checkov", "CKV_K8S_15", "local/Deployment/grafana")), baseline.stale(found));
    }

    @Test
    void anUpdateRewritesTheObjectsAndKeepsEachChecksReason() {
        ScannerBaseline updated = ScannerBaseline.parse(TEXT).update(Set.of(
                f("checkov", "CKV_K8S_15", "deti/Deployment/prometheus"),
                f("checkov", "CKV_K8S_15", "deti/Deployment/grafana")), Map.of());
        assertEquals(ScannerBaseline.HEADER
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\tversion tags are pulled once\n"
                + "checkov\tCKV_K8S_15\tdeti/Deployment/prometheus\tversion tags are pulled once\n", updated.render());
        // The rendered file reads back as the same baseline.
        assertEquals(updated, ScannerBaseline.parse(updated.render()));
    }

    @Test
    void anUpdateWithACheckThatHasNoReasonFailsLoudlyAndNamesTheLineToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScannerBaseline.parse(TEXT).update(
                Set.of(f("checkov", "CKV_K8S_15", "deti/Deployment/grafana"),
                        f("kube-score", "cronjob-has-deadline", "deti/CronJob/postgres-backup"),
                        f("kube-score", "cronjob-has-deadline", "deti/CronJob/valkey-backup")),
                Map.of("kube-score\tcronjob-has-deadline", "CronJob has deadline")));
        assertContainsAll(e.getMessage(), "nothing was written", "kube-score cronjob-has-deadline (CronJob has deadline):"
                + " 2 objects: deti/CronJob/postgres-backup, deti/CronJob/valkey-backup",
                "add: kube-score\tcronjob-has-deadline\tdeti/CronJob/postgres-backup\t<why this is accepted>");
    }

    @Test
    void malformedLinesAndDisagreeingReasonsAreRefusedWithTheirLineNumbers() {
        String header = ScannerBaseline.HEADER;
        int lines = header.split("\n").length;
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ScannerBaseline.parse(header
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\n")).getMessage(), "line " + (lines + 1),
                "4 tab-separated non-empty fields");
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ScannerBaseline.parse(header
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\t \n")).getMessage(), "non-empty");
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ScannerBaseline.parse(header
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\tone\n"
                + "checkov\tCKV_K8S_15\tdeti/Deployment/prometheus\tanother\n")).getMessage(),
                "line " + (lines + 2), "another reason than its earlier lines");
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ScannerBaseline.parse(header
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\tone\n"
                + "checkov\tCKV_K8S_15\tdeti/Deployment/grafana\tone\n")).getMessage(), "listed twice");
    }

    @Test
    void theCommittedBaselineIsWellFormedAndEveryCheckHasAReason() {
        ScannerBaseline committed = ScannerBaseline.read(ScannerBaseline.FILE);
        assertTrue(committed.entries().size() > 0);
        committed.reasons().forEach((check, reason) -> assertTrue(reason.length() > 20, check + ": " + reason));
        // Written by the update, so sorted and grouped: rendering it again changes nothing.
        assertEquals(committed.render(), new String(readCommitted()), "run bin/scan --update-baseline to sort it");
    }

    @Test
    void checkovResourcesBecomeEnvironmentKindAndName() {
        assertEquals("deti/StatefulSet/postgres", Scanners.checkovObject("/deti/postgres.k8s.yaml",
                "StatefulSet.tenant-keyboss.postgres"));
        assertEquals("local/ConfigMap/grafana.dashboards", Scanners.checkovObject("/local/monitoring.k8s.yaml",
                "ConfigMap.keyboss.grafana.dashboards"));
        assertEquals("local/ClusterRole/prometheus", Scanners.checkovObject("/local/monitoring.k8s.yaml",
                "ClusterRole.default.prometheus"));
        assertEquals("3.3.30", Scanners.pinnedCheckov("# comment\nboto3==1.35.49\ncheckov==3.3.30\nzipp==4.1.2\n"));
        assertEquals(List.of("deti", "local"), Scanners.environments(Fixtures.DIST).stream()
                .map(p -> p.getFileName().toString()).toList());
    }

    private static String readCommitted() {
        try {
            return java.nio.file.Files.readString(ScannerBaseline.FILE);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
