package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * checkov and kube-score, run on the committed dist/, find exactly what the reviewed baseline
 * (src/test/scanners/baseline.tsv) lists: a new finding fails (fix it or review it into the
 * baseline), and so does a baseline line whose finding is gone (so the baseline stays true).
 * With {@code -Dkeyboss.scanner.updateBaseline=true} (bin/scan --update-baseline) it rewrites the
 * baseline's object lists instead, keeping each check's reason.
 */
class ScannerBaselineIT {

    @Test
    void theScannersFindExactlyWhatTheBaselineLists() throws IOException {
        Scanners.Scan scan = Scanners.scan(Fixtures.DIST);
        String summary = summary(scan);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "scanner-report.txt"), summary);
        System.out.println(summary);
        // Control: the reports were read (a parse that found nothing must not pass as "no findings").
        assertTrue(scan.objectsRead().get("checkov") > 100, "checkov read too few resources: " + scan.objectsRead());
        assertTrue(scan.objectsRead().get("kube-score") > 100, "kube-score read too few objects: " + scan.objectsRead());

        ScannerBaseline baseline = ScannerBaseline.read(ScannerBaseline.FILE);
        if (Boolean.getBoolean("keyboss.scanner.updateBaseline")) {
            ScannerBaseline updated = baseline.update(scan.findings(), scan.titles());
            Files.writeString(ScannerBaseline.FILE, updated.render());
            System.out.println("bin/scan: wrote " + ScannerBaseline.FILE + ": " + updated.entries().size() + " lines ("
                    + baseline.unexpected(scan.findings()).size() + " added, " + baseline.stale(scan.findings()).size()
                    + " removed)");
            return;
        }
        TreeSet<Scanners.Finding> unexpected = baseline.unexpected(scan.findings());
        TreeSet<Scanners.Finding> stale = baseline.stale(scan.findings());
        if (!unexpected.isEmpty() || !stale.isEmpty()) {
            StringBuilder message = new StringBuilder("the scanners' findings on dist/ differ from " + ScannerBaseline.FILE);
            if (!unexpected.isEmpty()) {
                message.append("\nnew findings (fix them, or review them into the baseline with a reason):");
                unexpected.forEach(f -> message.append("\n  ").append(f.scanner()).append(' ').append(f.check())
                        .append(' ').append(f.object()).append(" (")
                        .append(scan.titles().get(ScannerBaseline.checkKey(f))).append(')'));
            }
            if (!stale.isEmpty()) {
                message.append("\nbaseline lines no longer found (fixed: remove them):");
                stale.forEach(f -> message.append("\n  ").append(f.scanner()).append(' ').append(f.check())
                        .append(' ').append(f.object()));
            }
            message.append("\nbin/scan --update-baseline rewrites the object lists, keeping each check's reason.");
            fail(message.toString());
        }
    }

    private static String summary(Scanners.Scan scan) {
        StringBuilder out = new StringBuilder("Peer scanners on dist/:");
        for (String scanner : scan.versions().keySet()) {
            out.append(String.format("%n  %s %s: %d objects read, %d ms", scanner, scan.versions().get(scanner),
                    scan.objectsRead().get(scanner), scan.millis().get(scanner)));
        }
        Map<String, Integer> byCheck = new TreeMap<>();
        scan.findings().forEach(f -> byCheck.merge(ScannerBaseline.checkKey(f), 1, Integer::sum));
        out.append(String.format("%n  %d findings:", scan.findings().size()));
        byCheck.forEach((check, n) -> out.append(String.format("%n    %-50s %3d  %s", check.replace('\t', ' '), n,
                scan.titles().get(check))));
        return out.append('\n').toString();
    }
}
