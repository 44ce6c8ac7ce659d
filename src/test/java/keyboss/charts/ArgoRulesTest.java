package keyboss.charts;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.env.GitOps;
import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.Manifest;
import keyboss.charts.validation.PodSecurity;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Size;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A tenant of a shared Argo CD (deti) deploys only into its own namespace, on the cluster Argo
 * CD runs in, through the project its profile names, never the default one.
 */
class ArgoRulesTest {

    private static final ClusterProfile DETI = Environment.builtIn("deti").profile();

    private static String application(String project, String destination) {
        return "{apiVersion: argoproj.io/v1alpha1, kind: Application, metadata: {name: keyboss, namespace: tenant-keyboss},"
                + " spec: {project: " + project + ", source: {repoURL: 'https://github.com/keyboss/keyboss-charts.git', path:"
                + " dist/deti, targetRevision: main}, destination: {" + destination + "}, syncPolicy: {syncOptions:"
                + " [ServerSideApply=true]}}}";
    }

    private static final String HOME = "server: 'https://kubernetes.default.svc', namespace: tenant-keyboss";

    private static List<Problem> tenant(String yaml) {
        return ClusterRules.check(DETI, Yaml.manifests(yaml));
    }

    @Test
    void theProfileNamesTheTenantsProject() {
        assertEquals("tenant-keyboss", DETI.argoProject());
        assertNull(Environment.builtIn("local").profile().argoProject(), "local runs its own Argo CD");
        assertEquals("tenant-keyboss", Environment.deti().gitOps().project());
    }

    @Test
    void anApplicationDeploysOnlyThroughTheTenantsProjectIntoItsNamespace() {
        Function<String, List<Problem>> check = ArgoRulesTest::tenant;
        Yaml.accepts(check, application("tenant-keyboss", HOME));
        assertContainsAll(Yaml.rejects(check, application("default", HOME), "spec.project", "project tenant-keyboss")
                .toString(), "spec.project = default", "not open to a tenant", "set spec.project: tenant-keyboss");
        Yaml.rejects(check, application("other-team", HOME), "spec.project", "project tenant-keyboss");
        Yaml.rejects(check, application("tenant-keyboss", HOME.replace("namespace: tenant-keyboss", "namespace: kube-system")),
                "spec.destination.namespace", "only into the tenant's namespace tenant-keyboss");
        Yaml.rejects(check, application("tenant-keyboss", "server: 'https://kubernetes.default.svc'"),
                "spec.destination.namespace", "only into the tenant's namespace");
        Yaml.rejects(check, application("tenant-keyboss", HOME.replace("kubernetes.default.svc", "prod.example:6443")),
                "spec.destination", "the cluster Argo CD runs in");
        Yaml.accepts(check, application("tenant-keyboss", "name: in-cluster, namespace: tenant-keyboss"));
        Yaml.rejects(check, application("tenant-keyboss", HOME).replace("[ServerSideApply=true]",
                "[CreateNamespace=true]"), "spec.syncPolicy.syncOptions", "may not create namespaces");
        Yaml.rejects(check, "{apiVersion: argoproj.io/v1alpha1, kind: AppProject, metadata: {name: p, namespace:"
                + " tenant-keyboss}, spec: {}}", "kind", "may not define AppProjects");
    }

    @Test
    void anEnvironmentRunningItsOwnArgoCdMayUseAnyProject() {
        List<Problem> problems = ClusterRules.check(Environment.builtIn("local").profile(), Yaml.manifests(application("default",
                "server: 'https://kubernetes.default.svc', namespace: keyboss").replace("namespace: tenant-keyboss}",
                "namespace: argocd}")));
        assertEquals(List.of(), problems);
    }

    @Test
    void aTenantCannotBeConfiguredWithTheDefaultProject() {
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> GitOps.mainInOwnNamespace("default"))
                .getMessage(), "cannot use the project 'default'", "mainInOwnNamespace");
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> new ClusterProfile("t", "t", false, "s",
                Size.gi(1), false, java.util.Set.of(), List.of(), PodSecurity.Level.RESTRICTED, true, true, java.util.Set.of(),
                "default", ImagePolicy.VERSIONED)).getMessage(), "may not use the project 'default'");
    }

    @Test
    void theCommittedApplicationsOfDetiUseTheTenantsProject() {
        List<Manifest> applications = Fixtures.readYaml(Fixtures.DIST.resolve("deti")).stream()
                .filter(m -> "Application".equals(m.kind())).toList();
        assertEquals(2, applications.size());
        for (Manifest m : applications) {
            assertEquals("tenant-keyboss", m.at("spec.project"), m.file());
            assertEquals("tenant-keyboss", m.at("spec.destination.namespace"), m.file());
        }
    }
}
