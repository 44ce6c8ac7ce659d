package keyboss.charts;

import keyboss.charts.model.Excerpt;
import keyboss.charts.lab.Exec;
import keyboss.charts.lab.MonitoringTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The peer scanners this project does not write, run on the synthesized manifests: checkov
 * (PyPI, every dependency pinned in {@code src/test/scanners/checkov-requirements.txt}, installed
 * into {@code target/tools/checkov-venv}) and kube-score (Go module proxy, {@link #KUBE_SCORE_VERSION},
 * built into {@code target/tools}). Each is installed on first use and reused while its pin is
 * unchanged, so a test that needs them never skips.
 */
final class Scanners {

    /** kube-score's version (kube-linter, the other candidate, is not served by the Go module proxy). */
    static final String KUBE_SCORE_VERSION = "v1.20.0";
    static final Path REQUIREMENTS = Path.of("src", "test", "scanners", "checkov-requirements.txt").toAbsolutePath();
    private static final Path TOOLS = MonitoringTools.TOOLS;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finding: which scanner, which of its checks, on which object ({@code environment/Kind/name}). */
    record Finding(String scanner, String check, String object) implements Comparable<Finding> {
        @Override
        public int compareTo(Finding o) {
            return key().compareTo(o.key());
        }

        private String key() {
            return scanner + "\t" + check + "\t" + object;
        }
    }

    /**
     * What one run found: the findings, each check's title (for messages), how many objects each
     * scanner read, and how long each took.
     */
    record Scan(TreeSet<Finding> findings, Map<String, String> titles, Map<String, Integer> objectsRead,
            Map<String, Long> millis, Map<String, String> versions) {
    }

    private Scanners() {
    }

    /** Runs both scanners on every environment folder of {@code dist}. */
    static Scan scan(Path dist) {
        TreeSet<Finding> findings = new TreeSet<>();
        Map<String, String> titles = new TreeMap<>();
        Map<String, Integer> read = new TreeMap<>();
        Map<String, Long> millis = new TreeMap<>();
        Map<String, String> versions = new TreeMap<>();

        Path checkov = checkov();
        long start = System.nanoTime();
        read.put("checkov", checkov(checkov, dist, findings, titles, versions));
        millis.put("checkov", (System.nanoTime() - start) / 1_000_000);

        Path kubeScore = kubeScore();
        versions.put("kube-score", KUBE_SCORE_VERSION);
        start = System.nanoTime();
        int objects = 0;
        for (Path env : environments(dist)) {
            objects += kubeScore(kubeScore, env, findings, titles);
        }
        read.put("kube-score", objects);
        millis.put("kube-score", (System.nanoTime() - start) / 1_000_000);
        return new Scan(findings, titles, read, millis, versions);
    }

    /** The environment folders of {@code dist} (local, deti, ...). */
    static List<Path> environments(Path dist) {
        try (Stream<Path> s = Files.list(dist)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dist + ": " + e.getMessage(), e);
        }
    }

    /** checkov's kubernetes checks on all of {@code dist}, in one run (its start-up is most of its time). */
    private static int checkov(Path checkov, Path dist, TreeSet<Finding> findings, Map<String, String> titles,
            Map<String, String> versions) {
        Map<String, String> env = MonitoringTools.buildEnv();
        // No platform account: nothing to download or upload; the checks ship in the package.
        env.put("BC_SKIP_MAPPING", "TRUE");
        Exec.Result r = Exec.run(List.of(checkov.toString(), "--directory", ".", "--framework", "kubernetes",
                "--output", "json", "--quiet", "--compact", "--skip-download"), env, dist, 600);
        // 0: no failed check, 1: failed checks; anything else is checkov failing.
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, "checkov failed (exit " + r.exitCode() + "):\n"
                + r.stderr());
        try {
            JsonNode root = JSON.readTree(r.stdout());
            // One report per framework: an object, or a list when several ran.
            List<JsonNode> reports = new ArrayList<>();
            if (root.isArray()) {
                root.forEach(reports::add);
            } else {
                reports.add(root);
            }
            int resources = 0;
            for (JsonNode report : reports) {
                assertEquals("kubernetes", report.path("check_type").asText(), "checkov ran another framework");
                JsonNode summary = report.path("summary");
                assertEquals(0, summary.path("parsing_errors").asInt(), "checkov could not parse some of dist/: "
                        + report.path("results").path("parsing_errors"));
                resources += summary.path("resource_count").asInt();
                // The report names the version that ran (a second start of checkov for --version costs seconds).
                String version = summary.path("checkov_version").asText();
                assertEquals(pinnedCheckov(Files.readString(REQUIREMENTS)), version,
                        "the checkov that ran is not the pinned version; remove target/tools/checkov-venv");
                versions.put("checkov", version);
                for (JsonNode f : report.path("results").path("failed_checks")) {
                    String check = f.path("check_id").asText();
                    findings.add(new Finding("checkov", check, checkovObject(f.path("file_path").asText(),
                            f.path("resource").asText())));
                    titles.put("checkov\t" + check, f.path("check_name").asText());
                }
            }
            return resources;
        } catch (IOException e) {
            throw new AssertionError("checkov's JSON report is unreadable: " + e.getMessage() + "\n"
                    + Excerpt.cut(r.stdout(), 2000), e);
        }
    }

    /** {@code deti/StatefulSet/postgres} from the file {@code /deti/postgres.k8s.yaml} and the resource {@code StatefulSet.tenant-keyboss.postgres}. */
    static String checkovObject(String file, String resource) {
        String environment = file.replaceFirst("^/+", "").split("/", 2)[0];
        String[] parts = resource.split("\\.", 3);
        // Kind.namespace.name; a name may hold dots, a namespace may not.
        String name = parts.length == 3 ? parts[2] : parts[parts.length - 1];
        return environment + "/" + parts[0] + "/" + name;
    }

    /** kube-score's checks on one environment's manifests; findings are the checks not graded "all OK". */
    private static int kubeScore(Path kubeScore, Path env, TreeSet<Finding> findings, Map<String, String> titles) {
        List<String> command = new ArrayList<>(List.of(kubeScore.toString(), "score", "--output-format", "json"));
        try (Stream<Path> files = Files.walk(env)) {
            files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().forEach(f -> command.add(f.toString()));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + env + ": " + e.getMessage(), e);
        }
        Exec.Result r = Exec.run(command, MonitoringTools.buildEnv(), 300);
        // 0: nothing critical, 1: critical findings; anything else is kube-score failing.
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, "kube-score failed (exit " + r.exitCode() + "):\n"
                + r.stderr());
        try {
            JsonNode objects = JSON.readTree(r.stdout());
            assertTrue(objects.isArray(), "kube-score printed no list of objects:\n" + Excerpt.cut(r.stdout(), 2000));
            for (JsonNode o : objects) {
                String object = env.getFileName() + "/" + o.path("type_meta").path("kind").asText() + "/"
                        + o.path("object_meta").path("name").asText();
                for (JsonNode c : o.path("checks")) {
                    // Grades: 10 all OK, 7 almost OK, 5 warning, 1 critical; a skipped check is graded 0.
                    if (c.path("skipped").asBoolean() || c.path("grade").asInt() >= 10) {
                        continue;
                    }
                    String check = c.path("check").path("id").asText();
                    findings.add(new Finding("kube-score", check, object));
                    titles.put("kube-score\t" + check, c.path("check").path("name").asText());
                }
            }
            return objects.size();
        } catch (IOException e) {
            throw new AssertionError("kube-score's JSON report is unreadable: " + e.getMessage(), e);
        }
    }

    /** checkov in its venv, installed from the pinned requirements when they changed. */
    static synchronized Path checkov() {
        Path venv = TOOLS.resolve("checkov-venv");
        Path checkov = venv.resolve("bin/checkov");
        Path stamp = venv.resolve("requirements.installed");
        try {
            String requirements = Files.readString(REQUIREMENTS);
            if (!Files.exists(stamp) || !Files.readString(stamp).equals(requirements) || !Files.isExecutable(checkov)) {
                Exec.Result v = Exec.run(List.of(Exec.require("python3", "apt-get install -y python3 python3-venv"),
                        "-m", "venv", "--clear", venv.toString()), MonitoringTools.buildEnv(), 300);
                assertEquals(0, v.exitCode(), "python3 -m venv failed (bin/test installs python3-venv):\n" + v.output());
                Exec.Result pip = Exec.run(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "--no-input", "-r", REQUIREMENTS.toString()),
                        MonitoringTools.buildEnv(), 1800);
                assertEquals(0, pip.exitCode(), "pip install of checkov's pinned requirements failed:\n" + pip.output());
                Files.writeString(stamp, requirements);
            }
            pinnedCheckov(requirements);
            return checkov;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code checkov==X} line of the requirements. */
    static String pinnedCheckov(String requirements) {
        Matcher m = Pattern.compile("(?m)^checkov==(\\S+)$").matcher(requirements);
        assertTrue(m.find(), REQUIREMENTS + " pins no checkov version (a line checkov==X.Y.Z)");
        return m.group(1);
    }

    /** kube-score at {@link #KUBE_SCORE_VERSION}, built with the machine's Go on first use. */
    static synchronized Path kubeScore() {
        Path dir = TOOLS.resolve("kube-score-" + KUBE_SCORE_VERSION);
        Path bin = dir.resolve("kube-score");
        if (!Files.isExecutable(bin)) {
            Map<String, String> env = MonitoringTools.buildEnv();
            env.put("GOBIN", dir.toString());
            Exec.Result r = Exec.run(List.of(Exec.require("go", "install Go (1.22 or later)"), "install",
                    "github.com/zegl/kube-score/cmd/kube-score@" + KUBE_SCORE_VERSION), env, 1800);
            assertEquals(0, r.exitCode(), "go install of kube-score " + KUBE_SCORE_VERSION + " failed:\n" + r.output());
        }
        // go install leaves no version in the binary's own output; its build information has it.
        Exec.Result built = Exec.run(List.of("go", "version", "-m", bin.toString()), MonitoringTools.buildEnv(), 60);
        assertTrue(built.stdout().contains("github.com/zegl/kube-score\t" + KUBE_SCORE_VERSION), built.output());
        return bin;
    }
}
