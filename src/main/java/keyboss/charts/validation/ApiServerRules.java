package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;

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

    private ApiServerRules() {
    }

    /** Every rejection the API server would make of {@code manifests}, in {@code environment}'s terms. */
    public static List<Problem> check(String environment, List<Manifest> manifests) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Manifest> seen = new HashMap<>();
        for (Manifest m : manifests) {
            if (m.kind() == null || m.apiVersion() == null) {
                continue; // the schema check reports it
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
