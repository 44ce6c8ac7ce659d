package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.ImageRef;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a cluster admits, checked on objects before anything is written, or on any folder of
 * manifests: the rules of a {@link ClusterProfile} (namespace, storage class, volume cap,
 * cluster-scoped kinds, forbidden API groups, permissions a Role or binding may not grant, the
 * Argo CD project and destination of a tenant's Applications), pinned images (to a version or
 * digest where the profile's {@link ImagePolicy} says so), resources on every container, no role
 * granting {@code nodes/proxy}, the profile's Pod Security level and hardened pods ({@link PodHardening}).
 */
public final class ClusterRules {

    /** Kinds that live outside any namespace. */
    public static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode",
            "VolumeAttachment", "APIService", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CertificateSigningRequest",
            "FlowSchema", "PriorityLevelConfiguration", "ClusterIssuer");

    private ClusterRules() {
    }

    /** Every rule of {@code profile} broken by {@code manifests}; empty when the cluster admits them all. */
    public static List<Problem> check(ClusterProfile profile, List<Manifest> manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.kind() == null) {
                continue; // no kind: the schema check reports it, nothing else applies
            }
            checkObject(profile, m, problems);
            Findings f = Findings.of(profile.name(), m, problems);
            RbacRules.checkDenied(profile.name(), profile.deniedPermissions(), m, f);
            RbacRules.checkNodesProxy(m, f);
            ArgoRules.check(profile, m, f);
            if (PodTemplates.of(m) != null) {
                String where = profile.name() + "/" + m.file() + " " + m.id();
                if (profile.requireResources()) {
                    checkResources(where, m, problems);
                }
                PodSecurity.check(profile.name(), m, profile.podSecurity(), problems);
                if (profile.hardenedPods()) {
                    PodHardening.check(profile.name(), m, problems);
                }
            }
        }
        return problems;
    }

    private static void checkResources(String where, Manifest m, List<Problem> out) {
        for (Map.Entry<String, Object> c : containers(m).entrySet()) {
            Map<String, Object> resources = Manifest.map(Manifest.map(c.getValue()).get("resources"));
            for (String kind : List.of("requests", "limits")) {
                Map<String, Object> values = Manifest.map(resources.get(kind));
                for (String resource : List.of("cpu", "memory")) {
                    if (!values.containsKey(resource)) {
                        out.add(new Problem(where, c.getKey() + ".resources." + kind + "." + resource, null,
                                "every container states its cpu and memory requests and limits, so a shared"
                                        + " cluster can schedule it", "set resources." + kind + "." + resource));
                    }
                }
            }
        }
    }

    private static void checkObject(ClusterProfile env, Manifest m, List<Problem> out) {
        String where = env.name() + "/" + m.file() + " " + m.id();
        boolean clusterScoped = CLUSTER_SCOPED_KINDS.contains(m.kind());
        if ("Namespace".equals(m.kind())) {
            if (!env.createNamespace() || !env.namespace().equals(m.name())) {
                out.add(new Problem(where, "kind", m.kind(), "environment '" + env.name() + "' "
                        + (env.createNamespace() ? "creates only its own namespace " + env.namespace()
                        : "uses the existing namespace " + env.namespace() + " and may not create one"),
                        "remove the Namespace object (set createNamespace(false) where the namespace exists)"));
            }
        } else if (clusterScoped && !env.clusterScopedAllowed()) {
            out.add(new Problem(where, "kind", m.kind(), "environment '" + env.name()
                    + "' admits no cluster-scoped objects", "use the namespaced equivalent (Role, RoleBinding, ...)"
                    + " or leave the object out in this environment"));
        }
        if (!clusterScoped && !env.admitsNamespace(m.namespace())) {
            out.add(new Problem(where, "metadata.namespace", m.namespace(), "every object of environment '"
                    + env.name() + "' lives in namespace " + env.namespace(),
                    "create the object inside the environment's chart, which sets the namespace"));
        }
        if (env.forbiddenApiGroups().contains(m.apiGroup())) {
            out.add(new Problem(where, "apiVersion", m.apiVersion(), "environment '" + env.name()
                    + "' rejects the API groups " + env.forbiddenApiGroups(),
                    "express the same with core objects (for example paths the app serves by itself instead of a"
                            + " Traefik Middleware)"));
        }
        if ("PersistentVolumeClaim".equals(m.kind())) {
            checkClaim(env, where, "spec", Manifest.map(m.object().get("spec")), out);
        }
        if ("StatefulSet".equals(m.kind())) {
            List<Object> templates = Manifest.list(m.at("spec.volumeClaimTemplates"));
            for (int i = 0; i < templates.size(); i++) {
                Map<String, Object> t = Manifest.map(templates.get(i));
                checkClaim(env, where, "spec.volumeClaimTemplates[" + i + "].spec", Manifest.map(t.get("spec")), out);
            }
        }
        for (Map.Entry<String, Object> container : containers(m).entrySet()) {
            Object image = Manifest.map(container.getValue()).get("image");
            String text = image instanceof String s ? s : null;
            String problem = ImageRef.problemWith(text);
            if (problem != null) {
                out.add(new Problem(where, container.getKey() + ".image", image, "images must be pinned", problem));
            } else if (env.imagePolicy().problemWith(text) != null) {
                out.add(new Problem(where, container.getKey() + ".image", image, "environment '" + env.name()
                        + "' admits only images pinned to a version or digest: " + ImageRef.VERSION_RULE
                        + "; a tag such as main or keyboss runs whatever was pushed last", ImageRef.versionFix(text)));
            }
        }
    }

    private static void checkClaim(ClusterProfile env, String where, String path, Map<String, Object> spec,
            List<Problem> out) {
        Object storageClass = spec.get("storageClassName");
        if (!env.storageClass().equals(storageClass)) {
            out.add(new Problem(where, path + ".storageClassName", storageClass, "environment '" + env.name()
                    + "' provides StorageClass " + env.storageClass(), "use the environment's storage class"));
        }
        Object requested = Manifest.map(Manifest.map(spec.get("resources")).get("requests")).get("storage");
        try {
            Size size = Size.parse(String.valueOf(requested));
            if (!env.admitsVolume(size)) {
                out.add(new Problem(where, path + ".resources.requests.storage", requested, "environment '"
                        + env.name() + "' caps every volume claim at " + env.maxVolumeSize(),
                        "request at most " + env.maxVolumeSize()));
            }
        } catch (IllegalArgumentException e) {
            out.add(new Problem(where, path + ".resources.requests.storage", requested, "a storage quantity",
                    e.getMessage()));
        }
    }

    /** Containers and init containers of any pod-bearing object, keyed by their field path. */
    public static Map<String, Object> containers(Manifest m) {
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        PodTemplates.Pod pod = PodTemplates.of(m);
        if (pod != null) {
            for (PodTemplates.Container c : pod.containers()) {
                if (!"ephemeralContainers".equals(c.list())) {
                    result.put(c.path(), c.fields());
                }
            }
        }
        return result;
    }
}
