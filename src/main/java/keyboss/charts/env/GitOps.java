package keyboss.charts.env;

import keyboss.charts.model.Names;

/**
 * Where Argo CD finds this repository and where its Applications live, for one environment.
 *
 * @param repoUrl         the Git repository Argo CD syncs (this one).
 * @param targetRevision  the branch or tag it follows; a merge to it is a deploy.
 * @param argoNamespace   namespace of the Argo CD Application objects: {@code argocd} where the
 *                        shop owns Argo CD; {@code null} for the environment's own namespace,
 *                        where a shared Argo CD watches Applications in any namespace.
 * @param project         the Argo CD AppProject.
 */
public record GitOps(String repoUrl, String targetRevision, String argoNamespace, String project) {

    public static final String REPO = "https://github.com/keyboss/keyboss-charts.git";

    public GitOps {
        if (repoUrl == null || !repoUrl.matches("^(https://|ssh://|git@).+")) {
            throw new IllegalArgumentException("GitOps repoUrl '" + repoUrl + "' is not a Git URL (https://..., ssh://... or git@...)");
        }
        if (targetRevision == null || targetRevision.isBlank()) {
            throw new IllegalArgumentException("GitOps targetRevision is required, for example main");
        }
        if (argoNamespace != null && Names.dnsLabelProblem(argoNamespace) != null) {
            throw new IllegalArgumentException("GitOps argoNamespace: " + Names.dnsLabelProblem(argoNamespace));
        }
        if (Names.dnsLabelProblem(project) != null) {
            throw new IllegalArgumentException("GitOps project: " + Names.dnsLabelProblem(project));
        }
        if (argoNamespace == null && "default".equals(project)) {
            // Argo CD only admits an Application outside its own namespace into a project whose
            // sourceNamespaces list that namespace; the shared instance's default project does not.
            throw new IllegalArgumentException("GitOps project: Applications in the environment's own namespace (a"
                    + " shared Argo CD) cannot use the project 'default'; name the AppProject the platform created for"
                    + " the tenant, for example GitOps.mainInOwnNamespace(\"tenant-keyboss\")");
        }
    }

    /** This repository's main branch, Applications in {@code argoNamespace}, project {@code default}. */
    public static GitOps main(String argoNamespace) {
        return new GitOps(REPO, "main", argoNamespace, "default");
    }

    /**
     * This repository's main branch, Applications in the environment's own namespace, watched by
     * a shared Argo CD, in the tenant's AppProject {@code project} (never {@code default}).
     */
    public static GitOps mainInOwnNamespace(String project) {
        return new GitOps(REPO, "main", null, project);
    }

    /** The namespace of the Applications of an environment whose namespace is {@code environmentNamespace}. */
    public String applicationNamespace(String environmentNamespace) {
        return argoNamespace == null ? environmentNamespace : argoNamespace;
    }
}
