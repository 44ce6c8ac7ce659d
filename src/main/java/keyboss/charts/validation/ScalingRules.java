package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;
import keyboss.charts.model.Quantity;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server requires of HorizontalPodAutoscalers (autoscaling/v2) and
 * PodDisruptionBudgets (policy/v1): replica bounds, a target named with its API group, metrics
 * with exactly their own source and a positive target, scaling policies in range; a budget with
 * one of minAvailable and maxUnavailable, as a count or a percentage of at most 100%.
 */
final class ScalingRules {

    private static final Set<String> METRIC_TYPES = Findings.setOf("Object", "Pods", "Resource", "External", "ContainerResource");
    private static final Map<String, String> METRIC_FIELD = Map.of("Object", "object", "Pods", "pods",
            "Resource", "resource", "External", "external", "ContainerResource", "containerResource");

    private ScalingRules() {
    }

    static void check(Manifest m, Findings f) {
        switch (m.apiGroup() + "/" + m.kind()) {
            case "autoscaling/HorizontalPodAutoscaler" -> {
                if (m.apiVersion().endsWith("/v2")) {
                    autoscaler(Manifest.map(m.object().get("spec")), f);
                }
            }
            case "policy/PodDisruptionBudget" -> budget(Manifest.map(m.object().get("spec")), f);
            default -> { }
        }
    }

    private static void autoscaler(Map<String, Object> spec, Findings f) {
        Long min = Findings.integer(spec.get("minReplicas"));
        Long max = Findings.integer(spec.get("maxReplicas"));
        if (min != null && min < 1) {
            f.add("spec.minReplicas", min, "minReplicas is at least 1", "set minReplicas: 1 or more");
        }
        if (max == null || max < 1) {
            f.add("spec.maxReplicas", spec.get("maxReplicas"), "maxReplicas is greater than 0", "set maxReplicas");
        } else if (min != null && max < min) {
            f.add("spec.maxReplicas", max, "maxReplicas is at least minReplicas (" + min + ")", "raise maxReplicas");
        }
        reference(Manifest.map(spec.get("scaleTargetRef")), "spec.scaleTargetRef", false, f);
        List<Object> metrics = Manifest.list(spec.get("metrics"));
        for (int i = 0; i < metrics.size(); i++) {
            metric(Manifest.map(metrics.get(i)), "spec.metrics[" + i + "]", f);
        }
        Map<String, Object> behavior = Manifest.map(spec.get("behavior"));
        for (String direction : List.of("scaleUp", "scaleDown")) {
            if (behavior.get(direction) != null) {
                rules(Manifest.map(behavior.get(direction)), "spec.behavior." + direction, f);
            }
        }
    }

    /** A cross-version object reference: kind and name as URL path segments, apiVersion with its group. */
    private static void reference(Map<String, Object> ref, String at, boolean allowCoreGroup, Findings f) {
        for (String field : List.of("kind", "name")) {
            String problem = Names.pathSegmentProblem(ref.get(field) instanceof String s ? s : null);
            if (problem != null) {
                f.add(at + "." + field, ref.get(field), "the target's " + field + " is required: " + problem,
                        "name the target, for example kind: Deployment");
            }
        }
        Object version = ref.get("apiVersion");
        String v = version instanceof String s ? s : "";
        if (!allowCoreGroup && (!v.contains("/") || v.startsWith("/"))) {
            f.add(at + ".apiVersion", version, "the target's apiVersion names its API group (group/version)",
                    "write apiVersion: apps/v1");
        } else if (v.chars().filter(c -> c == '/').count() > 1 || v.endsWith("/")) {
            f.add(at + ".apiVersion", version, "apiVersion is group/version", "write apiVersion: apps/v1");
        }
    }

