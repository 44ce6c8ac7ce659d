package keyboss.charts.validation;

import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.Permission;
import keyboss.charts.model.Size;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cluster admits, as a named, reusable set of rules that {@link ClusterRules} checks:
 * namespace, storage, cluster-scoped kinds, forbidden API groups, permissions a Role may not
 * grant, the workload rules (pinned images, resources on every container, a Pod Security level,
 * whose checks a workload may skip only by naming them in {@link #SECURITY_EXCEPTION}) and, for a
 * tenant of a shared Argo CD, the project its Applications must use.
 *
 * @param podSecurity  the Pod Security Standards level every pod meets.
 * @param hardenedPods whether pods must be hardened beyond Pod Security ({@link PodHardening}):
 *                     read-only root file systems, ephemeral-storage requests and limits,
 *                     emptyDirs with a sizeLimit, liveness distinct from readiness, service
 *                     account tokens only where stated and with an account of the pod's own.
 * @param argoProject  the Argo CD project of a tenant's Applications (never {@code default}),
 *                     which also may deploy only into {@code namespace}; null where the
 *                     environment runs its own Argo CD.
 * @param imagePolicy  which image tags the cluster admits ({@link ImagePolicy}); null is read as
 *                     {@link ImagePolicy#EXPLICIT_TAG}, the rule every image meets anyway.
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
        PodSecurity.Level podSecurity,
        boolean requireResources,
        boolean hardenedPods,
        Set<String> otherNamespaces,
        String argoProject,
        ImagePolicy imagePolicy) {

    /**
     * Annotation on a workload naming the Pod Security checks its pods cannot meet, and why:
     * {@code "runAsNonRoot,capabilities: nginx starts as root"}. Only those checks are skipped,
     * for that workload only (see {@link PodSecurity}).
     */
    public static final String SECURITY_EXCEPTION = "keyboss.io/pod-security-exception";

    public ClusterProfile {
        imagePolicy = imagePolicy == null ? ImagePolicy.EXPLICIT_TAG : imagePolicy;
        forbiddenApiGroups = Set.copyOf(new TreeSet<>(Objects.requireNonNullElse(forbiddenApiGroups, Set.of())));
        deniedPermissions = List.copyOf(Objects.requireNonNullElse(deniedPermissions, List.of()));
        otherNamespaces = Set.copyOf(new TreeSet<>(Objects.requireNonNullElse(otherNamespaces, Set.of())));
        if (podSecurity == null) {
            throw new IllegalArgumentException("cluster profile '" + name + "': podSecurity is required"
                    + " (PodSecurity.Level.RESTRICTED, BASELINE or PRIVILEGED)");
        }
        if ("default".equals(argoProject)) {
            throw new IllegalArgumentException("cluster profile '" + name + "': a tenant's Argo CD Applications may not"
                    + " use the project 'default' (a shared Argo CD does not open it to tenants); name the tenant's"
                    + " AppProject in the environment's GitOps settings");
        }
    }

    /** This profile, with the namespaces its Argo CD Applications may also live in and their project. */
    public ClusterProfile withArgoCd(Set<String> otherNamespaces, String argoProject) {
        return new ClusterProfile(name, namespace, createNamespace, storageClass, maxVolumeSize, clusterScopedAllowed,
                forbiddenApiGroups, deniedPermissions, podSecurity, requireResources, hardenedPods, otherNamespaces,
                argoProject, imagePolicy);
    }

    /** Whether objects may live in {@code other}. */
    public boolean admitsNamespace(String other) {
        return other != null && (namespace.equals(other) || otherNamespaces.contains(other));
    }

    public boolean admitsVolume(Size size) {
        return !size.isGreaterThan(maxVolumeSize);
    }
}
