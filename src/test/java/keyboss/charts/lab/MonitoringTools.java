package keyboss.charts.lab;

import keyboss.charts.env.MetricCatalog;
import keyboss.charts.env.MonitoringImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real tools the monitoring tests run, built or installed under {@code target/tools} on
 * first use (later runs reuse them): the PromQL label checker (src/test/go/promql-labels, on
 * the Prometheus parser of the pinned Prometheus' release line), Alertmanager and amtool at the
 * version {@link MonitoringImages} pins (built from the Go module proxy: Debian's 0.25 lacks the
 * {@code url_file} the receivers use), and a Python venv with the probe exporter's pinned
 * requirements (from PyPI).
 */
public final class MonitoringTools {

    public static final Path TOOLS = Path.of("target", "tools").toAbsolutePath();
    static final Path EXPORTER = Path.of("images", "keyboss-exporter").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringTools() {
    }

    /** The environment a Go or pip build needs: PATH, HOME and the caches under it. */
    public static Map<String, String> buildEnv() {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("HOME", "GOPATH", "GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "PIP_INDEX_URL")) {
            if (System.getenv(name) != null) {
                env.put(name, System.getenv(name));
            }
        }
        return env;
    }

    static synchronized Path promqlLabels() {
        Path bin = TOOLS.resolve("promql-labels");
        Path source = Path.of("src", "test", "go", "promql-labels").toAbsolutePath();
        if (!Files.exists(bin) || newer(source, bin)) {
            Exec.Result r = Exec.run(List.of(Exec.require("go", "install Go (1.22 or later)"), "-C", source.toString(),
                    "build", "-o", bin.toString(), "."), buildEnv(), 900);
            assertEquals(0, r.exitCode(), "go build of promql-labels failed:\n" + r.output());
        }
        return bin;
    }

    /** {@code alertmanager} or {@code amtool} at the pinned Alertmanager version. */
    public static synchronized Path alertmanager(String command) {
        String image = MonitoringImages.defaults().alertmanager().image();
        String version = image.substring(image.lastIndexOf(':') + 1);
        Path dir = TOOLS.resolve("alertmanager-" + version);
        Path bin = dir.resolve(command);
        if (!Files.exists(dir.resolve("alertmanager")) || !Files.exists(dir.resolve("amtool"))) {
            Map<String, String> env = buildEnv();
            env.put("GOBIN", dir.toString());
            Exec.Result r = Exec.run(List.of(Exec.require("go", "install Go (1.22 or later)"), "install",
                    "github.com/prometheus/alertmanager/cmd/alertmanager@" + version,
                    "github.com/prometheus/alertmanager/cmd/amtool@" + version), env, 1800);
            assertEquals(0, r.exitCode(), "go install of Alertmanager " + version + " failed:\n" + r.output());
        }
        Exec.Result built = Exec.run(List.of("go", "version", "-m", bin.toString()), buildEnv(), 60);
        assertTrue(built.stdout().contains("github.com/prometheus/alertmanager\t" + version), built.output());
        return bin;
    }

    /** The venv's python with the exporter's pinned requirements installed. */
    static synchronized Path exporterPython() {
        Path venv = TOOLS.resolve("keyboss-exporter-venv");
        Path python = venv.resolve("bin/python");
        Path requirements = EXPORTER.resolve("requirements.txt");
        Path stamp = venv.resolve("requirements.installed");
        try {
            if (Files.exists(stamp) && Files.readString(stamp).equals(Files.readString(requirements))) {
                return python;
            }
            Exec.Result v = Exec.run(List.of(Exec.require("python3", "apt-get install -y python3 python3-venv"),
                    "-m", "venv", "--clear", venv.toString()), buildEnv(), 300);
            assertEquals(0, v.exitCode(), "python3 -m venv failed (bin/test installs python3-venv):\n" + v.output());
            Exec.Result pip = Exec.run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-input", "-r", requirements.toString()), buildEnv(), 900);
            assertEquals(0, pip.exitCode(), "pip install of the exporter's requirements failed:\n" + pip.output());
            Files.writeString(stamp, Files.readString(requirements));
            return python;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean newer(Path sourceDir, Path bin) {
        try (var files = Files.list(sourceDir)) {
            long built = Files.getLastModifiedTime(bin).toMillis();
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        } catch (IOException e) {
            return true;
        }
    }

    /** One expression's findings from promql-labels. */
    public record Finding(String id, List<String> families, List<String> problems) {
    }

    /** Checks {@code queries} (id to PromQL) against what {@code catalog}'s Prometheus holds. */
    public static Map<String, Finding> check(MetricCatalog catalog, Map<String, String> queries) {
        try {
            List<Object> list = new ArrayList<>();
            queries.forEach((id, expr) -> list.add(Map.of("id", id, "expr", expr)));
            Path in = Files.createTempFile("promql", ".json");
            Files.writeString(in, JSON.writeValueAsString(Map.of("families", catalog.labelsByFamily(), "queries", list)));
            Exec.Result r = Exec.run(List.of("sh", "-c", "exec \"$0\" < \"$1\"", promqlLabels().toString(), in.toString()),
                    Map.of(), 120);
            Files.deleteIfExists(in);
            assertEquals(0, r.exitCode(), r.output());
            List<Finding> findings = JSON.readValue(r.stdout(), new TypeReference<List<Finding>>() { });
            Map<String, Finding> byId = new LinkedHashMap<>();
            findings.forEach(f -> byId.put(f.id(), f));
            return byId;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A free TCP port on 127.0.0.1 (bound and released; the caller binds it next). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The body of a GET, or null when there is no answer (yet). */
    public static String get(String url) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            if (c.getResponseCode() >= 400) {
                return null;
            }
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** One sample of the Prometheus text format. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final java.util.regex.Pattern SAMPLE = java.util.regex.Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The samples of a /metrics page. */
    public static List<Sample> parseExposition(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            java.util.regex.Matcher m = SAMPLE.matcher(line.trim());
            assertTrue(m.matches(), "not a sample line: " + line);
            Map<String, String> labels = new java.util.TreeMap<>();
            if (m.group(2) != null) {
                java.util.regex.Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    /** The probe exporter from images/keyboss-exporter, run with the venv's python; stop it with destroy(). */
    public static Process startExporter(Map<String, String> env, Path log) {
        try {
            ProcessBuilder pb = new ProcessBuilder(exporterPython().toString(), EXPORTER.resolve("keyboss_exporter.py").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code check} until it returns a value or {@code seconds} pass; then fails with {@code what}. */
    public static <T> T await(int seconds, String what, java.util.function.Supplier<T> check) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
    }
}
