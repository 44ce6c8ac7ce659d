package keyboss.charts.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One Prometheus alerting rule: the condition, how long it must hold ({@code for}), its
 * severity and the service it concerns (Alertmanager groups by service and lets a critical
 * alert silence the warnings of the same service), and what a person reads when it fires.
 */
public record AlertRule(String name, String expr, String forDuration, Severity severity, String service,
        String summary, String description) {

    public enum Severity {
        CRITICAL, WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Pattern DURATION = Pattern.compile("^([0-9]+(ms|s|m|h|d|w|y))+$");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    /** Why this rule cannot be rendered, or null. */
    public String problem() {
        if (name == null || !NAME.matcher(name).matches()) {
            return "alert name '" + name + "' is not a Prometheus name (letters, digits, '_')";
        }
        if (forDuration == null || !DURATION.matcher(forDuration).matches()) {
            return "alert " + name + ": for '" + forDuration + "' is not a duration such as 30s, 5m or 1h30m";
        }
        if (expr == null || expr.isBlank()) {
            return "alert " + name + " has no expression";
        }
        if (severity == null || service == null || summary == null || description == null) {
            return "alert " + name + " needs a severity, a service, a summary and a description";
        }
        return null;
    }

    /** The rule as Prometheus reads it. */
    public Map<String, Object> toPrometheus() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("alert", name);
        rule.put("expr", expr);
        rule.put("for", forDuration);
        rule.put("labels", Map.of("severity", severity.label(), "service", service));
        rule.put("annotations", Map.of("summary", summary, "description", description));
        return rule;
    }
}
