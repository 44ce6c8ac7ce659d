package keyboss.charts;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standard "restricted" level, checked on a workload's pod template as the
 * admission controller would check the pods: no host namespaces or hostPath volumes, not
 * privileged, no privilege escalation, all capabilities dropped (NET_BIND_SERVICE may be added
 * back), non-root, and a RuntimeDefault or Localhost seccomp profile. A workload annotated with
 * {@link ClusterProfile#SECURITY_EXCEPTION} and a reason is exempt.
 */
final class PodSecurity {

    private static final String LEVEL = "Pod Security \"restricted\": ";
    private static final Set<String> SECCOMP = Set.of("RuntimeDefault", "Localhost");

    private PodSecurity() {
    }

    static void checkRestricted(String where, Manifest m, List<Problem> out) {
        Object reason = Manifest.map(m.metadata().get("annotations")).get(ClusterProfile.SECURITY_EXCEPTION);
        if (reason instanceof String text && !text.isBlank()) {
            return;
        }
        String podPath = "CronJob".equals(m.kind()) ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
        Map<String, Object> pod = CrossReferences.podSpec(m);
        Map<String, Object> podContext = Manifest.map(pod.get("securityContext"));
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Boolean.TRUE.equals(pod.get(host))) {
                out.add(problem(where, podPath + "." + host, true, "no host namespaces", "remove " + host));
            }
        }
        for (Object v : Manifest.list(pod.get("volumes"))) {
            if (Manifest.map(v).containsKey("hostPath")) {
                out.add(problem(where, podPath + ".volumes." + Manifest.map(v).get("name"), "hostPath",
                        "no hostPath volumes", "use a volume claim, emptyDir or ConfigMap"));
            }
        }
        boolean podNonRoot = Boolean.TRUE.equals(podContext.get("runAsNonRoot"));
        String podSeccomp = String.valueOf(Manifest.map(podContext.get("seccompProfile")).get("type"));
        if (Integer.valueOf(0).equals(podContext.get("runAsUser"))) {
            out.add(problem(where, podPath + ".securityContext.runAsUser", 0, "never user 0", "run as a non-root uid"));
        }
        for (Map.Entry<String, Object> entry : ClusterRules.containers(m).entrySet()) {
            String path = entry.getKey() + ".securityContext";
            Map<String, Object> context = Manifest.map(Manifest.map(entry.getValue()).get("securityContext"));
            if (Boolean.TRUE.equals(context.get("privileged"))) {
                out.add(problem(where, path + ".privileged", true, "not privileged", "remove privileged"));
            }
            if (!Boolean.FALSE.equals(context.get("allowPrivilegeEscalation"))) {
                out.add(problem(where, path + ".allowPrivilegeEscalation", context.get("allowPrivilegeEscalation"),
                        "allowPrivilegeEscalation must be false", "set allowPrivilegeEscalation: false"));
            }
            Map<String, Object> caps = Manifest.map(context.get("capabilities"));
            if (!Manifest.list(caps.get("drop")).contains("ALL")) {
                out.add(problem(where, path + ".capabilities.drop", caps.get("drop"), "drop ALL capabilities",
                        "set capabilities.drop: [ALL]"));
            }
            for (Object added : Manifest.list(caps.get("add"))) {
                if (!"NET_BIND_SERVICE".equals(added)) {
                    out.add(problem(where, path + ".capabilities.add", added, "only NET_BIND_SERVICE may be added back",
                            "remove the capability, or record a " + ClusterProfile.SECURITY_EXCEPTION + " annotation"
                                    + " saying why the workload needs it"));
                }
            }
            if (!podNonRoot && !Boolean.TRUE.equals(context.get("runAsNonRoot"))) {
                out.add(problem(where, path + ".runAsNonRoot", context.get("runAsNonRoot"),
                        "runAsNonRoot must be true (on the pod or every container)", "set runAsNonRoot: true and a"
                                + " numeric runAsUser the image works with"));
            }
            if (Integer.valueOf(0).equals(context.get("runAsUser"))) {
                out.add(problem(where, path + ".runAsUser", 0, "never user 0", "run as a non-root uid"));
            }
            String seccomp = String.valueOf(Manifest.map(context.get("seccompProfile")).get("type"));
            if (!SECCOMP.contains(podSeccomp) && !SECCOMP.contains(seccomp)) {
                out.add(problem(where, path + ".seccompProfile.type", null, "seccompProfile RuntimeDefault or"
                        + " Localhost (on the pod or every container)", "set seccompProfile.type: RuntimeDefault"));
            }
        }
    }

    private static Problem problem(String where, String field, Object value, String rule, String fix) {
        return new Problem(where, field, value, LEVEL + rule, fix);
    }
}
