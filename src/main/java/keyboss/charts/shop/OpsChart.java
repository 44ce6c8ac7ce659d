package keyboss.charts.shop;

import keyboss.charts.core.EnvironmentChart;

import software.constructs.Construct;

/**
 * Operations for one environment that must never run on every sync: {@code restore} (a logical
 * dump into the primary, in one transaction), {@code pitr} (point-in-time recovery into a new
 * volume, never over a member) and {@code valkey-restore} (a snapshot onto each Valkey volume).
 * Written to {@code dist/<env>/ops/}, outside what Argo CD syncs; apply one by hand with
 * {@code kubectl apply -f dist/<env>/ops/<file>}, after setting its variables (README).
 */
public class OpsChart extends EnvironmentChart {

    public OpsChart(Construct scope, String id, KeybossChart shop) {
        super(scope, id, shop.environment());
        shop.backup().addRestoreJob(this, "restore");
        shop.baseBackups().addRecoveryJob(this, "pitr", null);
        shop.valkeyBackup().addRestoreJobs(this, "valkey-restore");
    }

    /** {@code ops/}. */
    @Override
    public String folder() {
        return "ops/";
    }

    /** Never: each Job runs only when an operator applies it. */
    @Override
    public boolean syncedByArgoCd() {
        return false;
    }
}
