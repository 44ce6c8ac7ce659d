package keyboss.charts.core;

/**
 * A construct that keeps its own input problems ({@link Component}, {@link EnvironmentChart},
 * or a third party's construct): {@link Problems#report} records a problem on the nearest holder
 * at or above the reporting construct, and {@link Problems#of} collects every holder's problems.
 */
public interface ProblemHolder {

    /** This construct's problems, attached to its node as a validation once there is one. */
    ConstructProblems problems();
}
