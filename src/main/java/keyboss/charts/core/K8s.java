package keyboss.charts.core;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Rendering;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import software.constructs.Construct;
import org.cdk8s.plus25.k8s.Capabilities;
import org.cdk8s.plus25.k8s.ConfigMapVolumeSource;
import org.cdk8s.plus25.k8s.EmptyDirVolumeSource;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.EnvVarSource;
import org.cdk8s.plus25.k8s.ExecAction;
import org.cdk8s.plus25.k8s.IntOrString;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import org.cdk8s.plus25.k8s.LabelSelector;
import org.cdk8s.plus25.k8s.ObjectFieldSelector;
import org.cdk8s.plus25.k8s.ObjectMeta;
import org.cdk8s.plus25.k8s.PersistentVolumeClaimSpec;
import org.cdk8s.plus25.k8s.PersistentVolumeClaimVolumeSource;
import org.cdk8s.plus25.k8s.PodSecurityContext;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.Quantity;
import org.cdk8s.plus25.k8s.ResourceRequirements;
import org.cdk8s.plus25.k8s.SeccompProfile;
import org.cdk8s.plus25.k8s.SecretKeySelector;
import org.cdk8s.plus25.k8s.SecurityContext;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;

/**
 * Small factories for the L1 structs the constructs share. {@link Quantity} and
 * {@link IntOrString} values are created once per value: each creation is a call into the
 * jsii runtime, and the values are immutable.
 */
public final class K8s {

    private static final Map<String, Quantity> QUANTITIES = new ConcurrentHashMap<>();
    private static final Map<Object, IntOrString> INT_OR_STRINGS = new ConcurrentHashMap<>();

    /** Octal 0555: scripts are readable and executable, never writable. */
    static final int SCRIPT_MODE = 0555;

    private K8s() {
    }

    /** See {@link Rendering#stable}. */
    public static Object stable(Object value) {
        return Rendering.stable(value);
    }

    static Quantity quantity(String value) {
        return QUANTITIES.computeIfAbsent(value, Quantity::fromString);
    }

    public static IntOrString intOrString(int value) {
        return INT_OR_STRINGS.computeIfAbsent(value, v -> IntOrString.fromNumber(value));
    }

    public static IntOrString intOrString(String value) {
        return INT_OR_STRINGS.computeIfAbsent(value, v -> IntOrString.fromString(value));
    }

    public static ObjectMeta meta(String name, Map<String, String> labels) {
        return ObjectMeta.builder().name(name).labels(labels).build();
    }

    /**
     * A ConfigMap, built with cdk8s-plus's {@code ConfigMap} (its L2 construct); returns the API
     * object underneath, which references and sync waves name. The L2 writes {@code immutable: false}
     * explicitly (the API's default): these ConfigMaps change with each release.
     */
    public static ApiObject configMap(Construct scope, String id, String name, Map<String, String> labels, Map<String, String> data) {
        org.cdk8s.plus25.ConfigMap map = new org.cdk8s.plus25.ConfigMap(scope, id, org.cdk8s.plus25.ConfigMapProps.builder()
                .metadata(ApiObjectMetadata.builder().name(name).labels(labels).build())
                .data(data)
                .build());
        return ApiObject.of(map);
    }

    /**
     * A ServiceAccount, built with cdk8s-plus's {@code ServiceAccount} (its L2 construct), that
     * mounts no token by default ({@code automountServiceAccountToken: false}): a pod that calls the
     * API says so itself. Returns the API object underneath.
     */
    static ApiObject serviceAccount(Construct scope, String id, String name, Map<String, String> labels) {
        org.cdk8s.plus25.ServiceAccount account = new org.cdk8s.plus25.ServiceAccount(scope, id,
                org.cdk8s.plus25.ServiceAccountProps.builder()
                        .metadata(ApiObjectMetadata.builder().name(name).labels(labels).build())
                        .automountToken(false)
                        .build());
        return ApiObject.of(account);
    }

    public static LabelSelector selector(Map<String, String> matchLabels) {
        return LabelSelector.builder().matchLabels(matchLabels).build();
    }

    public static EnvVar env(String name, String value) {
        return EnvVar.builder().name(name).value(value).build();
    }

    public static EnvVar envFromSecret(String name, String secret, String key) {
        return EnvVar.builder().name(name)
                .valueFrom(EnvVarSource.builder()
                        .secretKeyRef(SecretKeySelector.builder().name(secret).key(key).build())
                        .build())
                .build();
    }

    public static EnvVar envFromField(String name, String fieldPath) {
        return EnvVar.builder().name(name)
                .valueFrom(EnvVarSource.builder()
                        .fieldRef(ObjectFieldSelector.builder().fieldPath(fieldPath).build())
                        .build())
                .build();
    }

