package keyboss.charts.validation;

import keyboss.charts.model.Excerpt;
import keyboss.charts.model.Findings;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server requires of every object's metadata: a name (or generateName) in the
 * format its kind needs, a valid namespace, label keys and values, annotation keys and their
 * total size, finalizer names and owner references.
 */
final class MetadataRules {

    /** The name formats of the API server (apimachinery's ValidateNameFunc variants). */
    enum NameFormat {
        DNS_LABEL("an RFC 1123 label: lower-case letters, digits and '-', starting and ending with a letter or"
                + " digit, at most 63 characters"),
        DNS_1035_LABEL("a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending"
                + " with a letter or digit, at most 63 characters"),
        DNS_SUBDOMAIN("an RFC 1123 subdomain: dot-separated labels of lower-case letters, digits and '-', at most"
                + " 253 characters"),
        PATH_SEGMENT("a URL path segment: not '.' or '..', without '/' or '%'");

        final String description;

        NameFormat(String description) {
            this.description = description;
        }

        /** Whether {@code name} is valid; {@code prefix} for a generateName, which may end in '-'. */
        boolean accepts(String name, boolean prefix) {
            if (this == PATH_SEGMENT) {
                return prefix ? !name.contains("/") && !name.contains("%") : Names.pathSegmentProblem(name) == null;
            }
            // As apimachinery's maskTrailingDash: a generated name appends characters after the '-'.
            String n = prefix && name.length() > 1 && name.endsWith("-") ? name.substring(0, name.length() - 2) + "a" : name;
            return switch (this) {
                case DNS_LABEL -> Names.isDnsLabel(n);
                case DNS_1035_LABEL -> Names.isDns1035Label(n);
                default -> Names.isDnsSubdomain(n);
            };
        }
    }

    /** Kinds whose names are not DNS subdomains, by {@code group/kind}. */
    private static final Map<String, NameFormat> NAME_FORMATS = Map.of(
            "/Service", NameFormat.DNS_1035_LABEL,
            "/Namespace", NameFormat.DNS_LABEL,
            "apps/StatefulSet", NameFormat.DNS_LABEL,
            "rbac.authorization.k8s.io/Role", NameFormat.PATH_SEGMENT,
            "rbac.authorization.k8s.io/ClusterRole", NameFormat.PATH_SEGMENT,
            "rbac.authorization.k8s.io/RoleBinding", NameFormat.PATH_SEGMENT,
            "rbac.authorization.k8s.io/ClusterRoleBinding", NameFormat.PATH_SEGMENT);

    /** Groups whose name rules this check does not know; their names are left to the server. */
    private static final Set<String> UNKNOWN_NAME_RULES = Findings.setOf("flowcontrol.apiserver.k8s.io", "certificates.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io");

    /** The API server's cap on the keys and values of all annotations together. */
    static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private MetadataRules() {
    }

    /** The name format of {@code m}'s kind, or null where it is not known. */
    static NameFormat nameFormat(Manifest m) {
        if (UNKNOWN_NAME_RULES.contains(m.apiGroup())) {
            return null;
        }
        return NAME_FORMATS.getOrDefault(m.apiGroup() + "/" + m.kind(), NameFormat.DNS_SUBDOMAIN);
    }

    static void check(Manifest m, Findings f) {
        Map<String, Object> meta = m.metadata();
        NameFormat format = nameFormat(m);
        Object name = meta.get("name");
        Object generateName = meta.get("generateName");
        if (name == null || "".equals(name)) {
            if (generateName == null || "".equals(generateName)) {
                f.add("metadata.name", name, "every object needs metadata.name (or generateName)", "name the object");
            }
        } else if (!(name instanceof String)) {
            f.add("metadata.name", name, "a name is a string", "quote the name");
        } else if (format != null && !format.accepts((String) name, false)) {
            f.add("metadata.name", name, "a " + m.kind() + " name must be " + format.description,
                    "rename it, for example " + suggestion((String) name));
        }
        if (generateName instanceof String prefix && !prefix.isEmpty() && format != null && !format.accepts(prefix, true)) {
            f.add("metadata.generateName", prefix, "a " + m.kind() + " generateName must be the start of "
                    + format.description, "use a prefix such as " + suggestion(prefix) + "-");
        }
        Object namespace = meta.get("namespace");
        if (namespace != null && !ClusterRules.CLUSTER_SCOPED_KINDS.contains(m.kind())
                && !(namespace instanceof String ns && Names.isDnsLabel(ns))) {
            f.add("metadata.namespace", namespace, "a namespace is " + NameFormat.DNS_LABEL.description,
                    "use the environment's namespace");
        }
        LabelSelectors.labels(meta.get("labels"), "metadata.labels", f);
        annotations(meta.get("annotations"), "metadata.annotations", f);
        for (Object finalizer : Manifest.list(meta.get("finalizers"))) {
            String problem = Names.qualifiedNameProblem(finalizer instanceof String s ? s : null);
            if (problem != null) {
                f.add("metadata.finalizers", finalizer, "a finalizer is a qualified name: " + problem,
                        "use a domain-prefixed name such as example.com/cleanup");
            }
        }
        List<Object> owners = Manifest.list(meta.get("ownerReferences"));
        int controllers = 0;
        for (int i = 0; i < owners.size(); i++) {
            Map<String, Object> owner = Manifest.map(owners.get(i));
            for (String field : List.of("apiVersion", "kind", "name", "uid")) {
                if (!(owner.get(field) instanceof String s) || s.isEmpty()) {
                    f.add("metadata.ownerReferences[" + i + "]." + field, owner.get(field),
                            "an owner reference names the owner's apiVersion, kind, name and uid",
                            "remove the owner reference (the cluster sets it) or complete it");
                }
            }
            if (Findings.isTrue(owner.get("controller")) && ++controllers == 2) {
                f.add("metadata.ownerReferences[" + i + "].controller", true,
                        "only one owner reference may be the controller", "set controller: true on one owner only");
            }
        }
    }

    /** Annotation keys (qualified names, case-insensitive), string values, and the 256 KiB total. */
    static void annotations(Object annotations, String path, Findings f) {
        long bytes = 0;
        for (Map.Entry<String, Object> e : Manifest.map(annotations).entrySet()) {
            String problem = Names.qualifiedNameProblem(e.getKey().toLowerCase(java.util.Locale.ROOT));
            if (problem != null) {
                f.add(path, e.getKey(), "an annotation key is a qualified name ([prefix/]name): " + problem,
                        "rename the annotation, for example example.com/" + suggestion(e.getKey()));
            }
            if (!(e.getValue() instanceof String value)) {
                f.add(path + "." + e.getKey(), e.getValue(), "annotation values are strings; the API server rejects "
                        + (e.getValue() == null ? "null" : "a " + e.getValue().getClass().getSimpleName().toLowerCase()),
                        Excerpt.quoteFix(e.getValue()));
                continue;
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ANNOTATIONS_BYTES) {
            f.add(path, bytes + " bytes", "all annotations of an object together are at most 256 KiB",
                    "move large content into a ConfigMap");
        }
    }

    private static String suggestion(String value) {
        String s = value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        s = s.length() > 50 ? s.substring(0, 50).replaceAll("-+$", "") : s;
        return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "app-" + s : s;
    }
}
