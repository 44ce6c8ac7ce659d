package keyboss.charts;

import software.constructs.Construct;

/**
 * Operations for one environment that must never run on every sync: the restore Job and the
 * restore-test Job. Written to {@code dist/<env>/ops/}, outside what Argo CD syncs; apply one
 * by hand with {@code kubectl apply -f dist/<env>/ops/<file>}.
 */
public class OpsChart extends EnvironmentChart {

    public OpsChart(Construct scope, String id, KeybossChart shop) {
        super(scope, id, shop.environment());
        shop.backup().addRestoreJob(this, "restore");
        shop.backup().addRestoreTestJob(this, "restore-test");
    }
}
