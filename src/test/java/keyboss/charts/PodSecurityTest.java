package keyboss.charts;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.model.Manifest;
import keyboss.charts.validation.PodSecurity;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Problem;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Pod Security Standards as pod-security-admission 1.34 applies them: each baseline and
 * restricted check caught on a pod that breaks only it, in every kind that carries pods,
 * pod-level settings covering containers as upstream resolves them, and the exception
 * annotation skipping only the checks it names.
 */
class PodSecurityTest {

    /** A restricted-compliant container, with {@code extra} security context fields (flow YAML). */
    private static String container(String name, String securityExtra, String extra) {
        String capabilities = securityExtra.contains("capabilities:") ? "" : ", capabilities: {drop: [ALL]}";
        return "{name: " + name + ", image: 'app:1.0', securityContext: {allowPrivilegeEscalation: false" + capabilities
                + (securityExtra.isEmpty() ? "" : ", " + securityExtra) + "}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    /** A restricted-compliant pod spec: pod-level non-root and RuntimeDefault seccomp, plus {@code extra}. */
    private static String podSpec(String containers, String extra) {
        return "{securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}},"
                + " containers: [" + containers + "]" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private static String restrictedPod() {
        return podSpec(container("app", "", ""), "");
    }

    /** {@code spec} (a pod spec) carried by {@code kind}, with {@code annotations} on the object. */
    static String object(String kind, String spec, String annotations) {
        String meta = "{name: app, namespace: shop" + (annotations.isEmpty() ? "" : ", annotations: {" + annotations + "}") + "}";
        String template = "{metadata: {labels: {app: app}}, spec: " + spec + "}";
        return switch (kind) {
            case "Pod" -> "{apiVersion: v1, kind: Pod, metadata: " + meta + ", spec: " + spec + "}";
            case "PodTemplate" -> "{apiVersion: v1, kind: PodTemplate, metadata: " + meta + ", template: " + template + "}";
            case "ReplicationController" -> "{apiVersion: v1, kind: ReplicationController, metadata: " + meta
                    + ", spec: {selector: {app: app}, template: " + template + "}}";
            case "Job" -> "{apiVersion: batch/v1, kind: Job, metadata: " + meta + ", spec: {template: " + template + "}}";
            case "CronJob" -> "{apiVersion: batch/v1, kind: CronJob, metadata: " + meta + ", spec: {schedule: '@daily',"
                    + " jobTemplate: {spec: {template: " + template + "}}}}";
            default -> "{apiVersion: apps/v1, kind: " + kind + ", metadata: " + meta + ", spec: {selector: {matchLabels:"
                    + " {app: app}}, template: " + template + "}}";
        };
    }

    private static final List<String> KINDS = List.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "CronJob", "ReplicationController", "PodTemplate");

    private static List<Problem> check(PodSecurity.Level level, String yaml) {
        List<Problem> out = new ArrayList<>();
        for (Manifest m : Yaml.manifests(yaml)) {
            PodSecurity.check("t", m, level, out);
        }
        return out;
    }

    private static List<Problem> restricted(String yaml) {
        return check(PodSecurity.Level.RESTRICTED, yaml);
    }

    private static List<Problem> baseline(String yaml) {
        return check(PodSecurity.Level.BASELINE, yaml);
    }

    /** The names of the checks the problems report, in order. */
    private static List<String> checks(List<Problem> problems) {
        return problems.stream().map(p -> p.allowed().replaceAll("^Pod Security \"\\w+\" \\((\\w+)\\).*", "$1")).toList();
    }

    @Test
    void aRestrictedPodPassesInEveryKindThatCarriesPods() {
        for (String kind : KINDS) {
            assertEquals(List.of(), restricted(object(kind, restrictedPod(), "")), kind);
        }
    }

    @Test
    void everyKindIsChecked() {
        String privileged = podSpec(container("app", "privileged: true", ""), "");
        for (String kind : KINDS) {
            List<Problem> problems = restricted(object(kind, privileged, ""));
            assertEquals(List.of("privileged"), checks(problems), kind);
            assertTrue(problems.get(0).property().endsWith("containers[0].securityContext.privileged"), problems.toString());
        }
        assertContainsAll(restricted(object("CronJob", privileged, "")).get(0).property(),
                "spec.jobTemplate.spec.template.spec.containers[0]");
        assertContainsAll(restricted(object("PodTemplate", privileged, "")).get(0).property(), "template.spec.containers[0]");
    }

    @Test
    void eachBaselineCheckIsCaught() {
        String[][] cases = {
                {"privileged", podSpec(container("app", "privileged: true", ""), "")},
                {"hostNamespaces", podSpec(container("app", "", ""), "hostNetwork: true")},
                {"hostNamespaces", podSpec(container("app", "", ""), "hostPID: true")},
                {"hostNamespaces", podSpec(container("app", "", ""), "hostIPC: true")},
                {"hostPathVolumes", podSpec(container("app", "", ""), "volumes: [{name: h, hostPath: {path: /var/run}}]")},
                {"hostPorts", podSpec(container("app", "", "ports: [{containerPort: 80, hostPort: 80}]"), "")},
                {"capabilities", podSpec(container("app", "capabilities: {add: [NET_RAW]}", ""), "")},
                {"appArmorProfile", podSpec(container("app", "appArmorProfile: {type: Unconfined}", ""), "")},
                {"seLinuxOptions", podSpec(container("app", "seLinuxOptions: {type: spc_t}", ""), "")},
                {"seLinuxOptions", podSpec(container("app", "seLinuxOptions: {user: system_u}", ""), "")},
                {"seLinuxOptions", podSpec(container("app", "seLinuxOptions: {role: system_r}", ""), "")},
                {"procMount", podSpec(container("app", "procMount: Unmasked", ""), "")},
                {"seccompProfile", podSpec(container("app", "seccompProfile: {type: Unconfined}", ""), "")},
                {"sysctls", podSpec(container("app", "", ""), "").replace("seccompProfile: {type: RuntimeDefault}}",
                        "seccompProfile: {type: RuntimeDefault}, sysctls: [{name: kernel.msgmax, value: '65536'}]}")},
                {"windowsHostProcess", podSpec(container("app", "windowsOptions: {hostProcess: true}", ""), "")},
                {"hostProbesAndHostLifecycle", podSpec(container("app", "", "readinessProbe: {httpGet: {host: 10.0.0.1,"
                        + " port: 80}}"), "")},
                {"hostProbesAndHostLifecycle", podSpec(container("app", "", "lifecycle: {preStop: {tcpSocket: {host: db,"
                        + " port: 5432}}}"), "")},
        };
        for (String[] c : cases) {
            List<String> found = checks(baseline(object("Deployment", c[1], "")));
            // The baseline capabilities check allows the default set; restricted allows only NET_BIND_SERVICE.
            assertEquals(List.of(c[0]), found, c[0] + " at baseline: " + c[1]);
            assertTrue(checks(restricted(object("Deployment", c[1], ""))).contains(c[0]), c[0] + " at restricted");
        }
        assertEquals(List.of(), baseline(object("Pod", podSpec(container("app", "capabilities: {add: [CHOWN, SETUID]}",
                ""), ""), "")), "the default capabilities pass baseline");
        assertEquals(List.of(), baseline(object("Pod", podSpec(container("app", "seLinuxOptions: {type: container_t},"
                + " appArmorProfile: {type: Localhost, localhostProfile: p}, procMount: Default", ""),
                "securityContext: {sysctls: [{name: net.ipv4.ip_local_port_range, value: '1024 65535'}]}"), "")));
        assertEquals(List.of("appArmorProfile"), checks(baseline(object("Pod", restrictedPod(),
                "container.apparmor.security.beta.kubernetes.io/app: unconfined"))));
    }

    @Test
    void eachRestrictedCheckIsCaught() {
        String[][] cases = {
                {"restrictedVolumes", podSpec(container("app", "", ""), "volumes: [{name: n, nfs: {server: nas, path: /x}}]")},
                {"allowPrivilegeEscalation", podSpec("{name: app, image: 'app:1', securityContext: {capabilities: {drop:"
                        + " [ALL]}}}", "")},
                {"runAsNonRoot", podSpec(container("app", "", ""), "").replace("runAsNonRoot: true", "runAsNonRoot: false")},
                {"runAsNonRoot", podSpec(container("app", "runAsNonRoot: false", ""), "")},
                {"runAsUser", podSpec(container("app", "runAsUser: 0", ""), "")},
                {"runAsUser", podSpec(container("app", "", ""), "").replace("runAsUser: 1000", "runAsUser: 0")},
                {"seccompProfile", podSpec(container("app", "", ""), "").replace(", seccompProfile: {type: RuntimeDefault}", "")},
                {"capabilities", podSpec("{name: app, image: 'app:1', securityContext: {allowPrivilegeEscalation: false}}", "")},
                {"capabilities", podSpec(container("app", "", ""), "").replace("drop: [ALL]", "drop: [ALL], add: [SYS_ADMIN]")},
        };
        for (String[] c : cases) {
            assertEquals(List.of(c[0]), checks(restricted(object("Deployment", c[1], ""))), c[0] + ": " + c[1]);
            assertEquals(List.of(), baseline(object("Deployment", c[1], "")).stream()
                    .filter(p -> !p.allowed().contains("(capabilities)")).toList(), c[0] + " is not a baseline check");
        }
        assertEquals(List.of(), restricted(object("Pod", podSpec(container("app", "", ""), "volumes: [{name: a, emptyDir: {}},"
                + " {name: b, configMap: {name: c}}, {name: c, secret: {secretName: s}}, {name: d, persistentVolumeClaim:"
                + " {claimName: d}}, {name: e, projected: {sources: []}}, {name: f, downwardAPI: {}}, {name: g, csi:"
                + " {driver: x}}, {name: h, ephemeral: {volumeClaimTemplate: {spec: {}}}}, {name: i, image: {reference:"
                + " 'x:1'}}]"), "")), "the allowed volume types");
        assertEquals(List.of(), restricted(object("Pod", podSpec(container("app", "capabilities: {drop: [ALL], add:"
                + " [NET_BIND_SERVICE]}", ""), ""), "")), "NET_BIND_SERVICE may be added back");
    }

    @Test
    void podLevelSettingsCoverContainersAsUpstreamResolvesThem() {
        String noPodContext = "{containers: [" + container("app", "runAsNonRoot: true, seccompProfile: {type: Localhost,"
                + " localhostProfile: p.json}", "") + "]}";
        assertEquals(List.of(), restricted(object("Pod", noPodContext, "")), "container-level settings suffice");
        String podOnly = podSpec(container("app", "", ""), "");
        assertEquals(List.of(), restricted(object("Pod", podOnly, "")), "pod-level settings cover the containers");
        assertEquals(List.of("runAsNonRoot"), checks(restricted(object("Pod",
                podSpec(container("app", "runAsNonRoot: false", ""), ""), ""))), "a container overrides the pod");
        assertEquals(List.of("seccompProfile"), checks(restricted(object("Pod",
                podSpec(container("app", "seccompProfile: {type: Unconfined}", ""), ""), ""))));
        String badPodSeccomp = podOnly.replace("seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}");
        assertEquals(List.of("seccompProfile"), checks(restricted(object("Pod", badPodSeccomp, ""))),
                "an Unconfined pod profile (upstream names the pod, not the containers relying on it)");
        String initAndEphemeral = podSpec(container("app", "", ""), "initContainers: [" + container("init", "runAsUser: 0", "")
                + "], ephemeralContainers: [{name: debug, image: 'busybox:1.36'}]");
        List<Problem> problems = restricted(object("Pod", initAndEphemeral, ""));
        assertEquals(List.of("runAsUser", "allowPrivilegeEscalation", "capabilities"), checks(problems));
        assertContainsAll(problems.toString(), "spec.initContainers[0].securityContext.runAsUser",
                "spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation");
        String windows = "{os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: app, image: 'app:1'}]}";
        assertEquals(List.of(), restricted(object("Pod", windows, "")),
                "Windows pods are exempt from the Linux-only restricted checks");
    }

    private static final String ROOT_NGINX = podSpec(container("nginx", "capabilities: {drop: [ALL], add: [CHOWN,"
            + " SETUID, SETGID, NET_BIND_SERVICE]}", ""), "").replace("runAsNonRoot: true, runAsUser: 1000, ", "");

    @Test
    void theExceptionSkipsOnlyTheChecksItNames() {
        assertEquals(List.of("capabilities", "capabilities", "capabilities", "runAsNonRoot"),
                checks(restricted(object("Deployment", ROOT_NGINX, ""))));
        String exception = ClusterProfile.SECURITY_EXCEPTION + ": 'runAsNonRoot,capabilities: nginx starts as root'";
        assertEquals(List.of(), restricted(object("Deployment", ROOT_NGINX, exception)));
        String spaced = ClusterProfile.SECURITY_EXCEPTION + ": ' runAsNonRoot , capabilities :nginx starts as root'";
        assertEquals(List.of(), restricted(object("Deployment", ROOT_NGINX, spaced)));
        List<Problem> onlyOne = restricted(object("Deployment", ROOT_NGINX,
                ClusterProfile.SECURITY_EXCEPTION + ": 'runAsNonRoot: nginx starts as root'"));
        assertEquals(List.of("capabilities", "capabilities", "capabilities"), checks(onlyOne), "capabilities still apply");
        List<Problem> plusHostPath = restricted(object("Deployment", ROOT_NGINX.replace("containers:",
                "volumes: [{name: h, hostPath: {path: /}}], containers:"), exception));
        assertEquals(List.of("hostPathVolumes"), checks(plusHostPath), "other checks are never skipped");
    }

    @Test
    void aMalformedExceptionIsAProblemAndSkipsNothing() {
        String key = ClusterProfile.SECURITY_EXCEPTION;
        Problem noReason = restricted(object("Deployment", ROOT_NGINX, key + ": 'runAsNonRoot,capabilities'")).get(0);
        assertContainsAll(noReason.toString(), "metadata.annotations." + key, "names the checks it skips and why",
                "runAsNonRoot,capabilities: nginx starts as root", "no check is skipped");
        assertEquals(5, restricted(object("Deployment", ROOT_NGINX, key + ": 'runAsNonRoot,capabilities'")).size(),
                "the malformed exception and every breach");
        assertEquals(5, restricted(object("Deployment", ROOT_NGINX, key + ": 'runAsNonRoot,capabilities:   '")).size(),
                "a blank reason is no reason");
        assertEquals(5, restricted(object("Deployment", ROOT_NGINX, key + ": 'nginx binds 80 as root'")).size(),
                "the old form (a reason only) skips nothing");
        List<Problem> unknown = restricted(object("Deployment", ROOT_NGINX, key + ": 'runAsNonRoot,capabilties,root: typo'"));
        assertContainsAll(unknown.toString(), key + " = capabilties", key + " = root", "known Pod Security checks");
        assertEquals(List.of("capabilities", "capabilities", "capabilities"), checks(unknown.subList(2, 5)),
                "the known name still applies, the misspelt one does not");
        List<Problem> unneeded = restricted(object("Deployment", restrictedPod(), key + ": 'privileged: just in case'"));
        assertEquals(1, unneeded.size(), unneeded.toString());
        assertContainsAll(unneeded.get(0).toString(), key + " = privileged", "they pass privileged", "remove privileged");
        assertEquals(List.of(), baseline(object("Deployment", restrictedPod(), key + ": 'runAsNonRoot: a restricted check'")),
                "a restricted check named under baseline is not judged unneeded");
    }

    @Test
    void theDashboardNamesItsTwoChecksAndDistHasNoOtherException() {
        for (String env : List.of("local", "deti")) {
            for (Manifest m : Fixtures.readYaml(Fixtures.DIST.resolve(env))) {
                Object exception = Manifest.map(m.metadata().get("annotations")).get(ClusterProfile.SECURITY_EXCEPTION);
                if (exception != null) {
                    assertEquals("Deployment/saleor-dashboard", m.id(), env);
                    assertTrue(String.valueOf(exception).startsWith("runAsNonRoot,capabilities: nginx"), exception.toString());
                }
            }
        }
        Manifest dashboard = Fixtures.find(Fixtures.readYaml(Fixtures.DIST.resolve("deti")), "Deployment", "saleor-dashboard");
        List<Problem> out = new ArrayList<>();
        PodSecurity.check("deti", dashboard, PodSecurity.Level.RESTRICTED, out);
        assertEquals(List.of(), out, "both named checks are needed, and nothing else is broken");
    }
    /**
     * The exception list is empty and every container of dist/ runs non-root with a read-only
     * root file system: no workload of either environment skips a check.
     */
    @Test
    void noWorkloadInDistNeedsAnExceptionAndEveryContainerRunsNonRootReadOnly() {
        int containers = 0;
        for (String env : List.of("local", "deti")) {
            for (Manifest m : Fixtures.readYaml(Fixtures.DIST.resolve(env))) {
                PodTemplates.Pod pod = PodTemplates.of(m);
                if (pod == null) {
                    continue;
                }
                for (Object annotations : List.of(m.metadata().getOrDefault("annotations", java.util.Map.of()),
                        pod.metadata().getOrDefault("annotations", java.util.Map.of()))) {
                    assertTrue(!Manifest.map(annotations).containsKey(ClusterProfile.SECURITY_EXCEPTION),
                            env + " " + m.id() + " carries a Pod Security exception");
                }
                Object podNonRoot = Manifest.map(pod.spec().get("securityContext")).get("runAsNonRoot");
                for (PodTemplates.Container c : pod.containers()) {
                    java.util.Map<String, Object> sc = Manifest.map(c.fields().get("securityContext"));
                    assertEquals(true, sc.getOrDefault("runAsNonRoot", podNonRoot), env + " " + m.id() + " " + c.path());
                    assertEquals(true, sc.get("readOnlyRootFilesystem"), env + " " + m.id() + " " + c.path());
                    containers++;
                }
                List<Problem> breaches = new ArrayList<>();
                PodSecurity.check(env, m, PodSecurity.Level.RESTRICTED, breaches);
                assertEquals(List.of(), breaches, env + " " + m.id());
            }
        }
        assertTrue(containers > 50, "dist/ holds the shop's containers: " + containers);
    }
}
