package keyboss.charts.core;

import keyboss.charts.env.Environment;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Base of the library's constructs: finds its {@link EnvironmentChart} and environment once,
 * registers with the chart, and holds the problems its own input checks report
 * ({@link Problems}; then it builds nothing from the bad input; synthesis refuses and lists
 * every problem). It also remembers its id on the Java side, which saves the synthesizer a jsii
 * round trip per construct when it names files.
 */
public abstract class Component extends Construct implements ProblemHolder {

    private static final Map<IConstruct, String> IDS = Collections.synchronizedMap(new WeakHashMap<>());

    protected final EnvironmentChart chart;
    protected final Environment environment;
    private final ConstructProblems problems = new ConstructProblems(this);

    protected Component(Construct scope, String id) {
        super(scope, id);
        IDS.put(this, id);
        this.chart = EnvironmentChart.of(scope);
        this.environment = chart.environment();
        chart.addProblemHolder(this);
        if (this instanceof Connected connected) {
            chart.addConnected(connected);
        }
    }

    /**
     * Whether an input check of this construct has reported a problem so far: then it built
     * nothing that needed the bad input, and synthesis will refuse and list the problem.
     */
    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** This construct's own problems, also attached to its node as a validation. */
    @Override
    public ConstructProblems problems() {
        return problems;
    }

    /** The id of {@code construct}: from the Java side for a Component, else from its node. */
    public static String idOf(IConstruct construct) {
        String id = IDS.get(construct);
        return id != null ? id : construct.getNode().getId();
    }
}
