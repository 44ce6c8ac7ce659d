package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;

import java.util.List;
import java.util.Map;

/**
 * Argo CD Applications in a tenant's namespace, as the shared Argo CD and a reviewer of the
 * tenant would accept them: an Application deploys only into the tenant's namespace, on the
 * cluster Argo CD runs in, through the project the profile names (never {@code default}, which
 * a shared Argo CD does not open to Applications outside its own namespace), and does not ask
 * Argo CD to create namespaces the tenant may not create.
 */
final class ArgoRules {

    static final String GROUP = "argoproj.io";
    /** The cluster Argo CD runs in, as Applications name it. */
    static final String IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
    static final String IN_CLUSTER_NAME = "in-cluster";

    private ArgoRules() {
    }

    /** The tenant rules of {@code profile} for {@code m}; nothing unless the profile names a tenant project. */
    static void check(ClusterProfile profile, Manifest m, Findings f) {
        if (profile.argoProject() == null || !GROUP.equals(m.apiGroup())) {
            return;
        }
        if ("ApplicationSet".equals(m.kind()) || "AppProject".equals(m.kind())) {
            f.add("kind", m.kind(), "environment '" + profile.name() + "' is a tenant of a shared Argo CD: it may not"
                    + " define " + m.kind() + "s, which decide what other Applications may do",
                    "use Applications in project " + profile.argoProject());
            return;
        }
        if (!"Application".equals(m.kind())) {
            return;
        }
        Map<String, Object> spec = Manifest.map(m.object().get("spec"));
        Object project = spec.get("project");
        if (!profile.argoProject().equals(project)) {
            f.add("spec.project", project, "environment '" + profile.name() + "' deploys through Argo CD project "
                    + profile.argoProject() + ("default".equals(project) ? " (the default project is not open to a"
                    + " tenant's Applications)" : ""), "set spec.project: " + profile.argoProject());
        }
        Map<String, Object> destination = Manifest.map(spec.get("destination"));
        Object namespace = destination.get("namespace");
        if (!profile.namespace().equals(namespace)) {
            f.add("spec.destination.namespace", namespace, "an Application of environment '" + profile.name()
                    + "' deploys only into the tenant's namespace " + profile.namespace(),
                    "set spec.destination.namespace: " + profile.namespace());
        }
        Object server = destination.get("server");
        Object name = destination.get("name");
        boolean inCluster = (server == null || IN_CLUSTER_SERVER.equals(server)) && (name == null || IN_CLUSTER_NAME.equals(name))
                && (server != null || name != null);
        if (!inCluster) {
            f.add("spec.destination", destination, "an Application of environment '" + profile.name() + "' deploys to"
                    + " the cluster Argo CD runs in (server " + IN_CLUSTER_SERVER + ")", "set spec.destination.server: "
                    + IN_CLUSTER_SERVER + " and no name");
        }
        List<Object> options = Manifest.list(Manifest.map(spec.get("syncPolicy")).get("syncOptions"));
        if (!profile.createNamespace() && options.contains("CreateNamespace=true")) {
            f.add("spec.syncPolicy.syncOptions", "CreateNamespace=true", "environment '" + profile.name() + "' may not"
                    + " create namespaces", "remove CreateNamespace=true");
        }
    }
}
