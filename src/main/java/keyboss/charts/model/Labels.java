package keyboss.charts.model;

import keyboss.charts.core.EnvironmentChart;

import java.util.Map;

/** The recommended {@code app.kubernetes.io/*} labels. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** Set on every object by {@link EnvironmentChart}. */
    public static final Map<String, String> COMMON = Map.of(PART_OF, "keyboss", MANAGED_BY, "keyboss-charts");

    private Labels() {
    }

    /** Labels of a workload and its objects: {@code name} identifies it, {@code component} says its role. */
    public static Map<String, String> of(String name, String component) {
        return Map.of(NAME, name, COMPONENT, component);
    }

    /** The pod selector of a workload named {@code name}. */
    public static Map<String, String> selector(String name) {
        return Map.of(NAME, name);
    }
}
