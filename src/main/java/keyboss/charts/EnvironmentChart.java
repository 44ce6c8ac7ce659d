package keyboss.charts;

import java.util.Collections;
import java.util.WeakHashMap;
import java.util.Map;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A chart bound to one {@link Environment}: every object gets the environment's namespace and
 * the common labels, and no name gets a cdk8s hash. Constructs inside it find the chart, its
 * environment and where to report problems with {@link #of}.
 */
public class EnvironmentChart extends Chart {

    // Chart.of returns the jsii object; this maps it back to the Java subclass instance.
    private static final Map<Chart, EnvironmentChart> CHARTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Environment environment;
    private final Problems problems;

    public EnvironmentChart(Construct scope, String id, Environment environment) {
        super(scope, id, ChartProps.builder()
                .namespace(environment.namespace())
                .labels(Labels.COMMON)
                .disableResourceNameHashes(true)
                .build());
        this.environment = environment;
        this.problems = Problems.of(this);
        CHARTS.put(this, this);
    }

    public Environment environment() {
        return environment;
    }

    /** Where the constructs of this chart report input problems (shared by the whole app). */
    public Problems problems() {
        return problems;
    }

    /** The EnvironmentChart that holds {@code scope}. */
    public static EnvironmentChart of(IConstruct scope) {
        // Most scopes are the chart itself or one of the library's constructs: no jsii call needed.
        if (scope instanceof EnvironmentChart chart) {
            return chart;
        }
        if (scope instanceof Component component) {
            return component.chart;
        }
        EnvironmentChart chart = CHARTS.get(Chart.of(scope));
        if (chart == null) {
            throw new IllegalStateException(scope.getNode().getPath() + " is not inside an EnvironmentChart;"
                    + " create it in a KeybossChart or an EnvironmentChart so it knows its cluster");
        }
        return chart;
    }
}