    private static void metric(Map<String, Object> metric, String at, Findings f) {
        Object type = metric.get("type");
        if (!METRIC_TYPES.contains(type)) {
            f.add(at + ".type", type, "a metric type is one of " + new java.util.TreeSet<>(METRIC_TYPES), "use Resource");
            return;
        }
        String expected = METRIC_FIELD.get(type);
        for (String other : METRIC_FIELD.values()) {
            if (!other.equals(expected) && metric.get(other) != null) {
                f.add(at + "." + other, "(set)", "a metric of type " + type + " fills only " + expected, "remove " + other);
            }
        }
        Map<String, Object> source = Manifest.map(metric.get(expected));
        if (metric.get(expected) == null) {
            f.add(at + "." + expected, null, "a metric of type " + type + " fills " + expected, "add " + expected);
            return;
        }
        Map<String, Object> target = Manifest.map(source.get("target"));
        String tp = at + "." + expected + ".target";
        Object targetType = target.get("type");
        if (!Findings.setOf("Utilization", "Value", "AverageValue").contains(targetType)) {
            f.add(tp + ".type", targetType, "a target type is Utilization, Value or AverageValue", "use Utilization");
        }
        for (String q : List.of("value", "averageValue")) {
            if (target.get(q) != null) {
                Quantity parsed = Quantity.parse(target.get(q));
                if (parsed == null || parsed.signum() <= 0) {
                    f.add(tp + "." + q, target.get(q), q + " is a positive " + Quantity.FORMAT_HELP, "use a positive amount");
                }
            }
        }
        Object utilization = target.get("averageUtilization");
        Long u = Findings.integer(utilization);
        if (utilization != null && (u == null || u < 1)) {
            f.add(tp + ".averageUtilization", utilization, "averageUtilization is greater than 0", "use a percentage such as 70");
        }
        switch ((String) type) {
            case "Resource", "ContainerResource" -> {
                if (!(source.get("name") instanceof String n) || n.isEmpty()) {
                    f.add(at + "." + expected + ".name", source.get("name"), "a resource metric names its resource",
                            "set name: cpu");
                }
                if ("ContainerResource".equals(type) && !(source.get("container") instanceof String c && Names.isDnsLabel(c))) {
                    f.add(at + ".containerResource.container", source.get("container"), "a container resource metric"
                            + " names the container", "set container");
                }
                boolean hasUtilization = utilization != null;
                boolean hasValue = target.get("averageValue") != null;
                if (hasUtilization == hasValue) {
                    f.add(tp, target, "a resource target sets exactly one of averageUtilization and averageValue",
                            "keep one");
                }
            }
            case "Pods" -> {
                metricName(source, at + ".pods.metric", f);
                if (target.get("averageValue") == null) {
                    f.add(tp + ".averageValue", null, "a Pods metric targets an averageValue", "set averageValue");
                }
            }
            case "Object", "External" -> {
                metricName(source, at + "." + expected + ".metric", f);
                if ("Object".equals(type)) {
                    reference(Manifest.map(source.get("describedObject")), at + ".object.describedObject", true, f);
                }
                if (target.get("value") == null && target.get("averageValue") == null) {
                    f.add(tp + ".value", null, "an " + type + " metric targets a value or averageValue", "set value");
                }
                if ("External".equals(type) && target.get("value") != null && target.get("averageValue") != null) {
                    f.add(tp + ".value", target.get("value"), "an External metric sets value or averageValue, not both",
                            "keep one");
                }
            }
            default -> { }
        }
    }

    private static void metricName(Map<String, Object> source, String at, Findings f) {
        Object name = Manifest.map(source.get("metric")).get("name");
        String problem = Names.pathSegmentProblem(name instanceof String s ? s : null);
        if (problem != null) {
            f.add(at + ".name", name, "a metric is named: " + problem, "name the metric");
        }
    }

