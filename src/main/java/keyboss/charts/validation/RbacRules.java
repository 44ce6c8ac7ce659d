package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;
import keyboss.charts.model.Permission;

import java.util.List;
import java.util.Map;

/**
 * RBAC objects as the API server validates them (rules with verbs, API groups and resources;
 * bindings whose roleRef and subjects are well formed), rules that look like wildcards but are
 * not ({@code pods/*} grants nothing: Kubernetes RBAC knows only {@code *} and
 * {@code *}{@code /subresource}), and, for a cluster profile, every Role, ClusterRole or
 * binding that would grant a permission the tenant lacks, judged as Kubernetes RBAC matches
 * requests.
 */
public final class RbacRules {

    static final String GROUP = "rbac.authorization.k8s.io";

    /**
     * Rules of the built-in ClusterRoles a RoleBinding may bind without defining them, reduced
     * to what matters here: admin and edit (and their aggregation sources) grant pods/exec and
     * the scale subresources; cluster-admin grants everything.
     */
    private static final Map<String, List<Object>> BUILT_IN_CLUSTER_ROLES;

    static {
        List<Object> edit = List.of(
                Map.of("apiGroups", List.of(""), "resources", List.of("pods/attach", "pods/exec", "pods/portforward",
                        "pods/proxy", "secrets", "services/proxy"), "verbs", List.of("create", "get", "list", "watch")),
                Map.of("apiGroups", List.of("apps"), "resources", List.of("deployments", "deployments/scale",
                        "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"),
                        "verbs", List.of("create", "delete", "patch", "update")));
        BUILT_IN_CLUSTER_ROLES = Map.of(
                "cluster-admin", List.of(Map.of("apiGroups", List.of("*"), "resources", List.of("*"), "verbs", List.of("*"))),
                "admin", edit, "edit", edit, "system:aggregate-to-admin", edit, "system:aggregate-to-edit", edit);
    }

    private RbacRules() {
    }

    /** The API server's checks of RBAC objects, in every profile. */
    static void check(Manifest m, Findings f) {
        if (!GROUP.equals(m.apiGroup())) {
            return;
        }
        switch (m.kind()) {
            case "Role", "ClusterRole" -> {
                List<Object> rules = Manifest.list(m.object().get("rules"));
                for (int i = 0; i < rules.size(); i++) {
                    rule(Manifest.map(rules.get(i)), "rules[" + i + "]", "Role".equals(m.kind()), f);
                }
                Object aggregation = m.object().get("aggregationRule");
                if ("ClusterRole".equals(m.kind()) && aggregation != null) {
                    List<Object> selectors = Manifest.list(Manifest.map(aggregation).get("clusterRoleSelectors"));
                    if (selectors.isEmpty()) {
                        f.add("aggregationRule.clusterRoleSelectors", null, "an aggregationRule has at least one"
                                + " clusterRoleSelector", "add a selector or remove aggregationRule");
                    }
                    for (int i = 0; i < selectors.size(); i++) {
                        LabelSelectors.selector(selectors.get(i), "aggregationRule.clusterRoleSelectors[" + i + "]", f);
                    }
                }
            }
            case "RoleBinding", "ClusterRoleBinding" -> binding(m, f);
            default -> { }
        }
    }

