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
 * the common labels, and no name gets a cdk8s hash. Constructs inside it find the environment
 * with {@link #environmentOf}.
 */
public class EnvironmentChart extends Chart {

    private static final Map<Chart, Environment> ENVIRONMENTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Environment environment;

    public EnvironmentChart(Construct scope, String id, Environment environment) {
        super(scope, id, ChartProps.builder()
                .namespace(environment.namespace())
                .labels(Labels.COMMON)
                .disableResourceNameHashes(true)
                .build());
        this.environment = environment;
        ENVIRONMENTS.put(this, environment);
    }

    public Environment environment() {
        return environment;
    }

    /** The environment of the chart that holds {@code scope}. */
    public static Environment environmentOf(IConstruct scope) {
        Environment environment = ENVIRONMENTS.get(Chart.of(scope));
        if (environment == null) {
            throw new IllegalStateException(scope.getNode().getPath() + " is not inside an EnvironmentChart;"
                    + " create it in a KeybossChart or an EnvironmentChart so it knows its cluster");
        }
        return environment;
    }
}
