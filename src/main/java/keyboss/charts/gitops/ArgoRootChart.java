package keyboss.charts.gitops;

import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;

import software.constructs.Construct;

/**
 * The app-of-apps of one environment, applied once by hand to bootstrap:
 * {@code kubectl apply -f dist/<env>/argocd-root/root.k8s.yaml}. It syncs
 * {@code dist/<env>/argocd/}, which holds the environment's Applications.
 */
public class ArgoRootChart extends EnvironmentChart {

    public ArgoRootChart(Construct scope, String id, Environment environment) {
        super(scope, id, environment, environment.gitOps().applicationNamespace(environment.namespace()));
        String argo = environment.gitOps().applicationNamespace(environment.namespace());
        new ArgoApplication(this, "root", ArgoApplicationProps.builder().name("keyboss-root")
                .path("dist/" + environment.name() + "/argocd").namespace(argo).build());
    }

    /** {@code argocd-root/}. */
    @Override
    public String folder() {
        return "argocd-root/";
    }

    /** Never: the root Application is applied once at bootstrap; it points Argo CD at the other folders. */
    @Override
    public boolean syncedByArgoCd() {
        return false;
    }
}
