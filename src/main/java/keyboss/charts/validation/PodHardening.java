package keyboss.charts.validation;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Quantity;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hardened pods, stricter than the API server and Pod Security (a profile turns them on with
 * {@link ClusterProfile#hardenedPods()}): every container (init containers included) runs with
 * a read-only root file system, states its ephemeral-storage request and limit, and never has a
 * liveness probe that is its readiness probe; every emptyDir has a sizeLimit, and the disk ones
 * fit in the pod's ephemeral-storage limit; every pod decides explicitly whether it gets a
 * service account token, and gets one only with a service account of its own.
 */
final class PodHardening {

    /** The handlers a probe runs; two probes check the same thing when these are equal. */
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");

    private PodHardening() {
    }

    /** Every hardening rule the pods of {@code m} break, added to {@code out}. */
    static void check(String environment, Manifest m, List<Problem> out) {
        PodTemplates.Pod pod = PodTemplates.of(m);
        if (pod == null || pod.containers().isEmpty()) {
            return; // no pods, or a template without containers (the schema check reports that)
        }
        Findings f = Findings.of(environment, m, out);
        token(pod, f);
        BigDecimal diskScratch = emptyDirs(pod, f);
        BigDecimal podLimit = BigDecimal.ZERO;
        BigDecimal largestInit = BigDecimal.ZERO;
        boolean everyLimitKnown = true;
        for (PodTemplates.Container c : pod.containers()) {
            if ("ephemeralContainers".equals(c.list())) {
                continue; // added by kubectl debug to a running pod, never part of a manifest
            }
            readOnlyRoot(c, f);
            BigDecimal limit = ephemeralStorage(c, f);
            if (limit == null) {
                everyLimitKnown = false;
            } else if ("initContainers".equals(c.list()) && !"Always".equals(c.fields().get("restartPolicy"))) {
                largestInit = largestInit.max(limit); // init containers run one at a time, before the others
            } else {
                podLimit = podLimit.add(limit);
            }
            probes(c, f);
        }
        podLimit = podLimit.max(largestInit);
        if (everyLimitKnown && diskScratch.compareTo(podLimit) > 0) {
            f.add(pod.specPath("volumes"), mebibytes(diskScratch) + " of disk emptyDirs",
                    "the disk emptyDirs' sizeLimits (" + mebibytes(diskScratch) + ") fit in the pod's ephemeral-storage limit"
                            + " (" + mebibytes(podLimit) + ", the sum of its containers' limits), or the kubelet evicts the"
                            + " pod before a folder is full",
                    "raise the ephemeral-storage limit of the container that writes there, or lower the sizeLimits");
        }
    }

    /** A token only where a container calls the API: stated on the pod, and only with an account of its own. */
    private static void token(PodTemplates.Pod pod, Findings f) {
        Object automount = pod.spec().get("automountServiceAccountToken");
        Object account = pod.spec().get("serviceAccountName");
        String field = pod.specPath("automountServiceAccountToken");
        if (automount == null) {
            f.add(field, null, "every pod states whether it gets a service account token: unset means the"
                    + " API server mounts one, and a token in a pod that never calls the Kubernetes API only helps"
                    + " an intruder", "set automountServiceAccountToken: false, or true with a serviceAccountName of"
                    + " its own where a container calls the API");
        } else if (Findings.isTrue(automount) && (account == null || "".equals(account) || "default".equals(account))) {
            f.add(field, true, "a pod gets a token only with a service account of its own (the 'default' account"
                    + " is every pod's, so whatever it is granted every pod holds)",
                    "set serviceAccountName to the account the container's Role is bound to, or"
                            + " automountServiceAccountToken: false");
        }
    }

    /** Every emptyDir has a sizeLimit; returns the total of those on the node's disk. */
    private static BigDecimal emptyDirs(PodTemplates.Pod pod, Findings f) {
        BigDecimal disk = BigDecimal.ZERO;
        List<Object> volumes = Manifest.list(pod.spec().get("volumes"));
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> volume = Manifest.map(volumes.get(i));
            if (!(volume.get("emptyDir") instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> emptyDir = Manifest.map(volume.get("emptyDir"));
            Quantity size = Quantity.parse(emptyDir.get("sizeLimit"));
            if (size == null) {
                f.add(pod.specPath("volumes") + "[" + i + "].emptyDir.sizeLimit", emptyDir.get("sizeLimit"),
                        "every emptyDir states its sizeLimit (volume " + volume.get("name") + "), so a runaway writer"
                                + " is evicted instead of filling the node's disk",
                        "set emptyDir.sizeLimit to what the program needs, such as 64Mi");
            } else if (!"Memory".equals(emptyDir.get("medium"))) {
                disk = disk.add(size.value());
            }
        }
        return disk;
    }

    private static void readOnlyRoot(PodTemplates.Container c, Findings f) {
        Object value = Manifest.map(c.fields().get("securityContext")).get("readOnlyRootFilesystem");
        if (!Findings.isTrue(value)) {
            f.add(c.path() + ".securityContext.readOnlyRootFilesystem", value, "container " + c.name() + " runs with a"
                    + " read-only root file system", "set readOnlyRootFilesystem: true and mount an emptyDir with a"
                    + " sizeLimit where the program writes (/tmp, a cache or run folder)");
        }
    }

    /** The container's ephemeral-storage limit in bytes, or null when it states none; reports what is missing. */
    private static BigDecimal ephemeralStorage(PodTemplates.Container c, Findings f) {
        Map<String, Object> resources = Manifest.map(c.fields().get("resources"));
        BigDecimal limit = null;
        for (String kind : List.of("requests", "limits")) {
            Object value = Manifest.map(resources.get(kind)).get(ContainerResources.EPHEMERAL_STORAGE);
            Quantity q = Quantity.parse(value);
            if (q == null) {
                f.add(c.path() + ".resources." + kind + "." + ContainerResources.EPHEMERAL_STORAGE, value, "container " + c.name()
                        + " states its ephemeral-storage " + kind + " (logs and scratch folders on the node's disk), so"
                        + " the scheduler and a quota can count it", "set resources." + kind + ".ephemeral-storage,"
                        + " such as 64Mi plus the sizeLimits of the disk emptyDirs it writes");
            } else if ("limits".equals(kind)) {
                limit = q.value();
            }
        }
        return limit;
    }

    /**
     * Liveness is not readiness: liveness asks whether the process is alive (cheap and tolerant,
     * failing means a restart), readiness whether it can serve now.
     */
    private static void probes(PodTemplates.Container c, Findings f) {
        Map<String, Object> liveness = handler(c.fields().get("livenessProbe"));
        Map<String, Object> readiness = handler(c.fields().get("readinessProbe"));
        if (liveness != null && liveness.equals(readiness)) {
            f.add(c.path() + ".livenessProbe", liveness, "container " + c.name() + "'s liveness probe is not its"
                    + " readiness probe: liveness checks that the process is alive (cheap, tolerant; failing restarts"
                    + " it), readiness that it can serve; the same check restarts a pod that is only busy or waiting"
                    + " for a dependency", "give livenessProbe a cheaper check than readinessProbe (a tcpSocket on the"
                    + " port, a /healthz or /-/healthy endpoint)");
        }
    }

    /** The handler of a probe (its exec, httpGet, tcpSocket or grpc part), or null when there is no probe. */
    private static Map<String, Object> handler(Object probe) {
        if (!(probe instanceof Map<?, ?>)) {
            return null;
        }
        Map<String, Object> p = Manifest.map(probe);
        Map<String, Object> h = new LinkedHashMap<>();
        for (String action : PROBE_HANDLERS) {
            if (p.get(action) != null) {
                h.put(action, p.get(action));
            }
        }
        return h.isEmpty() ? null : h;
    }

    private static String mebibytes(BigDecimal bytes) {
        return bytes.divide(BigDecimal.valueOf(1L << 20), 1, java.math.RoundingMode.UP).stripTrailingZeros().toPlainString() + "Mi";
    }
}