    private static void rule(Map<String, Object> rule, String at, boolean namespaced, Findings f) {
        if (Manifest.list(rule.get("verbs")).isEmpty()) {
            f.add(at + ".verbs", rule.get("verbs"), "a rule grants at least one verb", "list the verbs, for example get");
        }
        List<Object> urls = Manifest.list(rule.get("nonResourceURLs"));
        if (!urls.isEmpty()) {
            if (namespaced) {
                f.add(at + ".nonResourceURLs", urls, "a Role (namespaced) cannot grant non-resource URLs",
                        "use a ClusterRole, or remove nonResourceURLs");
            }
            if (!Manifest.list(rule.get("apiGroups")).isEmpty() || !Manifest.list(rule.get("resources")).isEmpty()
                    || !Manifest.list(rule.get("resourceNames")).isEmpty()) {
                f.add(at + ".nonResourceURLs", urls, "a rule grants either non-resource URLs or resources, not both",
                        "split it into two rules");
            }
            return;
        }
        if (Manifest.list(rule.get("apiGroups")).isEmpty()) {
            f.add(at + ".apiGroups", rule.get("apiGroups"), "a resource rule names at least one API group (\"\" for the"
                    + " core group)", "add apiGroups: [\"\"]");
        }
        if (Manifest.list(rule.get("resources")).isEmpty()) {
            f.add(at + ".resources", rule.get("resources"), "a resource rule names at least one resource",
                    "list the resources");
        }
        for (Object resource : Manifest.list(rule.get("resources"))) {
            String r = String.valueOf(resource);
            if (r.endsWith("/*") && !r.equals("*/*")) {
                f.add(at + ".resources", r, "RBAC has no '<resource>/*' wildcard: '" + r + "' matches only a subresource"
                        + " literally named '*', so it grants nothing", "name the subresources (for example "
                        + r.substring(0, r.length() - 1) + "log) or use '*' on purpose");
            }
        }
    }

    private static void binding(Manifest m, Findings f) {
        boolean cluster = "ClusterRoleBinding".equals(m.kind());
        Map<String, Object> ref = Manifest.map(m.object().get("roleRef"));
        Object group = ref.get("apiGroup");
        if (group != null && !"".equals(group) && !GROUP.equals(group)) {
            f.add("roleRef.apiGroup", group, "roleRef.apiGroup is " + GROUP, "set apiGroup: " + GROUP);
        }
        Object kind = ref.get("kind");
        if (cluster ? !"ClusterRole".equals(kind) : !"Role".equals(kind) && !"ClusterRole".equals(kind)) {
            f.add("roleRef.kind", kind, cluster ? "a ClusterRoleBinding binds a ClusterRole" : "roleRef.kind is Role or"
                    + " ClusterRole", "fix the kind");
        }
        String nameProblem = Names.pathSegmentProblem(ref.get("name") instanceof String s ? s : null);
        if (nameProblem != null) {
            f.add("roleRef.name", ref.get("name"), "roleRef names the role: " + nameProblem, "name the role");
        }
        List<Object> subjects = Manifest.list(m.object().get("subjects"));
        for (int i = 0; i < subjects.size(); i++) {
            Map<String, Object> s = Manifest.map(subjects.get(i));
            String at = "subjects[" + i + "]";
            Object name = s.get("name");
            Object subjectGroup = s.get("apiGroup");
            if (!(name instanceof String n) || n.isEmpty()) {
                f.add(at + ".name", name, "a subject has a name", "name the subject");
            }
            switch (String.valueOf(s.get("kind"))) {
                case "ServiceAccount" -> {
                    if (name instanceof String n && !n.isEmpty() && !Names.isDnsSubdomain(n)) {
                        f.add(at + ".name", n, "a ServiceAccount is named by a DNS subdomain", "fix the name");
                    }
                    if (subjectGroup != null && !"".equals(subjectGroup)) {
                        f.add(at + ".apiGroup", subjectGroup, "a ServiceAccount subject has apiGroup \"\"", "remove apiGroup");
                    }
                    if (cluster && !(s.get("namespace") instanceof String ns && !ns.isEmpty())) {
                        f.add(at + ".namespace", null, "a ClusterRoleBinding names the ServiceAccount's namespace",
                                "set namespace");
                    }
                }
                case "User", "Group" -> {
                    if (subjectGroup != null && !"".equals(subjectGroup) && !GROUP.equals(subjectGroup)) {
                        f.add(at + ".apiGroup", subjectGroup, "a User or Group subject has apiGroup " + GROUP,
                                "set apiGroup: " + GROUP);
                    }
                }
                default -> f.add(at + ".kind", s.get("kind"), "a subject is a ServiceAccount, User or Group",
                        "fix the kind");
            }
        }
    }

