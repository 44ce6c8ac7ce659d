package keyboss.charts;

/**
 * How the members of a replicated stateful set (database members, Valkey pods, Sentinels) are
 * spread over nodes with pod anti-affinity on {@code kubernetes.io/hostname}.
 */
public enum PodSpread {
    /** Preferred: a cluster that may have a single node (local k3d) still schedules every member. */
    PREFERRED,
    /**
     * Required: no two members ever share a node, so one node failure takes at most one; for
     * clusters with at least as many nodes as members (deti has 12).
     */
    REQUIRED
}
