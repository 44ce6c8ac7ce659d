package keyboss.charts.validation;

import keyboss.charts.model.Excerpt;
import keyboss.charts.model.Manifest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks an object against a CustomResourceDefinition's {@code openAPIV3Schema} the way the API
 * server does under Strict field validation: unknown fields (unless the schema preserves them),
 * required fields, types (integers by their {@code format}), enums, patterns, items and
 * additional properties. {@code metadata} is the API server's own, checked by the metadata rules.
 *
 * <p>Only the keywords a structural schema of {@code crds.yaml} uses are understood; any other
 * keyword is refused when the schema is loaded, so a schema never checks less than it says.
 */
public final class StructuralSchema {

    /** The keywords understood; {@code description} and {@code default} do not constrain a value written. */
    static final List<String> KEYWORDS = List.of("type", "format", "properties", "required", "items", "additionalProperties",
            "enum", "pattern", "anyOf", "description", "default", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-int-or-string", "x-kubernetes-map-type", "x-kubernetes-list-type", "x-kubernetes-list-map-keys");

    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final Map<String, Object> root;

    private StructuralSchema(Map<String, Object> root) {
        this.root = root;
    }

    /** The schema {@code openAPIV3Schema}; fails naming {@code where} on a keyword it does not understand. */
    public static StructuralSchema of(Map<String, Object> openApiV3Schema, String where) {
        verify(openApiV3Schema, where);
        return new StructuralSchema(openApiV3Schema);
    }

    private static void verify(Map<String, Object> schema, String where) {
        for (String keyword : schema.keySet()) {
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException(where + ": the schema keyword `" + keyword + "` is not understood by"
                        + " StructuralSchema (it understands " + String.join(", ", KEYWORDS) + ")");
            }
        }
        if (schema.get("pattern") instanceof String p) {
            pattern(p);
        }
        Manifest.map(schema.get("properties")).forEach((name, s) -> verify(Manifest.map(s), where + "." + name));
        if (schema.get("items") instanceof Map<?, ?> items) {
            verify(Manifest.map(items), where + "[]");
        }
        if (schema.get("additionalProperties") instanceof Map<?, ?> additional) {
            verify(Manifest.map(additional), where + ".*");
        }
        for (Object alternative : Manifest.list(schema.get("anyOf"))) {
            verify(Manifest.map(alternative), where + " (anyOf)");
        }
    }

    /** Every error of {@code object}, each naming its field; empty when it conforms. */
    List<String> errors(Map<String, Object> object) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> top = new java.util.LinkedHashMap<>(object);
        if (top.get("metadata") instanceof Map<?, ?>) {
            top.put("metadata", Map.of()); // ObjectMeta: the metadata rules check it, as the server does
        }
        check(root, top, "", errors);
        return errors;
    }

    private static void check(Map<String, Object> schema, Object value, String path, List<String> errors) {
        String at = path.isEmpty() ? "the object" : "`" + path + "`";
        if (value == null) {
            errors.add(at + " is null; the API server drops or refuses a null of a schema field");
            return;
        }
        List<Object> anyOf = Manifest.list(schema.get("anyOf"));
        boolean intOrString = Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"));
        if (intOrString) {
            if (!(value instanceof String) && !isInteger(value)) {
                errors.add(at + " is " + Excerpt.of(value) + ": an integer or a string");
                return;
            }
        } else if (!anyOf.isEmpty()) {
            boolean any = anyOf.stream().anyMatch(a -> {
                List<String> e = new ArrayList<>();
                check(Manifest.map(a), value, path, e);
                return e.isEmpty();
            });
            if (!any) {
                errors.add(at + " is " + Excerpt.of(value) + ", which matches none of the schema's alternatives");
                return;
            }
        }
        Object type = schema.get("type");
        if (type != null && !typeError(String.valueOf(type), schema.get("format"), value, at, errors)) {
            return;
        }
        List<Object> allowed = Manifest.list(schema.get("enum"));
        if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.equals(value) || a instanceof Number x && value instanceof Number y
                && new BigDecimal(String.valueOf(x)).compareTo(new BigDecimal(String.valueOf(y))) == 0)) {
            errors.add(at + " is " + Excerpt.of(value) + ", not one of " + Excerpt.cut(allowed.toString(), 200));
        }
        if (schema.get("pattern") instanceof String p && value instanceof String s && !pattern(p).matcher(s).find()) {
            errors.add(at + " is " + Excerpt.of(s) + ", which does not match the pattern " + Excerpt.cut(p, 200));
        }
        if (value instanceof Map<?, ?> map) {
            object(schema, Manifest.map(map), path, errors);
        } else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(Manifest.map(items), list.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static void object(Map<String, Object> schema, Map<String, Object> map, String path, List<String> errors) {
        Map<String, Object> properties = Manifest.map(schema.get("properties"));
        Object additional = schema.get("additionalProperties");
        boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
        for (Object required : Manifest.list(schema.get("required"))) {
            if (!map.containsKey(String.valueOf(required))) {
                errors.add("the required field `" + join(path, String.valueOf(required)) + "` is missing");
            }
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String field = join(path, e.getKey());
            if (properties.containsKey(e.getKey())) {
                check(Manifest.map(properties.get(e.getKey())), e.getValue(), field, errors);
            } else if (additional instanceof Map<?, ?> each) {
                check(Manifest.map(each), e.getValue(), field, errors);
            } else if (!preserve && !Boolean.TRUE.equals(additional)) {
                errors.add("the field `" + field + "` is not defined in the schema (unknown field)");
            }
        }
    }

    /** False when {@code value} is not of {@code type}, with the error added. */
    private static boolean typeError(String type, Object format, Object value, String at, List<String> errors) {
        boolean ok = switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "number" -> value instanceof Number;
            case "integer" -> isInteger(value);
            default -> false;
        };
        if (!ok) {
            errors.add(at + " is " + Excerpt.of(value) + ", not " + ("integer".equals(type) ? "an integer" : "a" + ("object".equals(type)
                    || "array".equals(type) ? "n " : " ") + type) + " as the schema says");
            return false;
        }
        if ("integer".equals(type)) {
            BigInteger n = new BigDecimal(String.valueOf(value)).toBigIntegerExact();
            boolean int32 = "int32".equals(format);
            BigInteger min = int32 ? BigInteger.valueOf(Integer.MIN_VALUE) : INT64_MIN;
            BigInteger max = int32 ? BigInteger.valueOf(Integer.MAX_VALUE) : INT64_MAX;
            if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
                errors.add(at + " is " + Excerpt.of(value) + ", outside the range of " + (int32 ? "int32" : "int64"));
                return false;
            }
        }
        return true;
    }

    private static boolean isInteger(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short) {
            return true;
        }
        if (value instanceof Number n) {
            try {
                new BigDecimal(String.valueOf(n)).toBigIntegerExact();
                return true;
            } catch (ArithmeticException | NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** An OpenAPI pattern (ECMA/RE2 in practice) as a Java pattern; unanchored, as the API server matches it. */
    private static Pattern pattern(String p) {
        return PATTERNS.computeIfAbsent(p, text -> {
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the schema pattern " + Excerpt.cut(text, 200) + " is not a valid regular expression", e);
            }
        });
    }
}
