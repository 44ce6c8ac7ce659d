package keyboss.charts.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How values become text: the one YAML style of every file in {@code dist/} and of the
 * configuration files inside ConfigMaps, and indented JSON (dashboards, reports). Both go
 * through {@link #stable}, so the same input gives the same bytes in every JVM.
 */
public final class Rendering {

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .build();

    private Rendering() {
    }

    /** One object as YAML. */
    public static String toYaml(Object object) {
        try {
            return YAML.writeValueAsString(stable(object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an object as YAML: " + e.getMessage(), e);
        }
    }

    /** A value as indented JSON (for reports, dashboards). */
    public static String toJson(Object value) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(stable(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code value} with every map that has no order of its own (Map.of, HashMap) replaced by a
     * copy sorted by key, recursively; ordered maps keep their order. Map.of iterates differently
     * in each JVM, and both jsii and the YAML writer keep iteration order, so every free-form map
     * that reaches a JSON patch or a rendered file goes through here: same input, same bytes.
     */
    public static Object stable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = map instanceof LinkedHashMap || map instanceof SortedMap
                    ? new LinkedHashMap<>() : new TreeMap<>();
            map.forEach((key, v) -> copy.put(String.valueOf(key), stable(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Rendering::stable).toList();
        }
        return value;
    }
}
