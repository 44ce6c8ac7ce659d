package keyboss.charts.gitops;

import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;

import software.constructs.Construct;

/**
 * The Argo CD objects of one environment, in the namespace its Argo CD watches: the
 * {@code keyboss} Application that syncs {@code dist/<env>} (through its kustomization, which
 * leaves out {@code ops/}). Written to {@code dist/<env>/argocd/}; the root Application
 * ({@link ArgoRootChart}) syncs that folder, so new Applications appear by merge alone.
 */
public class ArgoCdChart extends EnvironmentChart {

    public ArgoCdChart(Construct scope, String id, Environment environment) {
        super(scope, id, environment, environment.gitOps().applicationNamespace(environment.namespace()));
        new ArgoApplication(this, "keyboss", ArgoApplicationProps.builder().name("keyboss")
                .path("dist/" + environment.name()).namespace(environment.namespace())
                .createNamespace(environment.createNamespace()).build());
    }

    /** {@code argocd/}. */
    @Override
    public String folder() {
        return "argocd/";
    }

    /** Never: applied once by hand: it is what makes Argo CD sync the rest. */
    @Override
    public boolean syncedByArgoCd() {
        return false;
    }
}
