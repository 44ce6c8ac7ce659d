package keyboss.charts;

import keyboss.charts.app.AppConfig;
import keyboss.charts.app.AppConfigProps;
import keyboss.charts.gitops.ArgoApplication;
import keyboss.charts.gitops.ArgoApplicationProps;
import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.data.BaseBackups;
import keyboss.charts.data.BaseBackupsProps;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.app.CeleryWorkersProps;
import keyboss.charts.core.Component;
import keyboss.charts.app.Dashboard;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.NetworkPolicies;
import keyboss.charts.core.NetworkPoliciesProps;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.core.Problems;
import keyboss.charts.data.RestoreDrill;
import keyboss.charts.data.RestoreDrillProps;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.SaleorApiProps;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.ShopIngressProps;
import keyboss.charts.app.Storefront;
import keyboss.charts.data.ValkeyBackup;
import keyboss.charts.data.ValkeyBackupProps;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.cdk8s.App;
import org.junit.jupiter.api.Test;

/**
 * A construct whose input has problems reports them and builds nothing from the bad input, yet
 * every accessor stays safe: no null, no exception. Then the rest of a chart can still be built,
 * so that synthesis lists every problem at once.
 */
class ConstructsWithProblemsTest {

    @Test
    void everyAccessorOfAConstructWithProblemsReturnsAValue() {
        App app = new App();
        EnvironmentChart c = new EnvironmentChart(app, "test", Environment.local());
        List<Component> broken = new ArrayList<>();
        PostgresHA postgres = new PostgresHA(c, "postgres", PostgresHAProps.builder().replicas(1).build());
        ValkeySentinel valkey = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().quorum(1).build());
        broken.add(postgres);
        broken.add(valkey);
        SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().build());
        broken.add(api);
        broken.add(new CeleryWorkers(c, "workers", CeleryWorkersProps.builder().build()));
        Storefront storefront = new Storefront(c, "storefront", Storefront.defaults().build());
        Dashboard dashboard = new Dashboard(c, "dashboard", Dashboard.defaults().path("dashboard").build());
        broken.add(storefront);
        broken.add(dashboard);
        broken.add(new AppConfig(c, "config", AppConfigProps.builder().build()));
        broken.add(new ShopIngress(c, "ingress", ShopIngressProps.builder().host("Bad_Host").build()));
        BaseBackups baseBackups = new BaseBackups(c, "basebackup", BaseBackupsProps.builder().build());
        broken.add(baseBackups);
        broken.add(new BackupCronJob(c, "backup", BackupCronJobProps.builder().build()));
        broken.add(new RestoreDrill(c, "drill", RestoreDrillProps.builder().build()));
        broken.add(new ValkeyBackup(c, "valkey-backup", ValkeyBackupProps.builder().build()));
        broken.add(new NetworkPolicies(c, "policies", NetworkPoliciesProps.builder().build()));
        broken.add(new ArgoApplication(c, "app", ArgoApplicationProps.builder().name("app").build()));

        List<String> unsafe = new ArrayList<>();
        for (Component construct : broken) {
            assertTrue(construct.hasProblems(), construct.getNode().getPath() + " reports a problem");
            assertFalse(construct.getNode().validate().isEmpty(), construct.getNode().getPath() + " fails its validation");
            for (Method m : construct.getClass().getMethods()) {
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                        || !Component.class.isAssignableFrom(m.getDeclaringClass())) {
                    continue;
                }
                String where = construct.getClass().getSimpleName() + "." + m.getName() + "()";
                try {
                    if (m.invoke(construct) == null) {
                        unsafe.add(where + " returned null");
                    }
                } catch (InvocationTargetException e) {
                    unsafe.add(where + " threw " + e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertEquals(List.of(), unsafe);
        // Every problem is listed at once, each construct's own.
        List<Problem> problems = Problems.of(app).list();
        for (Component construct : broken) {
            assertTrue(problems.stream().anyMatch(p -> p.path().equals(construct.getNode().getPath())),
                    construct.getNode().getPath() + " among " + problems);
        }
        assertNotNull(api.backend());
    }
}
