package keyboss.charts.core;

import keyboss.charts.network.Connection;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.ObjectRef;

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
 * objects its Roles name, the servers its pods connect to (read from the constructs' declared
 * {@link Connection}s, see {@link #fromConnections}) and the few dependencies without a
 * connection that a construct declares with {@link EnvironmentChart#dependsOn} (the API waits
 * for the migrations Job). Autoscalers and budgets follow their workload.
 */
public final class SyncWaves {

    public static final String WAVE = "argocd.argoproj.io/sync-wave";
    public static final String HOOK = "argocd.argoproj.io/hook";
    public static final String HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";

    /** Kinds that only configure others: they go first. */
    static final Set<String> CONFIGURATION = Set.of("ConfigMap", "Secret", "SealedSecret", "ExternalSecret",
            "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "Service", "NetworkPolicy");

    /** That {@code from} needs {@code to} applied and healthy first; {@code why} is told when it closes a cycle. */
    public record Edge(ObjectRef from, ObjectRef to, String why) {
    }

    private SyncWaves() {
    }

    /**
     * The order the declared connections give: the workloads of a connection's {@code from} wait
     * for those of its {@code to} (a client starts after its server: the API after Postgres and
     * Valkey, the storefront after the API, an exporter after what it reads, the Ingress, which
     * the ingress controller serves, after the routed workloads). No order comes from
     * <ul>
     * <li>a connection within one workload (Postgres members replicate from each other);</li>
     * <li>a connection declared {@link Connection#withoutWaiting()}: monitoring, which must start
     *     first to watch the rest, and whose clients report a missing target rather than need it;</li>
     * <li>two workloads connected both ways (Valkey's data pods and its Sentinels): parts of one
     *     system that start together, each coping with the other's absence; ordering either
     *     would be arbitrary, and both a cycle;</li>
     * <li>an end that names no object of the chart ({@link NetworkPeer#objects()}: addresses,
     *     pods of other namespaces such as the cluster DNS).</li>
     * </ul>
     * A cycle that remains (three workloads in a ring) is refused by {@link #compute}, naming the
     * connections in it.
     */
    public static List<Edge> fromConnections(List<Connection> connections) {
        Map<List<ObjectRef>, String> candidates = new LinkedHashMap<>();
        for (Connection c : connections) {
            if (!c.waits()) {
                continue;
            }
            for (ObjectRef from : c.from().objects()) {
                for (ObjectRef to : c.to().objects()) {
                    if (!from.equals(to)) {
                        candidates.putIfAbsent(List.of(from, to), "connection '" + c.why() + "'");
                    }
                }
            }
        }
        List<Edge> edges = new ArrayList<>();
        candidates.forEach((pair, why) -> {
            if (!candidates.containsKey(List.of(pair.get(1), pair.get(0)))) {
                edges.add(new Edge(pair.get(0), pair.get(1), why));
            }
        });
        return List.copyOf(edges);
    }

    /**
     * The wave of each object, keyed by Kind/name. {@code declared} adds dependencies (see
     * {@link #fromConnections}); those naming an object not among {@code manifests} are ignored.
     * Throws IllegalStateException naming the dependencies of a cycle.
     */
    public static Map<String, Integer> compute(List<Manifest> manifests, List<Edge> declared) {
        Map<String, Manifest> byId = new LinkedHashMap<>();
        manifests.forEach(m -> byId.put(m.id(), m));
        Map<String, Map<String, String>> deps = new HashMap<>();
        for (Manifest m : manifests) {
            Map<String, String> own = new LinkedHashMap<>();
            dependencies(m, manifests, byId).forEach(d -> own.put(d, "read by its pods"));
            deps.put(m.id(), own);
        }
        for (Edge e : declared) {
            if (byId.containsKey(e.from().id()) && byId.containsKey(e.to().id()) && !e.from().equals(e.to())) {
                deps.get(e.from().id()).putIfAbsent(e.to().id(), e.why());
            }
        }
        Map<String, Integer> waves = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            wave(m.id(), byId, deps, waves, new ArrayList<>());
        }
        return waves;
    }

    private static int wave(String id, Map<String, Manifest> byId, Map<String, Map<String, String>> deps,
            Map<String, Integer> waves, List<String> path) {
        Integer known = waves.get(id);
        if (known != null) {
            return known;
        }
        if (path.contains(id)) {
            List<String> ring = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            ring.add(id);
            StringBuilder text = new StringBuilder(ring.get(0));
            for (int i = 1; i < ring.size(); i++) {
                text.append(" needs ").append(ring.get(i)).append(" (").append(deps.get(ring.get(i - 1)).get(ring.get(i))).append(")");
            }
            throw new IllegalStateException("dependency cycle: " + text);
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
            for (String dep : deps.get(id).keySet()) {
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