    /**
     * The profile's rule: no Role, ClusterRole or binding of {@code m} grants a permission in
     * {@code denied} (a tenant cannot grant what it lacks; the API server refuses the
     * escalation).
     */
    public static void checkDenied(String environment, List<Permission> denied, Manifest m, Findings f) {
        if (denied.isEmpty() || !GROUP.equals(m.apiGroup())) {
            return;
        }
        if ("Role".equals(m.kind()) || "ClusterRole".equals(m.kind())) {
            List<Object> rules = Manifest.list(m.object().get("rules"));
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = Manifest.map(rules.get(i));
                for (Permission permission : denied) {
                    if (grants(rule, permission)) {
                        f.add("rules[" + i + "]", rule, "environment '" + environment + "' does not let the tenant hold "
                                + permission + ", so no Role may grant it (Kubernetes RBAC matches this rule's "
                                + "apiGroups, resources and verbs to it)",
                                "remove " + permission.resource() + " from the rule, and any wildcard that covers it"
                                        + " (use a Job instead of exec, an HPA or a manifest change instead of scale)");
                    }
                }
            }
        }
        if ("RoleBinding".equals(m.kind()) || "ClusterRoleBinding".equals(m.kind())) {
            Map<String, Object> ref = Manifest.map(m.object().get("roleRef"));
            Object role = ref.get("name");
            List<Object> rules = "ClusterRole".equals(ref.get("kind")) && role instanceof String r
                    ? BUILT_IN_CLUSTER_ROLES.get(r) : null;
            for (Object rule : rules == null ? List.of() : rules) {
                for (Permission permission : denied) {
                    if (grants(Manifest.map(rule), permission)) {
                        f.add("roleRef", "ClusterRole/" + ref.get("name"), "environment '" + environment + "' does not"
                                + " let the tenant hold " + permission + ", and the built-in ClusterRole " + ref.get("name")
                                + " grants it", "bind a Role of your own that grants only what the workload needs");
                    }
                }
            }
        }
    }

    /**
     * The API server's proxy to the kubelets: whoever holds it reaches every kubelet endpoint of
     * every node, exec and run included. A scraper reads {@code nodes/metrics} at the kubelet instead.
     */
    static final Permission NODES_PROXY = Permission.of("", "nodes/proxy", Permission.ANY_VERB);

    /** The hardening rule of every profile: no Role or ClusterRole grants {@link #NODES_PROXY}, wildcards included. */
    static void checkNodesProxy(Manifest m, Findings f) {
        if (!GROUP.equals(m.apiGroup()) || !("Role".equals(m.kind()) || "ClusterRole".equals(m.kind()))) {
            return;
        }
        List<Object> rules = Manifest.list(m.object().get("rules"));
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = Manifest.map(rules.get(i));
            if (grants(rule, NODES_PROXY)) {
                f.add("rules[" + i + "]", rule, "no role grants " + NODES_PROXY + ": it opens every kubelet endpoint"
                        + " of every node (exec included) through the API server",
                        "grant nodes/metrics and scrape the kubelets directly (https://<node>:10250/metrics),"
                                + " and name resources instead of a wildcard");
            }
        }
    }

    /** Whether {@code rule} grants {@code permission}, whatever its resourceNames (a named grant still grants). */
    static boolean grants(Map<String, Object> rule, Permission permission) {
        for (Object group : Manifest.list(rule.get("apiGroups"))) {
            for (Object resource : Manifest.list(rule.get("resources"))) {
                for (Object verb : Manifest.list(rule.get("verbs"))) {
                    if (permission.grantedBy(String.valueOf(group), String.valueOf(resource), String.valueOf(verb))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
