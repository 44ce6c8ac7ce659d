package keyboss.charts;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Permission;
import keyboss.charts.model.Problem;
import keyboss.charts.validation.RbacRules;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RBAC wildcards judged as Kubernetes RBAC matches requests (rbac/v1 evaluation helpers): the
 * tenant profile deti, which lacks pods/exec and deployments/scale, catches every rule and
 * binding that would grant them, and only those.
 */
class RbacRulesTest {

    private static final Permission EXEC = Permission.of("", "pods/exec", Permission.ANY_VERB);
    private static final Permission SCALE = Permission.of("apps", "deployments/scale", Permission.ANY_VERB);

    @Test
    void permissionsMatchAsKubernetesRbacDoes() {
        assertTrue(EXEC.grantedBy("", "pods/exec", "create"));
        assertTrue(EXEC.grantedBy("", "pods/exec", "get"), "exec over WebSockets is a get");
        assertTrue(EXEC.grantedBy("*", "*", "get"), "* matches every group, resource and subresource");
        assertTrue(EXEC.grantedBy("", "*", "create"));
        assertTrue(EXEC.grantedBy("", "*/exec", "create"), "*/exec matches the exec subresource of every resource");
        assertTrue(EXEC.grantedBy("*", "pods/exec", "create"));
        assertFalse(EXEC.grantedBy("", "pods/*", "create"), "pods/* is no wildcard in RBAC");
        assertFalse(EXEC.grantedBy("", "pods", "*"), "the pods resource does not include its subresources");
        assertFalse(EXEC.grantedBy("", "*/log", "*"));
        assertFalse(EXEC.grantedBy("", "*/*", "*"), "*/* matches only a one-letter subresource");
        assertFalse(EXEC.grantedBy("apps", "pods/exec", "create"), "pods live in the core group");
        assertTrue(SCALE.grantedBy("apps", "*/scale", "patch"));
        assertTrue(SCALE.grantedBy("apps", "deployments/scale", "update"));
        assertFalse(SCALE.grantedBy("", "deployments/scale", "update"), "deployments live in apps");
        assertFalse(SCALE.grantedBy("extensions", "*/scale", "update"));
        assertFalse(SCALE.grantedBy("apps", "deployments", "*"));
        Permission createExec = Permission.of("", "pods/exec", "create");
        assertTrue(createExec.grantedBy("", "pods/exec", "*"));
        assertFalse(createExec.grantedBy("", "pods/exec", "get"));
    }

    private static String role(String rule) {
        return "{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r, namespace: tenant-keyboss}, rules: ["
                + rule + "]}";
    }

    /** The deti profile's problems about permissions the tenant lacks. */
    private static List<Problem> denied(String yaml) {
        return ClusterRules.check(Environment.deti().profile(), Yaml.manifests(yaml)).stream()
                .filter(p -> p.allowed().contains("does not let the tenant hold")).toList();
    }

    @Test
    void theTenantProfileCatchesEveryRuleThatWouldGrantExecOrScale() {
        String[][] granting = {
                {"{apiGroups: [''], resources: [pods/exec], verbs: [create]}", "any verb on pods/exec"},
                {"{apiGroups: [''], resources: [pods/exec], verbs: [get]}", "any verb on pods/exec"},
                {"{apiGroups: [''], resources: ['*/exec'], verbs: [create]}", "any verb on pods/exec"},
                {"{apiGroups: [''], resources: ['*'], verbs: [create]}", "any verb on pods/exec"},
                {"{apiGroups: ['*'], resources: [pods/exec], verbs: ['*']}", "any verb on pods/exec"},
                {"{apiGroups: [''], resources: [pods/exec], resourceNames: [postgres-0], verbs: [create]}", "pods/exec"},
                {"{apiGroups: [apps], resources: [deployments/scale], verbs: [patch]}", "apps/deployments/scale"},
                {"{apiGroups: [apps], resources: ['*/scale'], verbs: [update]}", "apps/deployments/scale"},
                {"{apiGroups: ['*'], resources: ['*/scale'], verbs: ['*']}", "apps/deployments/scale"},
        };
        for (String[] c : granting) {
            List<Problem> problems = denied(role(c[0]));
            assertEquals(1, problems.size(), c[0] + ": " + problems);
            assertContainsAll(problems.get(0).toString(), "rules[0]", c[1], "no Role may grant it");
        }
        assertEquals(2, denied(role("{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")).size(), "* grants both");
        for (String harmless : List.of("{apiGroups: [''], resources: [pods, pods/log], verbs: ['*']}",
                "{apiGroups: [apps], resources: [deployments], verbs: [patch, update]}",
                "{apiGroups: [apps], resources: [pods/exec], verbs: [create]}",
                "{apiGroups: [''], resources: [deployments/scale], verbs: [update]}",
                "{apiGroups: [''], resources: ['*/log'], verbs: [get]}")) {
            assertEquals(List.of(), denied(role(harmless)), harmless);
        }
    }

    @Test
    void bindingABuiltInRoleThatGrantsExecOrScaleIsCaught() {
        String binding = "{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: b, namespace:"
                + " tenant-keyboss}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}, subjects: [{kind:"
                + " ServiceAccount, name: app}]}";
        for (String role : List.of("edit", "admin", "cluster-admin")) {
            List<Problem> problems = denied(binding.formatted("ClusterRole", role));
            assertEquals(2, problems.size(), role + ": " + problems);
            assertContainsAll(problems.get(0).toString(), "roleRef = ClusterRole/" + role, "the built-in ClusterRole " + role);
        }
        assertEquals(List.of(), denied(binding.formatted("ClusterRole", "view")));
        assertEquals(List.of(), denied(binding.formatted("Role", "edit")), "a Role named edit is the tenant's own");
        assertEquals(List.of(), ClusterRules.check(Environment.local().profile(), Yaml.manifests(binding.formatted("ClusterRole", "edit")
                .replace("tenant-keyboss", "keyboss"))).stream().filter(p -> p.allowed().contains("tenant")).toList(),
                "local denies nothing");
    }

    @Test
    void aResourceSlashStarIsNoWildcardAndSaysSo() {
        List<Problem> problems = Yaml.api(role("{apiGroups: [''], resources: [pods/*], verbs: [create]}"));
        assertEquals(1, problems.size(), problems.toString());
        assertContainsAll(problems.get(0).toString(), "rules[0].resources = pods/*", "grants nothing", "pods/log");
        assertEquals(List.of(), denied(role("{apiGroups: [''], resources: [pods/*], verbs: [create]}")),
                "and it grants no exec either");
    }

    @Test
    void theCommittedRolesGrantNeitherExecNorScale() {
        List<Manifest> deti = Fixtures.readYaml(Fixtures.DIST.resolve("deti"));
        assertTrue(deti.stream().anyMatch(m -> "Role".equals(m.kind())));
        for (Manifest m : deti) {
            Findings f = new Findings("deti", new java.util.ArrayList<>());
            RbacRules.checkDenied("deti", Environment.deti().deniedPermissions(), m, f);
            assertEquals(0, f.count(), m.id());
        }
    }
}
