package keyboss.charts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Argo CD sync waves derived from the dependencies between objects, so that each object is
 * applied, and healthy, only after what it needs (seed 2.2's phases, by construction):
 * configuration first (ConfigMaps, Services, accounts, roles, claims: wave 0), then every
 * workload one wave after the latest object it depends on: what its pods mount or read, the
 * objects its Roles name, and the dependencies its construct declares (the API needs the
 * migrations Job, which needs the database). Autoscalers and budgets follow their workload.
 */
public final class SyncWaves {

    public static final String WAVE = "argocd.argoproj.io/sync-wave";
    public static final String HOOK = "argocd.argoproj.io/hook";
    public static final String HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";

    /** Kinds that only configure others: they go first. */
    static final Set<String> CONFIGURATION = Set.of("ConfigMap", "Secret", "SealedSecret", "ExternalSecret",
            "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "Service", "NetworkPolicy");

    /** A dependency a construct declares: {@code from} needs {@code to} (each as Kind/name). */
    public record Edge(String from, String to) {
    }

    private SyncWaves() {
    }

    /** The wave of each object, keyed by Kind/name; throws on a dependency cycle. */
    public static Map<String, Integer> compute(List<Manifest> manifests, List<Edge> declared) {
        Map<String, Manifest> byId = new LinkedHashMap<>();
        manifests.forEach(m -> byId.put(m.id(), m));
        Map<String, Set<String>> deps = new HashMap<>();
        for (Manifest m : manifests) {
            deps.put(m.id(), dependencies(m, manifests, byId));
        }
        for (Edge e : declared) {
            if (byId.containsKey(e.from()) && byId.containsKey(e.to())) {
                deps.get(e.from()).add(e.to());
            }
        }
        Map<String, Integer> waves = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            wave(m.id(), byId, deps, waves, new ArrayList<>());
        }
        return waves;
    }

    private static int wave(String id, Map<String, Manifest> byId, Map<String, Set<String>> deps,
            Map<String, Integer> waves, List<String> path) {
        Integer known = waves.get(id);
        if (known != null) {
            return known;
        }
        if (path.contains(id)) {
            throw new IllegalStateException("dependency cycle: " + String.join(" -> ", path) + " -> " + id);
        }
        Manifest m = byId.get(id);
        int result;
        if ("Namespace".equals(m.kind())) {
            result = -1;
        } else if (CONFIGURATION.contains(m.kind())) {
            result = 0;
        } else {
            path.add(id);
            int latest = 0;
            for (String dep : deps.get(id)) {
                latest = Math.max(latest, wave(dep, byId, deps, waves, path));
            }
            path.remove(path.size() - 1);
            result = latest + 1;
        }
        waves.put(id, result);
        return result;
    }

    /** What an object needs, read from the object itself. */
    private static Set<String> dependencies(Manifest m, List<Manifest> all, Map<String, Manifest> byId) {
        Set<String> deps = new HashSet<>();
        Map<String, Object> pod = CrossReferences.podSpec(m);
        if (pod != null) {
            for (Object v : Manifest.list(pod.get("volumes"))) {
                Map<String, Object> volume = Manifest.map(v);
                add(deps, byId, "ConfigMap", Manifest.map(volume.get("configMap")).get("name"));
                add(deps, byId, "PersistentVolumeClaim", Manifest.map(volume.get("persistentVolumeClaim")).get("claimName"));
            }
            Object account = pod.get("serviceAccountName");
            add(deps, byId, "ServiceAccount", account);
            for (Manifest binding : all) {
                if ("RoleBinding".equals(binding.kind()) && account != null
                        && binding.object().get("subjects").toString().contains("name=" + account)) {
                    Manifest role = byId.get("Role/" + Manifest.map(binding.object().get("roleRef")).get("name"));
                    if (role != null) {
                        for (Object r : Manifest.list(role.object().get("rules"))) {
                            for (Object resource : Manifest.list(Manifest.map(r).get("resources"))) {
                                String kind = switch (String.valueOf(resource)) {
                                    case "deployments" -> "Deployment";
                                    case "statefulsets" -> "StatefulSet";
                                    case "configmaps" -> "ConfigMap";
                                    default -> null;
                                };
                                for (Object name : Manifest.list(Manifest.map(r).get("resourceNames"))) {
                                    add(deps, byId, kind, name);
                                }
                            }
                        }
                    }
                }
            }
        }
        if ("HorizontalPodAutoscaler".equals(m.kind())) {
            Map<String, Object> ref = Manifest.map(m.at("spec.scaleTargetRef"));
            add(deps, byId, String.valueOf(ref.get("kind")), ref.get("name"));
        }
        if ("PodDisruptionBudget".equals(m.kind())) {
            Map<String, Object> selector = Manifest.map(m.at("spec.selector.matchLabels"));
            for (Manifest w : all) {
                if (CrossReferences.podSpec(w) != null && !selector.isEmpty()
                        && CrossReferences.podLabels(w).entrySet().containsAll(selector.entrySet())) {
                    deps.add(w.id());
                }
            }
        }
        deps.remove(m.id());
        return deps;
    }

    private static void add(Set<String> deps, Map<String, Manifest> byId, String kind, Object name) {
        if (kind != null && name != null && byId.containsKey(kind + "/" + name)) {
            deps.add(kind + "/" + name);
        }
    }
}
