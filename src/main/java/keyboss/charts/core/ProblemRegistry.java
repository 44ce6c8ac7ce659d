package keyboss.charts.core;

import java.util.List;

/**
 * A construct that knows every {@link ProblemHolder} below it (an {@link EnvironmentChart}, to
 * which each {@link Component} registers itself), so that {@link Problems#of} reads their
 * problems without walking the construct tree one jsii call per construct.
 */
public interface ProblemRegistry {

    /** Every problem holder below this construct, this one included if it holds problems, in construction order. */
    List<ProblemHolder> problemHolders();
}
