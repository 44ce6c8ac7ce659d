package keyboss.charts.core;

import keyboss.charts.network.Connection;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Labels;
import keyboss.charts.network.ObjectRef;

import java.util.Collections;
import java.util.WeakHashMap;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A chart bound to one {@link Environment}: every object gets the environment's namespace and
 * the common labels, and no name gets a cdk8s hash. Constructs inside it find the chart and its
 * environment with {@link #of}.
 */
public class EnvironmentChart extends Chart implements ProblemHolder, ProblemRegistry {

    // Chart.of returns the jsii object; this maps it back to the Java subclass instance.
    private static final Map<Chart, EnvironmentChart> CHARTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Environment environment;
    private final ConstructProblems problems = new ConstructProblems(this);
    private final java.util.List<SyncWaves.Edge> dependencies = new java.util.ArrayList<>();
    private final java.util.Set<ObjectRef> syncHooks = new java.util.LinkedHashSet<>();
    private final java.util.List<Connected> connected = new java.util.ArrayList<>();
    private final java.util.List<ProblemHolder> problemHolders = new java.util.ArrayList<>();

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
        CHARTS.put(this, this);
    }

    public Environment environment() {
        return environment;
    }

    /**
     * The folder of this chart's files under the environment's own ({@code dist/<env>/}), ending
     * in {@code /}; empty (the default) for the environment's folder itself.
     */
    public String folder() {
        return "";
    }

    /**
     * Whether Argo CD syncs this chart's files (the default): they get sync waves and are listed in
     * the environment's kustomization. A chart applied by hand or once at bootstrap says false.
     */
    public boolean syncedByArgoCd() {
        return true;
    }

    /**
     * Records that {@code from} needs {@code to} applied and healthy first, for a need that no
     * declared {@link Connection} expresses ({@link SyncWaves} derives the others): the API's pods
     * wait for the migrations Job, which they never connect to. {@code why} is told if it closes a cycle.
     */
    public void dependsOn(ApiObject from, ApiObject to, String why) {
        dependencies.add(new SyncWaves.Edge(ObjectRef.of(from), ObjectRef.of(to), "dependsOn: " + why));
    }

    /** The dependencies recorded with {@link #dependsOn}. */
    public java.util.List<SyncWaves.Edge> dependencies() {
        return java.util.List.copyOf(dependencies);
    }

    /** Marks a Job as an Argo CD Sync hook: re-created and run on every sync, in its wave. */
    public void syncHook(ApiObject job) {
        syncHooks.add(ObjectRef.of(job));
    }

    public java.util.Set<ObjectRef> syncHooks() {
        return java.util.Set.copyOf(syncHooks);
    }

    /** Called by every {@link Component} that is {@link Connected}, in construction order. */
    void addConnected(Connected construct) {
        connected.add(construct);
    }

    /**
     * Registers a construct of this chart that holds problems, so that {@link Problems#of} finds
     * it without walking the construct tree through jsii. Every {@link Component} registers
     * itself; another {@link ProblemHolder} calls this from its constructor.
     */
    public void addProblemHolder(ProblemHolder holder) {
        problemHolders.add(holder);
    }

    /** The chart itself and every registered problem holder of it, in construction order. */
    @Override
    public java.util.List<ProblemHolder> problemHolders() {
        java.util.List<ProblemHolder> all = new java.util.ArrayList<>(java.util.List.of(this));
        all.addAll(problemHolders);
        return all;
    }

    /** The chart's constructs that declare connections, in construction order. */
    public java.util.List<Connected> connected() {
        return java.util.List.copyOf(connected);
    }

    /**
     * Every connection the chart's constructs declare, by the id of the construct declaring it:
     * the one declaration the network policies, the sync waves and the reference checks read.
     */
    public java.util.Map<String, java.util.List<Connection>> connections() {
        java.util.Map<String, java.util.List<Connection>> all = new java.util.LinkedHashMap<>();
        for (Connected c : connected) {
            String id = c instanceof IConstruct construct ? Component.idOf(construct) : c.toString();
            all.computeIfAbsent(id, k -> new java.util.ArrayList<>()).addAll(c.connections());
        }
        return all;
    }

    /** The chart's own input problems (each construct holds its own; {@link Problems#of} collects them all). */
    @Override
    public ConstructProblems problems() {
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
