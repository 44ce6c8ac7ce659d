package keyboss.charts.shop;

import keyboss.charts.gitops.ArgoCdChart;
import keyboss.charts.gitops.ArgoRootChart;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;

import java.util.List;
import software.constructs.Construct;

/**
 * Every chart of one environment: the shop Argo CD syncs, the operations applied by hand, Argo CD
 * itself and its bootstrap Application. Each chart declares its own folder and whether Argo CD
 * syncs it ({@link EnvironmentChart#folder()}, {@link EnvironmentChart#syncedByArgoCd()}), so this
 * list may grow or change order without moving a file.
 */
public final class ShopCharts {

    private ShopCharts() {
    }

    /** The charts of {@code environment}, as children of {@code app} with ids {@code <env>}, {@code <env>-ops}, ... */
    public static List<EnvironmentChart> of(Construct app, Environment environment) {
        String name = environment.name();
        KeybossChart shop = new KeybossChart(app, name, environment);
        return List.of(shop,
                new OpsChart(app, name + "-ops", shop),
                new ArgoCdChart(app, name + "-argocd", environment),
                new ArgoRootChart(app, name + "-argocd-root", environment));
    }
}
