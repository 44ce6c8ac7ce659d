package keyboss.charts;

import keyboss.charts.validation.ApiServerRules;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;

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

    /** Asserts that exactly the problems on {@code field} (and no others) are found, and that one says {@code rule}. */
    static Problem rejects(Function<String, List<Problem>> check, String text, String field, String rule) {
        List<Problem> problems = check.apply(text);
        List<Problem> onField = problems.stream().filter(p -> p.property().equals(field)).toList();
        if (onField.isEmpty() || onField.size() != problems.size()) {
            fail("expected problems on " + field + " only, got " + problems);
        }
        return onField.stream().filter(p -> p.allowed().contains(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem on " + field + " says '" + rule + "': " + onField));
    }

    static void accepts(Function<String, List<Problem>> check, String text) {
        assertEquals(List.of(), check.apply(text));
    }
}
