package keyboss.charts;

import java.util.List;
import java.util.Set;

/**
 * What a cluster admits, as a named, reusable set of rules that {@link ClusterRules} checks:
 * namespace, storage, cluster-scoped kinds, forbidden API groups, permissions a Role may not
 * grant, and the workload rules (pinned images, resources on every container, Pod Security
 * "restricted" unless a workload documents an exception in {@link #SECURITY_EXCEPTION}).
 */
public record ClusterProfile(
        String name,
        String namespace,
        boolean createNamespace,
        String storageClass,
        Size maxVolumeSize,
        boolean clusterScopedAllowed,
        Set<String> forbiddenApiGroups,
        List<Permission> deniedPermissions,
        boolean restrictedPodSecurity,
        boolean requireResources,
        Set<String> otherNamespaces) {

    /**
     * Annotation on a workload explaining why its pods cannot meet Pod Security "restricted";
     * with a reason, those checks are skipped for it (and only for it).
     */
    public static final String SECURITY_EXCEPTION = "keyboss.io/pod-security-exception";

    /**
     * The rules of {@code environment}, with the workload rules on. Besides its namespace, its
     * Argo CD Applications may live in Argo CD's.
     */
    public static ClusterProfile of(Environment environment) {
        return new ClusterProfile(environment.name(), environment.namespace(), environment.createNamespace(),
                environment.storageClass(), environment.maxVolumeSize(), environment.clusterScopedAllowed(),
                environment.forbiddenApiGroups(), environment.deniedPermissions(), true, true,
                Set.of(environment.gitOps().applicationNamespace(environment.namespace())));
    }

    /** Whether objects may live in {@code other}. */
    public boolean admitsNamespace(String other) {
        return other != null && (namespace.equals(other) || otherNamespaces.contains(other));
    }

    /** The profile of a built-in environment ({@code local}, {@code deti}). */
    public static ClusterProfile named(String name) {
        return of(Environment.builtIn(name));
    }

    public boolean admitsVolume(Size size) {
        return !size.isGreaterThan(maxVolumeSize);
    }
}
