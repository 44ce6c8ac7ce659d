package keyboss.charts;

import keyboss.charts.model.Manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Minimally broken objects made from real ones: each mutation class changes one thing a
 * reviewer could get wrong (schema, names, labels, ports, references, Pod Security, RBAC,
 * storage quota, cron...). A mutation applies only where its target exists, so every mutant
 * differs from its original in exactly that one place.
 */
final class MutationCorpus {

    /** One broken object: its mutation class, what was changed, the original and the copy. */
    record Mutant(String mutationClass, String change, Manifest original, Manifest mutated) {
        String id() {
            return original.id() + " [" + mutationClass + ": " + change + "]";
        }
    }

    private record Mutation(String mutationClass, String change, Predicate<Manifest> applies, Consumer<Map<String, Object>> edit) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> POD_OWNERS = List.of("Deployment", "StatefulSet", "Job", "CronJob", "DaemonSet", "ReplicaSet");

    private MutationCorpus() {
    }

    /** Every mutation that applies to every object of {@code manifests}. */
    static List<Mutant> of(List<Manifest> manifests) {
        List<Mutant> mutants = new ArrayList<>();
        for (Manifest m : manifests) {
            for (Mutation mutation : MUTATIONS) {
                if (mutation.applies().test(m)) {
                    Map<String, Object> copy = copy(m.object());
                    mutation.edit().accept(copy);
                    if (!copy.equals(m.object())) {
                        mutants.add(new Mutant(mutation.mutationClass(), mutation.change(), m, new Manifest(m.file(), copy)));
                    }
                }
            }
        }
        return mutants;
    }

