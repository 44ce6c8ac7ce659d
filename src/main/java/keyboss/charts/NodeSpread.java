package keyboss.charts;

/**
 * How the members of a replicated store (the PostgreSQL members, the Valkey servers, the
 * Sentinels) are kept apart, by node ({@code kubernetes.io/hostname}). The {@link Environment}
 * says which, as only it knows how many nodes the cluster has.
 */
public enum NodeSpread {
    /**
     * Required anti-affinity: two members never share a node, so one node failure takes at most
     * one member. For clusters with at least as many nodes as members (deti has 12).
     */
    REQUIRED,
    /**
     * Preferred anti-affinity (weight 100): members spread where they can, but still schedule on a
     * cluster that may have a single node (local k3d).
     */
    PREFERRED
}
