package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standards, checked on a Pod or a workload's pod template as the
 * pod-security-admission controller (policy version {@value #POLICY_VERSION}) checks the pods:
 * the baseline checks (privileged, host namespaces, hostPath volumes, host ports, capabilities
 * beyond the default set, AppArmor, SELinux, /proc mount, seccomp, sysctls, Windows host
 * process, probe and lifecycle hosts) and, at "restricted", the volume type allow-list,
 * {@code allowPrivilegeEscalation: false}, non-root, no uid 0, a RuntimeDefault or Localhost
 * seccomp profile and capabilities dropped (NET_BIND_SERVICE may be added back). Pod-level
 * settings cover containers that leave them unset, as upstream resolves them; init and
 * ephemeral containers count.
 *
 * <p>A workload that cannot meet a check documents it in {@link ClusterProfile#SECURITY_EXCEPTION}
 * on its own metadata: {@code "runAsNonRoot,capabilities: nginx starts as root"}, the checks it
 * is exempt from (names in {@link #CHECKS}), a colon, and the reason. Only the named checks are
 * skipped; an unknown name, a missing reason, or a check that would pass anyway is a problem.
 */
public final class PodSecurity {

    /** The levels of the Pod Security Standards. */
    public enum Level {
        PRIVILEGED, BASELINE, RESTRICTED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The pod-security-admission policy version implemented: that of the API server this
     * project builds and tests against. Versions differ in the sysctl allow-list, the SELinux
     * types, probe hosts (1.34) and the user-namespace relaxations (1.35, not applied here).
     */
    static final String POLICY_VERSION = "1.34";

    /** Every check by the name the exception annotation uses, with the lowest level that runs it. */
    static final Map<String, Level> CHECKS;

    static {
        Map<String, Level> checks = new LinkedHashMap<>();
        for (String baseline : List.of("privileged", "hostNamespaces", "hostPathVolumes", "hostPorts", "capabilities",
                "appArmorProfile", "seLinuxOptions", "procMount", "seccompProfile", "sysctls", "windowsHostProcess",
                "hostProbesAndHostLifecycle")) {
            checks.put(baseline, Level.BASELINE);
        }
        for (String restricted : List.of("restrictedVolumes", "allowPrivilegeEscalation", "runAsNonRoot", "runAsUser")) {
            checks.put(restricted, Level.RESTRICTED);
        }
        CHECKS = Map.copyOf(checks);
    }

    private static final Set<String> DEFAULT_CAPABILITIES = Findings.setOf("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> SAFE_SYSCTLS = Findings.setOf("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
    private static final Set<String> SELINUX_TYPES = Findings.setOf("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");
    private static final Set<String> PROFILE_TYPES = Findings.setOf("RuntimeDefault", "Localhost");
    private static final Set<String> RESTRICTED_VOLUMES = Findings.setOf("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "image", "persistentVolumeClaim", "projected", "secret");
    private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

    private PodSecurity() {
    }

    /** One breach found by a check: the check's name, the field, its value, the rule, the fix. */
    private record Breach(String check, String field, Object value, String rule, String fix) {
    }

    /** Every breach of {@code level} by the pods of {@code m}, minus the checks its exception names. */
    public static void check(String environment, Manifest m, Level level, List<Problem> out) {
        PodTemplates.Pod pod = PodTemplates.of(m);
        if (pod == null || level == Level.PRIVILEGED) {
            return;
        }
        Findings f = Findings.of(environment, m, out);
        Set<String> exempt = exemptions(m, f);
        List<Breach> breaches = new ArrayList<>();
        baseline(pod, level, breaches);
        if (level == Level.RESTRICTED) {
            restricted(pod, breaches);
        }
        Set<String> broken = new LinkedHashSet<>();
        for (Breach b : breaches) {
            broken.add(b.check());
            if (!exempt.contains(b.check())) {
                f.add(b.field(), b.value(), "Pod Security \"" + level.label() + "\" (" + b.check() + "): " + b.rule(),
                        b.fix() + ", or name " + b.check() + " in the " + ClusterProfile.SECURITY_EXCEPTION
                                + " annotation with the reason");
            }
        }
        for (String name : exempt) {
            if (!broken.contains(name) && CHECKS.get(name).compareTo(level) <= 0) {
                f.add("metadata.annotations." + ClusterProfile.SECURITY_EXCEPTION, name, "an exception names only checks"
                        + " the pods break; they pass " + name, "remove " + name + " from the exception");
            }
        }
    }

    /**
     * The checks the exception annotation of {@code m} exempts; a malformed one exempts nothing.
     * Syntax: {@code check[,check...]: reason}.
     */
    static Set<String> exemptions(Manifest m, Findings f) {
        Object raw = Manifest.map(m.metadata().get("annotations")).get(ClusterProfile.SECURITY_EXCEPTION);
        Set<String> exempt = new LinkedHashSet<>();
        if (raw == null) {
            return exempt;
        }
        String field = "metadata.annotations." + ClusterProfile.SECURITY_EXCEPTION;
        String syntax = "\"check[,check...]: reason\", for example \"runAsNonRoot,capabilities: nginx starts as root\";"
                + " checks: " + String.join(", ", CHECKS.keySet().stream().sorted().toList());
        String value = raw instanceof String s ? s : "";
        int colon = value.indexOf(':');
        if (colon < 0 || value.substring(colon + 1).isBlank()) {
            f.add(field, raw, "a Pod Security exception names the checks it skips and why: " + syntax,
                    "write the checks, a colon and the reason; until then no check is skipped");
            return exempt;
        }
        Set<String> named = new LinkedHashSet<>();
        for (String part : value.substring(0, colon).split(",", -1)) {
            String name = part.strip();
            if (CHECKS.containsKey(name)) {
                named.add(name);
            } else {
                f.add(field, name.isEmpty() ? "(empty)" : name, "an exception names known Pod Security checks: " + syntax,
                        "fix or remove the name");
            }
        }
        return named;
    }

    // ---- baseline ------------------------------------------------------------------------

    private static void baseline(PodTemplates.Pod pod, Level level, List<Breach> out) {
        Map<String, Object> spec = pod.spec();
        Map<String, Object> podContext = Manifest.map(spec.get("securityContext"));
        boolean restricted = level == Level.RESTRICTED;
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Findings.isTrue(spec.get(host))) {
                out.add(new Breach("hostNamespaces", pod.specPath(host), true, "pods do not share the host's namespaces",
                        "remove " + host));
            }
        }
        List<Object> volumes = Manifest.list(spec.get("volumes"));
        for (int i = 0; i < volumes.size(); i++) {
            if (Manifest.map(volumes.get(i)).get("hostPath") != null) {
                out.add(new Breach("hostPathVolumes", pod.specPath("volumes") + "[" + i + "].hostPath",
                        Manifest.map(volumes.get(i)).get("name"), "no hostPath volumes",
                        "use a volume claim, emptyDir or ConfigMap"));
            }
        }
        for (Object s : Manifest.list(podContext.get("sysctls"))) {
            Object name = Manifest.map(s).get("name");
            if (!SAFE_SYSCTLS.contains(name)) {
                out.add(new Breach("sysctls", pod.specPath("securityContext.sysctls"), name, "only the safe sysctls "
                        + new java.util.TreeSet<>(SAFE_SYSCTLS) + " may be set", "remove the sysctl"));
            }
        }
        profile(podContext.get("appArmorProfile"), "appArmorProfile", pod.specPath("securityContext.appArmorProfile"), out);
        if (!restricted) {
            profile(podContext.get("seccompProfile"), "seccompProfile", pod.specPath("securityContext.seccompProfile"), out);
        }
        seLinux(podContext.get("seLinuxOptions"), pod.specPath("securityContext.seLinuxOptions"), out);
        if (Findings.isTrue(Manifest.map(podContext.get("windowsOptions")).get("hostProcess"))) {
            out.add(new Breach("windowsHostProcess", pod.specPath("securityContext.windowsOptions.hostProcess"), true,
                    "no Windows host process pods", "remove hostProcess"));
        }
        String annotationsPath = (pod.isPod() ? "metadata" : pod.path() + ".metadata") + ".annotations";
        for (Map.Entry<String, Object> a : Manifest.map(pod.metadata().get("annotations")).entrySet()) {
            String v = String.valueOf(a.getValue());
            if (a.getKey().startsWith(APPARMOR_ANNOTATION) && !v.isEmpty() && !v.equals("runtime/default")
                    && !v.startsWith("localhost/")) {
                out.add(new Breach("appArmorProfile", annotationsPath + "." + a.getKey(), v, "an AppArmor profile is"
                        + " runtime/default or localhost/<profile>", "remove the annotation"));
            }
        }
        for (PodTemplates.Container c : pod.containers()) {
            Map<String, Object> sc = Manifest.map(c.fields().get("securityContext"));
            String at = c.path() + ".securityContext";
            if (Findings.isTrue(sc.get("privileged"))) {
                out.add(new Breach("privileged", at + ".privileged", true, "containers are not privileged",
                        "remove privileged"));
            }
            if (!restricted) {
                for (Object cap : Manifest.list(Manifest.map(sc.get("capabilities")).get("add"))) {
                    if (!DEFAULT_CAPABILITIES.contains(cap)) {
                        out.add(new Breach("capabilities", at + ".capabilities.add", cap, "only the default capabilities "
                                + new java.util.TreeSet<>(DEFAULT_CAPABILITIES) + " may be added", "remove " + cap));
                    }
                }
                profile(sc.get("seccompProfile"), "seccompProfile", at + ".seccompProfile", out);
            }
            profile(sc.get("appArmorProfile"), "appArmorProfile", at + ".appArmorProfile", out);
            seLinux(sc.get("seLinuxOptions"), at + ".seLinuxOptions", out);
            Object proc = sc.get("procMount");
            if (proc != null && !"Default".equals(proc)) {
                out.add(new Breach("procMount", at + ".procMount", proc, "/proc keeps its default masks (procMount"
                        + " Default)", "remove procMount"));
            }
            if (Findings.isTrue(Manifest.map(sc.get("windowsOptions")).get("hostProcess"))) {
                out.add(new Breach("windowsHostProcess", at + ".windowsOptions.hostProcess", true,
                        "no Windows host process containers", "remove hostProcess"));
            }
            List<Object> ports = Manifest.list(c.fields().get("ports"));
            for (int i = 0; i < ports.size(); i++) {
                Object hostPort = Manifest.map(ports.get(i)).get("hostPort");
                Long port = Findings.integer(hostPort);
                if (hostPort != null && (port == null || port != 0)) {
                    out.add(new Breach("hostPorts", c.path() + ".ports[" + i + "].hostPort", hostPort,
                            "containers do not bind host ports", "remove hostPort and reach the pod through a Service"));
                }
            }
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                hosts(Manifest.map(c.fields().get(probe)), c.path() + "." + probe, out);
            }
            Map<String, Object> lifecycle = Manifest.map(c.fields().get("lifecycle"));
            for (String hook : List.of("postStart", "preStop")) {
                hosts(Manifest.map(lifecycle.get(hook)), c.path() + ".lifecycle." + hook, out);
            }
        }
    }

    /** A seccomp or AppArmor profile, where set, is RuntimeDefault or Localhost (never Unconfined). */
    private static void profile(Object raw, String check, String at, List<Breach> out) {
        if (raw == null) {
            return;
        }
        Object type = Manifest.map(raw).get("type");
        if (!PROFILE_TYPES.contains(type)) {
            out.add(new Breach(check, at + ".type", type, "a " + ("seccompProfile".equals(check) ? "seccomp" : "AppArmor")
                    + " profile is RuntimeDefault or Localhost", "set type: RuntimeDefault"));
        }
    }

    private static void seLinux(Object raw, String at, List<Breach> out) {
        if (raw == null) {
            return;
        }
        Map<String, Object> options = Manifest.map(raw);
        Object type = options.getOrDefault("type", "");
        if (!SELINUX_TYPES.contains(type)) {
            out.add(new Breach("seLinuxOptions", at + ".type", type, "an SELinux type is one of container_t,"
                    + " container_init_t, container_kvm_t, container_engine_t", "remove the type"));
        }
        for (String field : List.of("user", "role")) {
            if (options.get(field) instanceof String s && !s.isEmpty()) {
                out.add(new Breach("seLinuxOptions", at + "." + field, s, "no custom SELinux " + field,
                        "remove " + field));
            }
        }
    }

    /** Probe and lifecycle handlers reach the pod itself: no httpGet.host or tcpSocket.host. */
    private static void hosts(Map<String, Object> handler, String at, List<Breach> out) {
        for (String action : List.of("httpGet", "tcpSocket")) {
            Object host = Manifest.map(handler.get(action)).get("host");
            if (host instanceof String h && !h.isEmpty()) {
                out.add(new Breach("hostProbesAndHostLifecycle", at + "." + action + ".host", h,
                        "probes and lifecycle handlers do not name a host", "remove host (the pod's IP is used)"));
            }
        }
    }

    // ---- restricted ----------------------------------------------------------------------

    private static void restricted(PodTemplates.Pod pod, List<Breach> out) {
        Map<String, Object> spec = pod.spec();
        Map<String, Object> podContext = Manifest.map(spec.get("securityContext"));
        boolean windows = "windows".equals(Manifest.map(spec.get("os")).get("name"));
        List<Object> volumes = Manifest.list(spec.get("volumes"));
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> v = Manifest.map(volumes.get(i));
            if (v.get("hostPath") != null) {
                continue; // hostPathVolumes
            }
            List<String> types = PodSpecRules.VOLUME_SOURCES.stream().filter(t -> v.get(t) != null).toList();
            if (types.isEmpty() || !RESTRICTED_VOLUMES.contains(types.get(0))) {
                out.add(new Breach("restrictedVolumes", pod.specPath("volumes") + "[" + i + "]",
                        v.get("name") + (types.isEmpty() ? "" : " (" + types.get(0) + ")"), "volumes are of the types "
                        + new java.util.TreeSet<>(RESTRICTED_VOLUMES), "use a volume claim, emptyDir, ConfigMap or Secret"));
            }
        }
        // As upstream: a pod-level value covers containers that leave it unset; containers relying on
        // a missing pod-level value are named only when nothing sets a wrong value explicitly.
        Object podNonRoot = podContext.get("runAsNonRoot");
        List<Breach> explicitNonRoot = new ArrayList<>();
        List<Breach> implicitNonRoot = new ArrayList<>();
        if (Boolean.FALSE.equals(podNonRoot)) {
            explicitNonRoot.add(new Breach("runAsNonRoot", pod.specPath("securityContext.runAsNonRoot"), false,
                    "the pod does not set runAsNonRoot: false", "set runAsNonRoot: true"));
        }
        if (Long.valueOf(0).equals(Findings.integer(podContext.get("runAsUser")))) {
            out.add(new Breach("runAsUser", pod.specPath("securityContext.runAsUser"), 0, "never user 0",
                    "run as a non-root uid"));
        }
        Object podSeccomp = podContext.get("seccompProfile");
        boolean podSeccompValid = false;
        List<Breach> explicitSeccomp = new ArrayList<>();
        List<Breach> implicitSeccomp = new ArrayList<>();
        if (podSeccomp != null && !windows) {
            Object type = Manifest.map(podSeccomp).get("type");
            podSeccompValid = PROFILE_TYPES.contains(type);
            if (!podSeccompValid) {
                explicitSeccomp.add(new Breach("seccompProfile", pod.specPath("securityContext.seccompProfile.type"), type,
                        "the seccomp profile is RuntimeDefault or Localhost", "set type: RuntimeDefault"));
            }
        }
        for (PodTemplates.Container c : pod.containers()) {
            Map<String, Object> sc = Manifest.map(c.fields().get("securityContext"));
            String at = c.path() + ".securityContext";
            if (!windows && !Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                out.add(new Breach("allowPrivilegeEscalation", at + ".allowPrivilegeEscalation",
                        sc.get("allowPrivilegeEscalation"), "allowPrivilegeEscalation must be false",
                        "set allowPrivilegeEscalation: false"));
            }
            Object nonRoot = sc.get("runAsNonRoot");
            if (Boolean.FALSE.equals(nonRoot)) {
                explicitNonRoot.add(new Breach("runAsNonRoot", at + ".runAsNonRoot", false, "containers do not set"
                        + " runAsNonRoot: false", "set runAsNonRoot: true"));
            } else if (nonRoot == null && !Boolean.TRUE.equals(podNonRoot)) {
                implicitNonRoot.add(new Breach("runAsNonRoot", at + ".runAsNonRoot", null, "runAsNonRoot must be true (on"
                        + " the pod or every container)", "set runAsNonRoot: true and a numeric runAsUser the image works"
                        + " with"));
            }
            if (Long.valueOf(0).equals(Findings.integer(sc.get("runAsUser")))) {
                out.add(new Breach("runAsUser", at + ".runAsUser", 0, "never user 0", "run as a non-root uid"));
            }
            if (windows) {
                continue; // seccomp and capabilities do not apply to Windows pods
            }
            Object seccomp = sc.get("seccompProfile");
            if (seccomp != null) {
                Object type = Manifest.map(seccomp).get("type");
                if (!PROFILE_TYPES.contains(type)) {
                    explicitSeccomp.add(new Breach("seccompProfile", at + ".seccompProfile.type", type,
                            "the seccomp profile is RuntimeDefault or Localhost", "set type: RuntimeDefault"));
                }
            } else if (!podSeccompValid) {
                implicitSeccomp.add(new Breach("seccompProfile", at + ".seccompProfile.type", null, "seccompProfile"
                        + " RuntimeDefault or Localhost (on the pod or every container)",
                        "set seccompProfile.type: RuntimeDefault"));
            }
            Map<String, Object> caps = Manifest.map(sc.get("capabilities"));
            if (!Manifest.list(caps.get("drop")).contains("ALL")) {
                out.add(new Breach("capabilities", at + ".capabilities.drop", caps.get("drop"), "drop ALL capabilities",
                        "set capabilities.drop: [ALL]"));
            }
            for (Object added : Manifest.list(caps.get("add"))) {
                if (!"NET_BIND_SERVICE".equals(added)) {
                    out.add(new Breach("capabilities", at + ".capabilities.add", added,
                            "only NET_BIND_SERVICE may be added back", "remove the capability"));
                }
            }
        }
        out.addAll(explicitNonRoot.isEmpty() ? implicitNonRoot : explicitNonRoot);
        out.addAll(explicitSeccomp.isEmpty() ? implicitSeccomp : explicitSeccomp);
    }
}