    static Map<String, Object> copy(Map<String, Object> object) {
        return JSON.convertValue(object, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    // ---- where things are ----

    static Object at(Map<String, Object> o, String path) {
        return new Manifest("", o).at(path);
    }

    static Map<String, Object> podSpec(Map<String, Object> o) {
        String kind = (String) o.get("kind");
        return Manifest.map(at(o, switch (kind) {
            case "CronJob" -> "spec.jobTemplate.spec.template.spec";
            case "Pod" -> "spec";
            default -> "spec.template.spec";
        }));
    }

    static Map<String, Object> firstContainer(Map<String, Object> o) {
        List<Object> containers = Manifest.list(podSpec(o).get("containers"));
        return containers.isEmpty() ? Map.of() : Manifest.map(containers.get(0));
    }

    static Map<String, Object> securityContext(Map<String, Object> container) {
        Object sc = container.get("securityContext");
        if (!(sc instanceof Map)) {
            container.put("securityContext", new LinkedHashMap<String, Object>());
        }
        return Manifest.map(container.get("securityContext"));
    }

    static Map<String, Object> child(Map<String, Object> parent, String key) {
        if (!(parent.get(key) instanceof Map)) {
            parent.put(key, new LinkedHashMap<String, Object>());
        }
        return Manifest.map(parent.get(key));
    }

    private static boolean kind(Manifest m, String... kinds) {
        return List.of(kinds).contains(m.kind());
    }

    private static boolean hasPods(Manifest m) {
        return POD_OWNERS.contains(m.kind()) && !firstContainer(m.object()).isEmpty();
    }

    private static boolean has(Manifest m, String path) {
        return m.at(path) != null;
    }

    private static boolean containerHas(Manifest m, String key) {
        return hasPods(m) && firstContainer(m.object()).get(key) != null;
    }

    private static Map<String, Object> firstOf(Object list) {
        List<Object> l = Manifest.list(list);
        return l.isEmpty() ? new LinkedHashMap<>() : Manifest.map(l.get(0));
    }

    /** Replaces the first number in {@code value} (depth first); false when it has none. */
    private static boolean replaceFirstNumber(Object value, Object replacement) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Number) {
                    Manifest.map(map).put((String) e.getKey(), replacement);
                    return true;
                }
                if (replaceFirstNumber(e.getValue(), replacement)) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Number) {
                    Manifest.list(list).set(i, replacement);
                    return true;
                }
                if (replaceFirstNumber(list.get(i), replacement)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final List<Mutation> MUTATIONS = List.of(
            // schema
            new Mutation("schema", "unknown field spec.replicaCount", m -> m.at("spec") instanceof Map,
                    o -> child(o, "spec").put("replicaCount", 3)),
            new Mutation("schema", "unknown top-level field", m -> !(m.at("spec") instanceof Map),
                    o -> o.put("extra", "x")),
            new Mutation("schema", "first number becomes a word", m -> true,
                    o -> replaceFirstNumber(o.get("spec") != null ? o.get("spec") : o, "many")),
            new Mutation("schema", "container without image", MutationCorpus::hasPods,
                    o -> firstContainer(o).remove("image")),
            new Mutation("schema", "Service port without port number", m -> kind(m, "Service") && has(m, "spec.ports"),
                    o -> firstOf(at(o, "spec.ports")).remove("port")),
            new Mutation("schema", "RoleBinding without roleRef", m -> kind(m, "RoleBinding"), o -> o.remove("roleRef")),
            new Mutation("schema", "Application without spec.project", m -> kind(m, "Application"),
                    o -> child(o, "spec").remove("project")),
            new Mutation("schema", "ServiceMonitor without selector", m -> kind(m, "ServiceMonitor"),
                    o -> child(o, "spec").remove("selector")),
            new Mutation("schema", "ServiceMonitor interval '15 seconds'", m -> kind(m, "ServiceMonitor") && has(m, "spec.endpoints"),
                    o -> firstOf(at(o, "spec.endpoints")).put("interval", "15 seconds")),
            // names
            new Mutation("names", "metadata.name Bad_Name", m -> true, o -> child(o, "metadata").put("name", "Bad_Name")),
            new Mutation("names", "metadata.name of 64 characters", m -> true,
                    o -> child(o, "metadata").put("name", "n".repeat(64))),
            new Mutation("names", "container name with upper case", MutationCorpus::hasPods,
                    o -> firstContainer(o).put("name", "Main")),
            // labels
            new Mutation("labels", "label value 'bad value!'", m -> true,
                    o -> child(child(o, "metadata"), "labels").put("app.kubernetes.io/name", "bad value!")),
            new Mutation("labels", "label key 'bad key'", m -> true,
                    o -> child(child(o, "metadata"), "labels").put("bad key", "x")),
            new Mutation("labels", "selector does not match the pod labels", m -> kind(m, "Deployment", "StatefulSet")
                    && has(m, "spec.selector.matchLabels"), o -> Manifest.map(at(o, "spec.selector.matchLabels")).put("extra", "nowhere")),
            // ports
            new Mutation("ports", "containerPort 70000", m -> hasPods(m) && !Manifest.list(firstContainer(m.object()).get("ports")).isEmpty(),
                    o -> firstOf(firstContainer(o).get("ports")).put("containerPort", 70000)),
            new Mutation("ports", "Service port 0", m -> kind(m, "Service") && has(m, "spec.ports"),
                    o -> firstOf(at(o, "spec.ports")).put("port", 0)),
            new Mutation("ports", "port name longer than 15", m -> kind(m, "Service") && has(m, "spec.ports"),
                    o -> firstOf(at(o, "spec.ports")).put("name", "much-too-long-port-name")),
            new Mutation("ports", "two Service ports with one name", m -> kind(m, "Service") && has(m, "spec.ports"), o -> {
                List<Object> ports = Manifest.list(at(o, "spec.ports"));
                Map<String, Object> twin = copy(firstOf(ports));
                twin.put("port", 65000);
                twin.remove("nodePort");
                ports.add(twin);
            }),
            new Mutation("ports", "targetPort names no container port", m -> kind(m, "Service") && has(m, "spec.ports"),
                    o -> firstOf(at(o, "spec.ports")).put("targetPort", "nowhere")),
            // references
            new Mutation("references", "serviceAccountName ghost", MutationCorpus::hasPods,
                    o -> podSpec(o).put("serviceAccountName", "ghost")),
            new Mutation("references", "configMap volume ghost", m -> hasPods(m) && Manifest.list(podSpec(m.object()).get("volumes")).stream()
                    .anyMatch(v -> Manifest.map(v).containsKey("configMap")), o -> {
                        for (Object v : Manifest.list(podSpec(o).get("volumes"))) {
                            if (Manifest.map(v).containsKey("configMap")) {
                                Manifest.map(Manifest.map(v).get("configMap")).put("name", "ghost");
                                return;
                            }
                        }
                    }),
            new Mutation("references", "volumeMount of no volume", m -> hasPods(m)
                    && !Manifest.list(firstContainer(m.object()).get("volumeMounts")).isEmpty(),
                    o -> firstOf(firstContainer(o).get("volumeMounts")).put("name", "ghost")),
            new Mutation("references", "roleRef ghost", m -> kind(m, "RoleBinding"),
                    o -> child(o, "roleRef").put("name", "ghost")),
            new Mutation("references", "Service selects no pod", m -> kind(m, "Service") && has(m, "spec.selector"),
                    o -> child(child(o, "spec"), "selector").put("app.kubernetes.io/name", "ghost")),
            new Mutation("references", "Ingress backend ghost", m -> kind(m, "Ingress"), o -> {
                Map<String, Object> path = firstOf(at(firstOf(at(o, "spec.rules")), "http.paths"));
                child(child(path, "backend"), "service").put("name", "ghost");
            }),
            new Mutation("references", "HPA targets ghost", m -> kind(m, "HorizontalPodAutoscaler"),
                    o -> child(child(o, "spec"), "scaleTargetRef").put("name", "ghost")),
            // Pod Security (restricted)
            new Mutation("pod-security", "privileged container", MutationCorpus::hasPods,
                    o -> securityContext(firstContainer(o)).put("privileged", true)),
            new Mutation("pod-security", "allowPrivilegeEscalation true", MutationCorpus::hasPods,
                    o -> securityContext(firstContainer(o)).put("allowPrivilegeEscalation", true)),
            new Mutation("pod-security", "runAsUser 0", MutationCorpus::hasPods,
                    o -> securityContext(firstContainer(o)).put("runAsUser", 0)),
            new Mutation("pod-security", "capability NET_ADMIN added", MutationCorpus::hasPods,
                    o -> child(securityContext(firstContainer(o)), "capabilities").put("add", new ArrayList<>(List.of("NET_ADMIN")))),
            new Mutation("pod-security", "capabilities not dropped", MutationCorpus::hasPods,
                    o -> {
                        for (Object c : Manifest.list(podSpec(o).get("containers"))) {
                            Map<String, Object> sc = securityContext(Manifest.map(c));
                            sc.remove("capabilities");
                        }
                        for (Object c : Manifest.list(podSpec(o).get("initContainers"))) {
                            securityContext(Manifest.map(c)).remove("capabilities");
                        }
                    }),
            new Mutation("pod-security", "seccompProfile removed", MutationCorpus::hasPods, o -> {
                child(podSpec(o), "securityContext").remove("seccompProfile");
                for (String list : List.of("containers", "initContainers")) {
                    for (Object c : Manifest.list(podSpec(o).get(list))) {
                        securityContext(Manifest.map(c)).remove("seccompProfile");
                    }
                }
            }),
            new Mutation("pod-security", "hostNetwork", MutationCorpus::hasPods, o -> podSpec(o).put("hostNetwork", true)),
            new Mutation("pod-security", "hostPath volume", MutationCorpus::hasPods, o -> {
                Map<String, Object> spec = podSpec(o);
                if (!(spec.get("volumes") instanceof List)) {
                    spec.put("volumes", new ArrayList<>());
                }
                Manifest.list(spec.get("volumes")).add(new LinkedHashMap<>(Map.of("name", "host", "hostPath", Map.of("path", "/var/run"))));
            }),
            new Mutation("pod-security", "hostPort", m -> hasPods(m) && !Manifest.list(firstContainer(m.object()).get("ports")).isEmpty(),
                    o -> firstOf(firstContainer(o).get("ports")).put("hostPort", 8080)),
            // Hardened pods (the profile's own rules, stricter than the server: expected "only validate")
            new Mutation("hardening", "readOnlyRootFilesystem removed", MutationCorpus::hasPods,
                    o -> securityContext(firstContainer(o)).remove("readOnlyRootFilesystem")),
            new Mutation("hardening", "ephemeral-storage limit removed", MutationCorpus::hasPods,
                    o -> child(child(firstContainer(o), "resources"), "limits").remove("ephemeral-storage")),
            new Mutation("hardening", "emptyDir without sizeLimit", MutationCorpus::hasPods, o -> {
                Map<String, Object> spec = podSpec(o);
                if (!(spec.get("volumes") instanceof List)) {
                    spec.put("volumes", new ArrayList<>());
                }
                Manifest.list(spec.get("volumes")).add(new LinkedHashMap<>(Map.of("name", "unsized", "emptyDir", Map.of())));
            }),
            new Mutation("hardening", "liveness probe same as readiness",
                    m -> containerHas(m, "readinessProbe") && containerHas(m, "livenessProbe"),
                    o -> firstContainer(o).put("livenessProbe", firstContainer(o).get("readinessProbe"))),
            new Mutation("hardening", "service account token left to the default", MutationCorpus::hasPods,
                    o -> podSpec(o).remove("automountServiceAccountToken")),
            // RBAC
            new Mutation("rbac", "Role grants pods/exec", m -> kind(m, "Role"),
                    o -> Manifest.list(o.get("rules")).add(new LinkedHashMap<>(Map.of("apiGroups", List.of(""),
                            "resources", List.of("pods/exec"), "verbs", List.of("create"))))),
            new Mutation("rbac", "Role grants deployments/scale", m -> kind(m, "Role"),
                    o -> Manifest.list(o.get("rules")).add(new LinkedHashMap<>(Map.of("apiGroups", List.of("apps"),
                            "resources", List.of("deployments/scale"), "verbs", List.of("update", "patch"))))),
            new Mutation("rbac", "Role grants everything", m -> kind(m, "Role"),
                    o -> Manifest.list(o.get("rules")).add(new LinkedHashMap<>(Map.of("apiGroups", List.of("*"),
                            "resources", List.of("*"), "verbs", List.of("*"))))),
            new Mutation("rbac", "Role becomes a ClusterRole", m -> kind(m, "Role"), o -> {
                o.put("kind", "ClusterRole");
                child(o, "metadata").remove("namespace");
            }),
            new Mutation("rbac", "RoleBinding becomes a ClusterRoleBinding", m -> kind(m, "RoleBinding"), o -> {
                o.put("kind", "ClusterRoleBinding");
                child(o, "metadata").remove("namespace");
            }),
            new Mutation("rbac", "RoleBinding to ClusterRole admin", m -> kind(m, "RoleBinding"), o -> {
                child(o, "roleRef").put("kind", "ClusterRole");
                child(o, "roleRef").put("name", "admin");
            }),
            // namespaces
            new Mutation("namespace", "namespace kube-system", m -> m.namespace() != null,
                    o -> child(o, "metadata").put("namespace", "kube-system")),
            // storage and quotas
            new Mutation("quota", "claim of 2Gi", m -> kind(m, "PersistentVolumeClaim"),
                    o -> Manifest.map(at(o, "spec.resources.requests")).put("storage", "2Gi")),
            new Mutation("quota", "claim template of 2Gi", m -> kind(m, "StatefulSet") && has(m, "spec.volumeClaimTemplates"),
                    o -> Manifest.map(at(firstOf(at(o, "spec.volumeClaimTemplates")), "spec.resources.requests")).put("storage", "2Gi")),
            new Mutation("quota", "storage class standard", m -> kind(m, "PersistentVolumeClaim"),
                    o -> child(o, "spec").put("storageClassName", "standard")),
            new Mutation("quota", "cpu request above its limit", m -> containerHas(m, "resources")
                    && has(new Manifest("", firstContainer(m.object())), "resources.limits.cpu"),
                    o -> child(child(firstContainer(o), "resources"), "requests").put("cpu", "64")),
            new Mutation("quota", "memory limit 1Gx", m -> containerHas(m, "resources"),
                    o -> child(child(firstContainer(o), "resources"), "limits").put("memory", "1Gx")),
            new Mutation("quota", "no resources", m -> containerHas(m, "resources"), o -> firstContainer(o).remove("resources")),
            // cron and jobs
            new Mutation("cron", "schedule '61 * * * *'", m -> kind(m, "CronJob"), o -> child(o, "spec").put("schedule", "61 * * * *")),
            new Mutation("cron", "time zone Mars/Olympus", m -> kind(m, "CronJob"), o -> child(o, "spec").put("timeZone", "Mars/Olympus")),
            new Mutation("cron", "concurrencyPolicy Sometimes", m -> kind(m, "CronJob"),
                    o -> child(o, "spec").put("concurrencyPolicy", "Sometimes")),
            new Mutation("cron", "restartPolicy Always in a job", m -> kind(m, "Job", "CronJob"),
                    o -> podSpec(o).put("restartPolicy", "Always")),
            new Mutation("cron", "backoffLimit -1", m -> kind(m, "Job"), o -> child(o, "spec").put("backoffLimit", -1)),
            // workloads
            new Mutation("workload", "replicas -1", m -> kind(m, "Deployment", "StatefulSet"), o -> child(o, "spec").put("replicas", -1)),
            new Mutation("workload", "image with :latest", MutationCorpus::hasPods, o -> {
                String image = String.valueOf(firstContainer(o).get("image"));
                firstContainer(o).put("image", image.replaceAll(":[^:/@]+$", "") + ":latest");
            }),
            new Mutation("workload", "duplicate env variable", m -> containerHas(m, "env"), o -> {
                List<Object> env = Manifest.list(firstContainer(o).get("env"));
                env.add(copy(firstOf(env)));
            }),
            new Mutation("workload", "probe periodSeconds -1", m -> containerHas(m, "readinessProbe"),
                    o -> child(firstContainer(o), "readinessProbe").put("periodSeconds", -1)),
            new Mutation("workload", "HPA minReplicas 0", m -> kind(m, "HorizontalPodAutoscaler"), o -> child(o, "spec").put("minReplicas", 0)),
            new Mutation("workload", "HPA maxReplicas below minReplicas", m -> kind(m, "HorizontalPodAutoscaler"),
                    o -> child(o, "spec").put("maxReplicas", 1)),
            new Mutation("workload", "PDB with minAvailable and maxUnavailable", m -> kind(m, "PodDisruptionBudget"), o -> {
                child(o, "spec").put("minAvailable", 1);
                child(o, "spec").put("maxUnavailable", 1);
            }),
            new Mutation("workload", "Service type Bogus", m -> kind(m, "Service"), o -> child(o, "spec").put("type", "Bogus")),
            new Mutation("workload", "Ingress pathType Sometimes", m -> kind(m, "Ingress"),
                    o -> firstOf(at(firstOf(at(o, "spec.rules")), "http.paths")).put("pathType", "Sometimes")),
            new Mutation("workload", "ConfigMap key with a slash", m -> kind(m, "ConfigMap") && has(m, "data"),
                    o -> child(o, "data").put("bad/key", "x")),
            new Mutation("forbidden-kinds", "becomes a traefik.io Middleware", m -> kind(m, "Ingress"), o -> {
                o.put("apiVersion", "traefik.io/v1alpha1");
                o.put("kind", "Middleware");
                o.put("spec", new LinkedHashMap<>(Map.of("stripPrefix", Map.of("prefixes", List.of("/dashboard")))));
            }));
}
