package keyboss.charts.env;

/**
 * How the members of any replicated component (database members, Valkey data pods, Sentinels,
 * or any other set of pods whose point is to survive the loss of one node) are spread over nodes
 * with pod anti-affinity on {@code kubernetes.io/hostname}. The environment says which applies
 * ({@link Environment#podSpread()}); {@code Workloads.spreadMembers} turns it into an affinity.
 */
public enum PodSpread {
    /**
     * Preferred: members go to different nodes when the scheduler can, and a cluster that may
     * have a single node (local k3d) still schedules every member.
     */
    PREFERRED,
    /**
     * Required: no two members ever share a node, so one node failure takes at most one; for
     * clusters with at least as many schedulable nodes as members (deti has 12). A member that
     * finds no free node stays Pending rather than sharing one.
     */
    REQUIRED
}