    /** Concatenates lists of env vars (a container's own after the shared ones). */
    @SafeVarargs
    public static List<EnvVar> envs(List<EnvVar>... lists) {
        List<EnvVar> all = new ArrayList<>();
        for (List<EnvVar> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    /**
     * Requests and limits of a container: cpu, memory and ephemeral storage. {@code scratch} are
     * the sizes of the disk emptyDirs this container fills (their sizeLimits): they are added to
     * its ephemeral-storage limit, which the kubelet enforces for the pod as a whole, so the pod's
     * limit covers its scratch folders. The request stays the container's own figure: scratch
     * folders are mostly empty, and a request reserves node disk for the pod's whole life.
     */
    public static ResourceRequirements resources(ContainerResources r, Size... scratch) {
        Size limit = Size.parse(r.ephemeralStorageLimit());
        for (Size s : scratch) {
            limit = limit.plus(s);
        }
        return ResourceRequirements.builder()
                .requests(Map.of("cpu", quantity(r.cpuRequest()), "memory", quantity(r.memoryRequest()),
                        EPHEMERAL_STORAGE, quantity(r.ephemeralStorageRequest())))
                .limits(Map.of("cpu", quantity(r.cpuLimit()), "memory", quantity(r.memoryLimit()),
                        EPHEMERAL_STORAGE, quantity(limit.quantity())))
                .build();
    }

    static final String EPHEMERAL_STORAGE = ContainerResources.EPHEMERAL_STORAGE;

    /** Pod-level settings of the Pod Security "restricted" level, running as {@code uid}. */
    public static PodSecurityContext restrictedPod(int uid, int gid) {
        return PodSecurityContext.builder()
                .runAsNonRoot(true)
                .runAsUser(uid)
                .runAsGroup(gid)
                .fsGroup(gid)
                .seccompProfile(SeccompProfile.builder().type("RuntimeDefault").build())
                .build();
    }

    /**
     * Container-level settings of the Pod Security "restricted" level, with a read-only root
     * file system: a program writes only into the volumes mounted for it (see
     * {@link #scratchVolume}), so nothing it writes survives a restart unnoticed.
     */
    public static SecurityContext restrictedContainer() {
        return SecurityContext.builder()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .capabilities(Capabilities.builder().drop(List.of("ALL")).build())
                .build();
    }

    public static Probe execProbe(List<String> command, int periodSeconds, int timeoutSeconds, int failureThreshold) {
        return Probe.builder()
                .exec(ExecAction.builder().command(command).build())
                .periodSeconds(periodSeconds)
                .timeoutSeconds(timeoutSeconds)
                .failureThreshold(failureThreshold)
                .build();
    }

    public static Volume configMapVolume(String volumeName, String configMapName) {
        return Volume.builder().name(volumeName)
                .configMap(ConfigMapVolumeSource.builder().name(configMapName).defaultMode(SCRIPT_MODE).build())
                .build();
    }

    /**
     * An emptyDir on the node's disk holding at most {@code sizeLimit} (the kubelet evicts the pod
     * beyond it). Count it in the ephemeral-storage limit of the container that fills it:
     * {@link #resources(ContainerResources, Size...)}.
     */
    public static Volume scratchVolume(String volumeName, Size sizeLimit) {
        return Volume.builder().name(volumeName)
                .emptyDir(EmptyDirVolumeSource.builder().sizeLimit(quantity(sizeLimit.quantity())).build()).build();
    }

    /** An emptyDir in memory (tmpfs) of at most {@code sizeLimit}, counted in the memory limit of its writers. */
    public static Volume memoryVolume(String volumeName, Size sizeLimit) {
        return Volume.builder().name(volumeName)
                .emptyDir(EmptyDirVolumeSource.builder().medium("Memory").sizeLimit(quantity(sizeLimit.quantity())).build())
                .build();
    }

    public static Volume claimVolume(String volumeName, String claimName) {
        return Volume.builder().name(volumeName)
                .persistentVolumeClaim(PersistentVolumeClaimVolumeSource.builder().claimName(claimName).build())
                .build();
    }

    public static VolumeMount mount(String volumeName, String path) {
        return VolumeMount.builder().name(volumeName).mountPath(path).build();
    }

    public static VolumeMount readOnlyMount(String volumeName, String path) {
        return VolumeMount.builder().name(volumeName).mountPath(path).readOnly(true).build();
    }

    /** A ReadWriteOnce claim spec in the environment's storage class. */
    public static PersistentVolumeClaimSpec claimSpec(Environment environment, Size size) {
        return PersistentVolumeClaimSpec.builder()
                .accessModes(List.of("ReadWriteOnce"))
                .storageClassName(environment.storageClass())
                .resources(ResourceRequirements.builder().requests(Map.of("storage", quantity(size.quantity()))).build())
                .build();
    }

    public static KubePersistentVolumeClaimProps claimTemplate(String name, Map<String, String> labels, Environment environment,
            Size size) {
        return KubePersistentVolumeClaimProps.builder()
                .metadata(meta(name, labels))
                .spec(claimSpec(environment, size))
                .build();
    }
}
