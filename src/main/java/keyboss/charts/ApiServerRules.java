package keyboss.charts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes API server (1.34) rejects, checked offline on any set of manifests,
 * whatever the cluster: the rules of each object on its own, one class per area, and objects
 * that appear twice (same API group, kind, namespace and name: the second would overwrite the
 * first). A new area is a class with a {@code check(Manifest, Findings)} method added to
 * {@link #AREAS}.
 */
public final class ApiServerRules {

    /** A check of one object. */
    @FunctionalInterface
    interface Area {
        void check(Manifest m, Findings f);
    }

    private static final List<Area> AREAS = List.of(
            MetadataRules::check,
            WorkloadRules::check,
            NetworkRules::check,
            ConfigRules::check,
            StorageRules::check,
            ScalingRules::check,
            RbacRules::check);

    /** API groups of files that tools read and never send to the API server (kustomize's). */
    static final java.util.Set<String> CLIENT_SIDE_GROUPS = java.util.Set.of("kustomize.config.k8s.io");

    private ApiServerRules() {
    }

    /** Whether {@code m} is read by a client-side tool (a kustomization), not sent to the API server. */
    static boolean isClientSide(Manifest m) {
        return CLIENT_SIDE_GROUPS.contains(m.apiGroup());
    }

    /** Every rejection the API server would make of {@code manifests}, in {@code environment}'s terms. */
    public static List<Problem> check(String environment, List<Manifest> manifests) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Manifest> seen = new HashMap<>();
        for (Manifest m : manifests) {
            if (m.kind() == null || m.apiVersion() == null || isClientSide(m)) {
                continue; // the schema check reports a missing kind; a kustomization is not an API object
            }
            Findings f = Findings.of(environment, m, problems);
            for (Area area : AREAS) {
                area.check(m, f);
            }
            String namespace = ClusterRules.CLUSTER_SCOPED_KINDS.contains(m.kind()) ? "" : String.valueOf(m.namespace());
            String key = m.apiGroup() + "/" + m.kind() + "/" + namespace + "/" + m.name();
            Manifest first = seen.putIfAbsent(key, m);
            if (first != null && m.name() != null) {
                f.add("metadata.name", m.name(), "an object (API group, kind, namespace, name) is defined once; this one"
                        + " repeats " + first.id() + " of " + first.file() + ", and applying both keeps only the last",
                        "remove one of them or rename it");
            }
        }
        return problems;
    }
}
