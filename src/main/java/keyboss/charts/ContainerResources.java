package keyboss.charts;

/**
 * CPU and memory a container requests and may use, in Kubernetes quantity notation.
 * Every container the library writes has both, so a shared cluster can schedule it and a
 * LimitRange or quota never has to guess.
 */
public record ContainerResources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {

    public ContainerResources {
        if (cpuRequest == null || memoryRequest == null || cpuLimit == null || memoryLimit == null) {
            throw new IllegalArgumentException("ContainerResources needs cpuRequest, memoryRequest, cpuLimit and"
                    + " memoryLimit, for example new ContainerResources(\"100m\", \"128Mi\", \"500m\", \"256Mi\")");
        }
    }

    public static ContainerResources of(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        return new ContainerResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit);
    }
}
