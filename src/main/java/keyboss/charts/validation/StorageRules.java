package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;
import keyboss.charts.model.Quantity;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server requires of a PersistentVolumeClaim's spec (also in a StatefulSet's
 * volumeClaimTemplates and an ephemeral volume): access modes, a positive storage request,
 * a valid storage class name and volume mode, a well-formed selector.
 */
final class StorageRules {

    private static final Set<String> ACCESS_MODES = Findings.setOf("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
            "ReadWriteOncePod");

    private StorageRules() {
    }

    static void check(Manifest m, Findings f) {
        if ("/PersistentVolumeClaim".equals(m.apiGroup() + "/" + m.kind())) {
            claimSpec(Manifest.map(m.object().get("spec")), "spec", f);
        }
    }

    /** Checks the claim spec at {@code at}. */
    static void claimSpec(Map<String, Object> spec, String at, Findings f) {
        List<Object> modes = Manifest.list(spec.get("accessModes"));
        if (modes.isEmpty()) {
            f.add(at + ".accessModes", null, "a claim needs at least one access mode", "set accessModes: [ReadWriteOnce]");
        }
        for (Object mode : modes) {
            if (!ACCESS_MODES.contains(mode)) {
                f.add(at + ".accessModes", mode, "an access mode is one of " + new java.util.TreeSet<>(ACCESS_MODES),
                        "use ReadWriteOnce");
            }
        }
        if (modes.contains("ReadWriteOncePod") && modes.stream().anyMatch(m -> !"ReadWriteOncePod".equals(m))) {
            f.add(at + ".accessModes", modes, "ReadWriteOncePod cannot be combined with other access modes",
                    "keep ReadWriteOncePod alone");
        }
        Object storage = Manifest.map(Manifest.map(spec.get("resources")).get("requests")).get("storage");
        if (storage == null) {
            f.add(at + ".resources.requests.storage", null, "a claim requests its storage size", "set it, for example 1Gi");
        } else {
            Quantity q = Quantity.parse(storage);
            if (q == null || q.signum() <= 0) {
                f.add(at + ".resources.requests.storage", storage, "the storage request is a positive "
                        + Quantity.FORMAT_HELP, "request for example 1Gi");
            }
        }
        Object storageClass = spec.get("storageClassName");
        if (storageClass instanceof String s && !s.isEmpty() && !Names.isDnsSubdomain(s)) {
            f.add(at + ".storageClassName", s, "a StorageClass is named by a DNS subdomain", "name an existing class");
        }
        Object mode = spec.get("volumeMode");
        if (mode != null && !"Filesystem".equals(mode) && !"Block".equals(mode)) {
            f.add(at + ".volumeMode", mode, "volumeMode is Filesystem or Block", "use Filesystem");
        }
        if (spec.get("selector") != null) {
            LabelSelectors.selector(spec.get("selector"), at + ".selector", f);
        }
    }
}
