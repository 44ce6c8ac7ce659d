package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Test objects written as YAML (as a reviewer reads them), and assertions on the problems found. */
final class Yaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Yaml() {
    }

    /** Every document of {@code text}, as manifests of file {@code test.yaml}. */
    static List<Manifest> manifests(String text) {
        List<Manifest> result = new ArrayList<>();
        try (var docs = YAML.readerForMapOf(Object.class).<Map<String, Object>>readValues(text)) {
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null) {
                    result.add(new Manifest("test.yaml", doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** The problems the API server rules find in {@code text}. */
    static List<Problem> api(String text) {
        return ApiServerRules.check("t", manifests(text));
    }

    /**
     * With {@code -Dkeyboss.rules.cases=FILE}, every accepted and rejected test object is also
     * appended to FILE (one JSON line each), so that a real API server's validation can be run on
     * the same objects and compared.
     */
    private static boolean recordingStarted;

    private static void record(String text, String expected, String field) {
        record(Map.of("yaml", text, "expected", expected, "field", field, "test", caller()));
    }

    /** Records a Pod Security case: the object, the level and the checks the offline rules say it fails. */
    static void recordPodSecurity(String text, PodSecurity.Level level, List<String> checks) {
        record(Map.of("yaml", text, "mode", "psa", "level", level.label(), "expected",
                String.join(",", new java.util.TreeSet<>(checks)), "field", "", "test", caller()));
    }

    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames.filter(f -> f.getClassName().endsWith("Test"))
                .findFirst().map(f -> f.getClassName().replaceAll(".*\\.", "") + "." + f.getMethodName()).orElse(""));
    }

    private static synchronized void record(Map<String, String> fields) {
        String file = System.getProperty("keyboss.rules.cases");
        if (file == null) {
            return;
        }
        try {
            if (!recordingStarted) {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file)); // one run's cases only
                recordingStarted = true;
            }
            String line = new ObjectMapper().writeValueAsString(fields);
            java.nio.file.Files.writeString(java.nio.file.Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that exactly the problems on {@code field} (and no others) are found, and that one says {@code rule}. */
    static Problem rejects(Function<String, List<Problem>> check, String text, String field, String rule) {
        record(text, "reject", field);
        List<Problem> problems = check.apply(text);
        List<Problem> onField = problems.stream().filter(p -> p.property().equals(field)).toList();
        if (onField.isEmpty() || onField.size() != problems.size()) {
            fail("expected problems on " + field + " only, got " + problems);
        }
        return onField.stream().filter(p -> p.allowed().contains(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem on " + field + " says '" + rule + "': " + onField));
    }

    static void accepts(Function<String, List<Problem>> check, String text) {
        record(text, "accept", "");
        assertEquals(List.of(), check.apply(text));
    }
}