    private static void rules(Map<String, Object> rules, String at, Findings f) {
        Object window = rules.get("stabilizationWindowSeconds");
        Long w = Findings.integer(window);
        if (window != null && (w == null || w < 0 || w > 3600)) {
            f.add(at + ".stabilizationWindowSeconds", window, "the stabilization window is from 0 to 3600 seconds",
                    "use a window in that range");
        }
        Object select = rules.get("selectPolicy");
        if (select != null && !Findings.setOf("Max", "Min", "Disabled").contains(select)) {
            f.add(at + ".selectPolicy", select, "selectPolicy is Max, Min or Disabled", "use Max");
        }
        if (rules.containsKey("policies") && Manifest.list(rules.get("policies")).isEmpty()) {
            f.add(at + ".policies", rules.get("policies"), "scaling rules list at least one policy",
                    "add a policy or leave policies out for the defaults");
        }
        List<Object> policies = Manifest.list(rules.get("policies"));
        for (int i = 0; i < policies.size(); i++) {
            Map<String, Object> p = Manifest.map(policies.get(i));
            String pp = at + ".policies[" + i + "]";
            if (!"Pods".equals(p.get("type")) && !"Percent".equals(p.get("type"))) {
                f.add(pp + ".type", p.get("type"), "a scaling policy type is Pods or Percent", "use Percent");
            }
            Long value = Findings.integer(p.get("value"));
            if (value == null || value <= 0) {
                f.add(pp + ".value", p.get("value"), "a scaling policy value is greater than 0", "use a positive value");
            }
            Long period = Findings.integer(p.get("periodSeconds"));
            if (period == null || period <= 0 || period > 1800) {
                f.add(pp + ".periodSeconds", p.get("periodSeconds"), "periodSeconds is from 1 to 1800", "use 60");
            }
        }
        Object tolerance = rules.get("tolerance");
        if (tolerance != null) {
            Quantity q = Quantity.parse(tolerance);
            if (q == null || q.signum() < 0) {
                f.add(at + ".tolerance", tolerance, "tolerance is a non-negative quantity", "use for example 0.1");
            }
        }
    }

    private static void budget(Map<String, Object> spec, Findings f) {
        if (spec.get("minAvailable") != null && spec.get("maxUnavailable") != null) {
            f.add("spec", "minAvailable and maxUnavailable", "a budget sets minAvailable or maxUnavailable, not both",
                    "keep one");
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            if (spec.get(field) != null) {
                intOrPercent(spec.get(field), "spec." + field, true, f);
            }
        }
        if (spec.get("selector") != null) {
            LabelSelectors.selector(spec.get("selector"), "spec.selector", f);
        }
        Object policy = spec.get("unhealthyPodEvictionPolicy");
        if (policy != null && !"IfHealthyBudget".equals(policy) && !"AlwaysAllow".equals(policy)) {
            f.add("spec.unhealthyPodEvictionPolicy", policy, "unhealthyPodEvictionPolicy is IfHealthyBudget or AlwaysAllow",
                    "use one of them");
        }
    }

    /** A count (not negative) or a percentage such as 25% (at most 100% where {@code capped}), as rollouts and budgets take them. */
    static void intOrPercent(Object value, String at, boolean capped, Findings f) {
        if (value instanceof String s) {
            if (!s.matches("[0-9]+%")) {
                f.add(at, s, "a percentage is digits followed by '%' (for example 25%)", "write it as 25% or a number");
            } else if (capped && (s.length() > 13 || Long.parseLong(s.substring(0, s.length() - 1)) > 100)) {
                f.add(at, s, "a percentage is at most 100%", "use at most 100%");
            }
        } else {
            Long n = Findings.integer(value);
            if (n == null || n < 0) {
                f.add(at, value, "a count is a whole number, not negative", "use 0 or more");
            }
        }
    }

    /** The whole value of a count or percentage (0 when it is not one). */
    static long intOrPercentValue(Object value) {
        if (value instanceof String s && s.matches("[0-9]{1,12}%")) {
            return Long.parseLong(s.substring(0, s.length() - 1));
        }
        Long n = Findings.integer(value);
        return n == null ? 0 : n;
    }
}
