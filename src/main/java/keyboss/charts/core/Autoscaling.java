package keyboss.charts.core;

/**
 * How a Deployment scales: the replica range, the CPU and memory utilization targets, and the
 * stabilization windows that keep it from flapping (seed 3.2).
 */
public record Autoscaling(int minReplicas, int maxReplicas, int cpuPercent, int memoryPercent,
        int scaleUpWindowSeconds, int scaleDownWindowSeconds) {

    public static Autoscaling of(int minReplicas, int maxReplicas, int scaleUpWindowSeconds) {
        return new Autoscaling(minReplicas, maxReplicas, 70, 80, scaleUpWindowSeconds, 300);
    }

    public Autoscaling withReplicas(int min, int max) {
        return new Autoscaling(min, max, cpuPercent, memoryPercent, scaleUpWindowSeconds, scaleDownWindowSeconds);
    }

    public Autoscaling withTargets(int cpu, int memory) {
        return new Autoscaling(minReplicas, maxReplicas, cpu, memory, scaleUpWindowSeconds, scaleDownWindowSeconds);
    }

    public Autoscaling withWindows(int up, int down) {
        return new Autoscaling(minReplicas, maxReplicas, cpuPercent, memoryPercent, up, down);
    }

    /** Reports every problem to {@code scope}; an HA component needs at least two replicas. */
    public void validate(software.constructs.IConstruct scope, String property) {
        Checks.between(scope, property + ".minReplicas", minReplicas, 2, 100,
                "replicas (high availability needs a second pod while one restarts)", "use at least 2");
        if (maxReplicas < minReplicas) {
            Problems.report(scope, property + ".maxReplicas", maxReplicas,
                    "not below minReplicas " + minReplicas, "raise maxReplicas to at least " + minReplicas
                            + " or lower minReplicas");
        } else {
            Checks.between(scope, property + ".maxReplicas", maxReplicas, 2, 100, "replicas", "use at least 2");
        }
        Checks.between(scope, property + ".cpuPercent", cpuPercent, 1, 100, "percent of the CPU request",
                "use 70 (the seed's target)");
        Checks.between(scope, property + ".memoryPercent", memoryPercent, 1, 100, "percent of the memory request",
                "use 80 (the seed's target)");
        Checks.between(scope, property + ".scaleUpWindowSeconds", scaleUpWindowSeconds, 0, 3600, "seconds",
                "use 60");
        Checks.between(scope, property + ".scaleDownWindowSeconds", scaleDownWindowSeconds, 0, 3600, "seconds",
                "use 300");
    }
}
