package keyboss.charts.model;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One synthesized Kubernetes object and the file (relative to the environment's folder) it is written to. */
public record Manifest(String file, Map<String, Object> object) {

    /** {@code v1}, {@code apps/v1}, {@code autoscaling/v2}, {@code batch/v1beta1}. */
    public static final Pattern API_VERSION = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?");

    public String apiVersion() {
        return string(object.get("apiVersion"));
    }

    /** The API group: {@code ""} for the core group, {@code apps} for {@code apps/v1}. */
    public String apiGroup() {
        String v = apiVersion();
        return v == null || !v.contains("/") ? "" : v.substring(0, v.indexOf('/'));
    }

    public String kind() {
        return string(object.get("kind"));
    }

    public Map<String, Object> metadata() {
        return map(object.get("metadata"));
    }

    public String name() {
        return string(metadata().get("name"));
    }

    public String namespace() {
        return string(metadata().get("namespace"));
    }

    /** {@code Kind/name}, how problems name an object. */
    public String id() {
        return kind() + "/" + name();
    }

    /** The value at a dotted path such as {@code spec.template.spec}, or null. */
    public Object at(String path) {
        Object current = object;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** A field read from input is a string only if it is one: {@code kind: 42} is not a kind. */
    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
