package keyboss.charts;

import keyboss.charts.model.Excerpt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The reviewed scanner findings on dist/ (src/test/scanners/baseline.tsv): one line per finding,
 * {@code scanner <TAB> check <TAB> object <TAB> reason}, grouped by check. The reason belongs to
 * the check: every line of one check carries the same one, so that {@link #update} can rewrite
 * the object lists after a merge and keep the reasons.
 */
record ScannerBaseline(TreeMap<Scanners.Finding, String> entries) {

    static final Path FILE = Path.of("src", "test", "scanners", "baseline.tsv");

    static final String HEADER = """
            # Scanner findings on dist/ that were reviewed and accepted: scanner, check id, object
            # (environment/Kind/name) and why, tab-separated, one finding a line. The reason belongs to
            # the check id: all lines of a check carry the same one. ScannerBaselineIT fails on a finding
            # missing here and on a line whose finding is gone. After fixing or merging, refresh the object
            # lists with bin/scan --update-baseline: it keeps each check's reason and fails on a new check,
            # which needs one line with a reason written by a reviewer first (README, "Peer scanners").
            """;

    /** Reads {@code text}; a malformed line is an error naming its number and what a line holds. */
    static ScannerBaseline parse(String text) {
        TreeMap<Scanners.Finding, String> entries = new TreeMap<>();
        Map<String, String> reasons = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4 || java.util.Arrays.stream(f).anyMatch(String::isBlank)) {
                problems.add("line " + (i + 1) + ": expected 4 tab-separated non-empty fields (scanner, check, object,"
                        + " reason), got " + f.length + ": " + Excerpt.cut(line, 120));
                continue;
            }
            Scanners.Finding finding = new Scanners.Finding(f[0], f[1], f[2]);
            if (entries.put(finding, f[3].strip()) != null) {
                problems.add("line " + (i + 1) + ": " + f[0] + " " + f[1] + " " + f[2] + " is listed twice");
            }
            String earlier = reasons.putIfAbsent(checkKey(finding), f[3].strip());
            if (earlier != null && !earlier.equals(f[3].strip())) {
                problems.add("line " + (i + 1) + ": " + f[0] + " " + f[1] + " has another reason than its earlier lines;"
                        + " a reason belongs to the check, give all its lines the same one");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(FILE + " is malformed:\n  " + String.join("\n  ", problems));
        }
        return new ScannerBaseline(entries);
    }

    static ScannerBaseline read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new AssertionError("cannot read the scanner baseline " + file + ": " + e.getMessage(), e);
        }
    }

    Set<Scanners.Finding> findings() {
        return entries.keySet();
    }

    /** Each check's reason, keyed {@code scanner <TAB> check}. */
    Map<String, String> reasons() {
        Map<String, String> reasons = new TreeMap<>();
        entries.forEach((finding, reason) -> reasons.putIfAbsent(checkKey(finding), reason));
        return reasons;
    }

    /** Findings of {@code found} not in this baseline: each needs a fix or a reviewed line. */
    TreeSet<Scanners.Finding> unexpected(Set<Scanners.Finding> found) {
        TreeSet<Scanners.Finding> out = new TreeSet<>(found);
        out.removeAll(findings());
        return out;
    }

    /** Lines of this baseline whose finding {@code found} lacks: fixed, so the line goes. */
    TreeSet<Scanners.Finding> stale(Set<Scanners.Finding> found) {
        TreeSet<Scanners.Finding> out = new TreeSet<>(findings());
        out.removeAll(found);
        return out;
    }

    /**
     * The baseline for exactly {@code found}, each line with its check's reason from this one.
     * A check this baseline has no reason for is an error listing its objects and the line to add.
     */
    ScannerBaseline update(Set<Scanners.Finding> found, Map<String, String> titles) {
        Map<String, String> reasons = reasons();
        Map<String, List<Scanners.Finding>> missing = new TreeMap<>();
        TreeMap<Scanners.Finding, String> entries = new TreeMap<>();
        for (Scanners.Finding f : new TreeSet<>(found)) {
            String reason = reasons.get(checkKey(f));
            if (reason == null) {
                missing.computeIfAbsent(checkKey(f), k -> new ArrayList<>()).add(f);
            } else {
                entries.put(f, reason);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder message = new StringBuilder("the scanners report checks that " + FILE + " gives no reason for;"
                    + " nothing was written. Fix each finding, or review it and add one line per check with its reason"
                    + " (the update fills in the other objects), then run bin/scan --update-baseline again:");
            missing.forEach((check, list) -> {
                message.append("\n  ").append(check.replace('\t', ' ')).append(" (")
                        .append(titles.getOrDefault(check, "?")).append("): ").append(list.size()).append(" objects: ")
                        .append(list.stream().map(Scanners.Finding::object).collect(Collectors.joining(", ")))
                        .append("\n    add: ").append(check).append('\t').append(list.get(0).object())
                        .append("\t<why this is accepted>");
            });
            throw new IllegalStateException(message.toString());
        }
        return new ScannerBaseline(entries);
    }

    /** The file's text: the header, then the lines sorted by scanner, check and object. */
    String render() {
        StringBuilder out = new StringBuilder(HEADER);
        String previous = null;
        for (Map.Entry<Scanners.Finding, String> e : entries.entrySet()) {
            Scanners.Finding f = e.getKey();
            if (previous != null && !previous.equals(checkKey(f))) {
                out.append('\n');
            }
            previous = checkKey(f);
            out.append(f.scanner()).append('\t').append(f.check()).append('\t').append(f.object()).append('\t')
                    .append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    static String checkKey(Scanners.Finding f) {
        return f.scanner() + "\t" + f.check();
    }
}
