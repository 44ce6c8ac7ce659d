package keyboss.charts.model;

import keyboss.charts.core.K8s;

/**
 * CPU, memory and local disk a container requests and may use, in Kubernetes quantity notation.
 * Every container the library writes has all three, so a shared cluster can schedule it and a
 * LimitRange or quota never has to guess.
 *
 * <p>Ephemeral storage is what the container writes to the node's disk besides its volume
 * claims: its logs and, with a read-only root file system, nothing else of its own. The disk
 * {@code emptyDir} scratch folders a construct mounts are added on top of these figures (see
 * {@link K8s#resources(ContainerResources, Size...)}), so the limit always covers them. The
 * four-argument form defaults them to {@value #EPHEMERAL_REQUEST} requested and
 * {@value #EPHEMERAL_LIMIT} at most: logs rotate at 10Mi per container (kubelet's default).
 */
public record ContainerResources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit,
        String ephemeralStorageRequest, String ephemeralStorageLimit) {

    /** Default ephemeral-storage request: the container's logs. */
    /** The resource name of a container's scratch space (logs, writable layer, emptyDirs). */
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String EPHEMERAL_REQUEST = "32Mi";
    /** Default ephemeral-storage limit: logs with room for a burst. */
    public static final String EPHEMERAL_LIMIT = "64Mi";

    public ContainerResources {
        if (cpuRequest == null || memoryRequest == null || cpuLimit == null || memoryLimit == null) {
            throw new IllegalArgumentException("ContainerResources needs cpuRequest, memoryRequest, cpuLimit and"
                    + " memoryLimit, for example new ContainerResources(\"100m\", \"128Mi\", \"500m\", \"256Mi\")");
        }
        if (ephemeralStorageRequest == null || ephemeralStorageLimit == null) {
            throw new IllegalArgumentException("ContainerResources needs ephemeralStorageRequest and ephemeralStorageLimit"
                    + " (or use the four-argument form, which defaults them to " + EPHEMERAL_REQUEST + " and "
                    + EPHEMERAL_LIMIT + ")");
        }
        for (String[] q : new String[][] {{"ephemeralStorageRequest", ephemeralStorageRequest},
                {"ephemeralStorageLimit", ephemeralStorageLimit}}) {
            try {
                Size.parse(q[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ContainerResources " + q[0] + " '" + q[1] + "' is not a size: "
                        + e.getMessage() + "; write it like 64Mi");
            }
        }
        if (Size.parse(ephemeralStorageRequest).isGreaterThan(Size.parse(ephemeralStorageLimit))) {
            throw new IllegalArgumentException("ContainerResources ephemeralStorageRequest " + ephemeralStorageRequest
                    + " is above ephemeralStorageLimit " + ephemeralStorageLimit + "; lower the request or raise the limit");
        }
    }

    /** CPU and memory as given; ephemeral storage {@value #EPHEMERAL_REQUEST} requested, {@value #EPHEMERAL_LIMIT} at most. */
    public ContainerResources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        this(cpuRequest, memoryRequest, cpuLimit, memoryLimit, EPHEMERAL_REQUEST, EPHEMERAL_LIMIT);
    }

    public static ContainerResources of(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        return new ContainerResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit);
    }

    /** The same with other ephemeral-storage figures (logs and anything else written outside volumes). */
    public ContainerResources withEphemeralStorage(String request, String limit) {
        return new ContainerResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit, request, limit);
    }
}
