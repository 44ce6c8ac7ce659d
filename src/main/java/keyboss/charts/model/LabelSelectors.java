package keyboss.charts.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Label maps and label selectors as the API server validates and evaluates them: keys are
 * qualified names, values are label values (and strings: YAML {@code true} or {@code 8080}
 * unquoted is rejected when the server decodes the object), and a selector's
 * {@code matchLabels} and {@code matchExpressions} ({@code In}, {@code NotIn}, {@code Exists},
 * {@code DoesNotExist}) all have to hold.
 */
public final class LabelSelectors {

    private static final Set<String> OPERATORS = Findings.setOf("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {
    }

    /** Checks a label map at {@code path} (metadata.labels, a selector's matchLabels, a nodeSelector). */
    public static void labels(Object labels, String path, Findings f) {
        for (Map.Entry<String, Object> e : Manifest.map(labels).entrySet()) {
            String keyProblem = Names.qualifiedNameProblem(e.getKey());
            if (keyProblem != null) {
                f.add(path, e.getKey(), "a label key is a qualified name ([prefix/]name, name at most 63 characters):"
                        + " " + keyProblem, "rename the label, for example app.kubernetes.io/name");
            }
            if (!(e.getValue() instanceof String value)) {
                f.add(path + "." + e.getKey(), e.getValue(), "label values are strings; the API server rejects "
                        + (e.getValue() == null ? "null" : "a " + e.getValue().getClass().getSimpleName().toLowerCase()),
                        Excerpt.quoteFix(e.getValue()));
                continue;
            }
            String valueProblem = Names.labelValueProblem(value);
            if (valueProblem != null) {
                f.add(path + "." + e.getKey(), value, valueProblem, "shorten the value or use an annotation for free text");
            }
        }
    }

    /** Checks a LabelSelector ({@code matchLabels}, {@code matchExpressions}) at {@code path}. */
    public static void selector(Object selector, String path, Findings f) {
        Map<String, Object> s = Manifest.map(selector);
        labels(s.get("matchLabels"), path + ".matchLabels", f);
        List<Object> expressions = Manifest.list(s.get("matchExpressions"));
        for (int i = 0; i < expressions.size(); i++) {
            Map<String, Object> e = Manifest.map(expressions.get(i));
            String at = path + ".matchExpressions[" + i + "]";
            Object operator = e.get("operator");
            List<Object> values = Manifest.list(e.get("values"));
            if (!OPERATORS.contains(operator)) {
                f.add(at + ".operator", operator, "a selector operator is In, NotIn, Exists or DoesNotExist",
                        "use one of those operators");
            } else if (("In".equals(operator) || "NotIn".equals(operator)) && values.isEmpty()) {
                f.add(at + ".values", values, "In and NotIn need at least one value", "list the values to match");
            } else if (("Exists".equals(operator) || "DoesNotExist".equals(operator)) && !values.isEmpty()) {
                f.add(at + ".values", values, "Exists and DoesNotExist take no values", "remove values");
            }
            String key = Findings.string(e.get("key"));
            String keyProblem = Names.qualifiedNameProblem(key);
            if (keyProblem != null) {
                f.add(at + ".key", key, "a selector key is a qualified name: " + keyProblem, "name a label key");
            }
            for (Object v : values) {
                String problem = v instanceof String text ? Names.labelValueProblem(text) : "a label value is a string";
                if (problem != null) {
                    f.add(at + ".values", v, problem, "match a valid label value");
                }
            }
        }
    }

    /** Whether the selector has no requirement at all (the API server rejects that for workloads). */
    public static boolean isEmpty(Object selector) {
        Map<String, Object> s = Manifest.map(selector);
        return Manifest.map(s.get("matchLabels")).isEmpty() && Manifest.list(s.get("matchExpressions")).isEmpty();
    }

    /** Whether {@code selector} (a LabelSelector) selects {@code labels}, as the API server evaluates it. */
    public static boolean matches(Object selector, Map<String, Object> labels) {
        Map<String, Object> s = Manifest.map(selector);
        for (Map.Entry<String, Object> e : Manifest.map(s.get("matchLabels")).entrySet()) {
            if (!labels.containsKey(e.getKey()) || !String.valueOf(labels.get(e.getKey())).equals(String.valueOf(e.getValue()))) {
                return false;
            }
        }
        for (Object o : Manifest.list(s.get("matchExpressions"))) {
            Map<String, Object> e = Manifest.map(o);
            String key = String.valueOf(e.get("key"));
            boolean has = labels.containsKey(key);
            List<String> values = Manifest.list(e.get("values")).stream().map(String::valueOf).toList();
            boolean in = has && values.contains(String.valueOf(labels.get(key)));
            boolean holds = switch (String.valueOf(e.get("operator"))) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
