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
    private final java.util.List<SyncWaves.Edge> dependencies = new java.util.ArrayList<>();
    private final java.util.Set<String> syncHooks = new java.util.LinkedHashSet<>();

    public EnvironmentChart(Construct scope, String id, Environment environment) {
        this(scope, id, environment, environment.namespace());
    }

    /** A chart of {@code environment} whose objects live in {@code namespace} (Argo CD's, say). */
    protected EnvironmentChart(Construct scope, String id, Environment environment, String namespace) {
        super(scope, id, ChartProps.builder()
                .namespace(namespace)
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

    /** Records that object {@code from} (Kind/name) needs {@code to} applied and healthy first. */
    public void dependsOn(String from, String to) {
        dependencies.add(new SyncWaves.Edge(from, to));
    }

    public java.util.List<SyncWaves.Edge> dependencies() {
        return java.util.List.copyOf(dependencies);
    }

    /** Marks a Job (Kind/name) as an Argo CD Sync hook: re-created and run on every sync, in its wave. */
    public void syncHook(String job) {
        syncHooks.add(job);
    }

    public java.util.Set<String> syncHooks() {
        return java.util.Set.copyOf(syncHooks);
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
