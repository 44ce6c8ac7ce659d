package keyboss.charts.validation;

import keyboss.charts.model.Excerpt;
import keyboss.charts.model.Findings;
import keyboss.charts.model.IpAddresses;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Quantity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server requires of a pod spec, in a Pod or in any pod template (Kubernetes
 * 1.34's {@code ValidatePodSpec} and {@code ValidatePodTemplateSpec}): containers (names,
 * images, ports, environment, mounts, resources, probes, lifecycle handlers, security
 * contexts), volumes, and the pod-level fields (restart and DNS policy, host namespaces,
 * security context, sysctls, tolerations, affinity, topology spread). Values the API server
 * fills in when absent (defaults) are not required here; only values it would reject are.
 */
final class PodSpecRules {

    private static final long MAX_INT32 = Integer.MAX_VALUE;
    private static final Set<String> PROTOCOLS = Findings.setOf("TCP", "UDP", "SCTP");
    private static final Set<String> PULL_POLICIES = Findings.setOf("Always", "IfNotPresent", "Never");
    private static final Set<String> TERMINATION_MESSAGE_POLICIES = Findings.setOf("File", "FallbackToLogsOnError");
    private static final Set<String> RESTART_POLICIES = Findings.setOf("Always", "OnFailure", "Never");
    private static final Set<String> DNS_POLICIES = Findings.setOf("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final Set<String> SECCOMP_TYPES = Findings.setOf("RuntimeDefault", "Localhost", "Unconfined");
    private static final Set<String> APPARMOR_TYPES = Findings.setOf("RuntimeDefault", "Localhost", "Unconfined");
    private static final Set<String> PROC_MOUNTS = Findings.setOf("Default", "Unmasked");
    private static final Set<String> MOUNT_PROPAGATIONS = Findings.setOf("None", "HostToContainer", "Bidirectional");
    private static final Set<String> RECURSIVE_READ_ONLY = Findings.setOf("Disabled", "IfPossible", "Enabled");
    private static final Set<String> HOST_PATH_TYPES = Findings.setOf("", "DirectoryOrCreate", "Directory", "FileOrCreate",
            "File", "Socket", "CharDevice", "BlockDevice");
    private static final Set<String> TAINT_EFFECTS = Findings.setOf("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final Set<String> NODE_OPERATORS = Findings.setOf("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    /** Every volume source a pod volume may name (exactly one per volume). */
    static final List<String> VOLUME_SOURCES = List.of("awsElasticBlockStore", "azureDisk", "azureFile", "cephfs",
            "cinder", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume", "flocker",
            "gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "nfs", "persistentVolumeClaim",
            "photonPersistentDisk", "portworxVolume", "projected", "quobyte", "rbd", "scaleIO", "secret", "storageos",
            "vsphereVolume");
    private static final Set<String> ENV_FIELD_PATHS = Findings.setOf("metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
    private static final Set<String> VOLUME_FIELD_PATHS = Findings.setOf("metadata.name", "metadata.namespace", "metadata.uid",
            "metadata.labels", "metadata.annotations");
    private static final Set<String> RESOURCE_FIELDS = Findings.setOf("limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage");
    private static final Pattern SUBSCRIPTED = Pattern.compile("^metadata\\.(labels|annotations)\\['(.*)'\\]$");
    private static final Pattern SYSCTL = Pattern.compile(
            "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$");
    private static final Pattern HTTP_HEADER = Pattern.compile("^[-A-Za-z0-9]+$");

    private PodSpecRules() {
    }

    /**
     * Checks the pod {@code pod}; {@code claimVolumes} are the volumes a StatefulSet adds from its
     * volumeClaimTemplates (mounts may name them).
     */
    static void check(PodTemplates.Pod pod, Set<String> claimVolumes, Findings f) {
        Map<String, Object> spec = pod.spec();
        if (!pod.isPod()) {
            LabelSelectors.labels(pod.metadata().get("labels"), pod.path() + ".metadata.labels", f);
            MetadataRules.annotations(pod.metadata().get("annotations"), pod.path() + ".metadata.annotations", f);
        }
        appArmorAnnotations(pod, f);
        Map<String, Object> security = Manifest.map(spec.get("securityContext"));
        boolean hostUsers = !Boolean.FALSE.equals(spec.get("hostUsers"));
        Long declaredGrace = Findings.integer(spec.get("terminationGracePeriodSeconds"));
        long grace = declaredGrace == null ? 30 : declaredGrace;
        Map<String, Map<String, Object>> volumes = volumes(pod, f);
        for (String claim : claimVolumes) {
            volumes.putIfAbsent(claim, Map.of("persistentVolumeClaim", Map.of("claimName", claim)));
        }

        List<Object> regular = Manifest.list(spec.get("containers"));
        if (regular.isEmpty()) {
            f.add(pod.specPath("containers"), null, "a pod needs at least one container", "add a container");
        }
        for (PodTemplates.Container c : pod.containers()) {
            if ("ephemeralContainers".equals(c.list())) {
                f.add(c.path(), c.name(), pod.isPod() ? "ephemeral containers cannot be set when a Pod is created"
                        : "ephemeral containers are not allowed in a pod template",
                        "remove it; add ephemeral containers to a running Pod with kubectl debug");
            }
            container(pod, c, volumes, hostUsers, grace, f);
        }
        // As upstream: regular containers first, so a clash names the init or ephemeral container.
        Set<String> names = new HashSet<>();
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (PodTemplates.Container c : pod.containers()) {
                if (list.equals(c.list()) && c.fields().get("name") instanceof String n && !names.add(n)) {
                    f.add(c.path() + ".name", n, "container names are unique within a pod (containers, init and"
                            + " ephemeral containers together)", "rename one of them");
                }
            }
        }
        hostPortConflicts(pod, f);
        podFields(pod, spec, security, hostUsers, f);
    }

    // ---- volumes -------------------------------------------------------------------------

    /** The pod's valid volumes by name; each invalid one is reported (and, as upstream, unknown to mounts). */
    private static Map<String, Map<String, Object>> volumes(PodTemplates.Pod pod, Findings f) {
        Map<String, Map<String, Object>> valid = new LinkedHashMap<>();
        List<Object> list = Manifest.list(pod.spec().get("volumes"));
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> v = Manifest.map(list.get(i));
            String at = pod.specPath("volumes") + "[" + i + "]";
            int before = problemsCount(f);
            Object name = v.get("name");
            if (!(name instanceof String n) || n.isEmpty()) {
                f.add(at + ".name", name, "every volume has a name", "name the volume");
            } else if (!Names.isDnsLabel(n)) {
                f.add(at + ".name", n, "a volume name is " + MetadataRules.NameFormat.DNS_LABEL.description,
                        "rename the volume (and its mounts)");
            } else if (valid.containsKey(n)) {
                f.add(at + ".name", n, "volume names are unique within a pod", "rename one of the volumes");
            }
            volumeSource(v, at, f);
            if (problemsCount(f) == before && name instanceof String n) {
                valid.put(n, v);
            }
        }
        return valid;
    }

    /** A counter of the problems found so far (to tell whether a volume was valid). */
    private static int problemsCount(Findings f) {
        return f.count();
    }

    private static void volumeSource(Map<String, Object> v, String at, Findings f) {
        List<String> sources = VOLUME_SOURCES.stream().filter(s -> v.get(s) != null).toList();
        if (sources.isEmpty()) {
            f.add(at, v.get("name"), "a volume names exactly one source (emptyDir, configMap, secret,"
                    + " persistentVolumeClaim, ...)", "add the volume's source");
            return;
        }
        if (sources.size() > 1) {
            f.add(at, sources, "a volume names exactly one source", "split it into one volume per source");
        }
        Map<String, Object> source = Manifest.map(v.get(sources.get(0)));
        String sp = at + "." + sources.get(0);
        switch (sources.get(0)) {
            case "configMap" -> {
                required(source, "name", sp, "the ConfigMap's name", f);
                fileMode(source.get("defaultMode"), sp + ".defaultMode", f);
                keyPaths(source.get("items"), sp + ".items", f);
            }
            case "secret" -> {
                required(source, "secretName", sp, "the Secret's name", f);
                fileMode(source.get("defaultMode"), sp + ".defaultMode", f);
                keyPaths(source.get("items"), sp + ".items", f);
            }
            case "persistentVolumeClaim" -> required(source, "claimName", sp, "the claim's name", f);
            case "emptyDir" -> {
                Object limit = source.get("sizeLimit");
                if (limit != null) {
                    Quantity q = Quantity.parse(limit);
                    if (q == null || q.signum() < 0) {
                        f.add(sp + ".sizeLimit", limit, "sizeLimit is a non-negative " + Quantity.FORMAT_HELP, "write it as 1Gi");
                    }
                }
            }
            case "hostPath" -> {
                Object path = source.get("path");
                if (!(path instanceof String p) || p.isEmpty()) {
                    f.add(sp + ".path", path, "a hostPath volume needs a path", "set path");
                } else if (List.of(p.split("/")).contains("..")) {
                    f.add(sp + ".path", p, "a hostPath must not contain '..'", "name the directory directly");
                }
                if (source.containsKey("type") && !HOST_PATH_TYPES.contains(String.valueOf(source.get("type")))) {
                    f.add(sp + ".type", source.get("type"), "hostPath type is one of " + HOST_PATH_TYPES,
                            "use one of them");
                }
            }
            case "downwardAPI" -> {
                fileMode(source.get("defaultMode"), sp + ".defaultMode", f);
                downwardItems(source.get("items"), sp + ".items", f);
            }
            case "projected" -> {
                fileMode(source.get("defaultMode"), sp + ".defaultMode", f);
                projected(source, sp, f);
            }
            case "nfs" -> {
                required(source, "server", sp, "the NFS server", f);
                Object path = source.get("path");
                if (!(path instanceof String p) || !p.startsWith("/")) {
                    f.add(sp + ".path", path, "an NFS path is absolute", "start it with /");
                }
            }
            case "csi" -> required(source, "driver", sp, "the CSI driver's name", f);
            case "gitRepo" -> required(source, "repository", sp, "the repository URL", f);
            case "image" -> {
                Object pull = source.get("pullPolicy");
                if (pull != null && !PULL_POLICIES.contains(pull)) {
                    f.add(sp + ".pullPolicy", pull, "pullPolicy is Always, IfNotPresent or Never", "use one of them");
                }
            }
            case "ephemeral" -> {
                Map<String, Object> template = Manifest.map(source.get("volumeClaimTemplate"));
                if (template.isEmpty()) {
                    f.add(sp + ".volumeClaimTemplate", null, "an ephemeral volume needs a volumeClaimTemplate",
                            "add volumeClaimTemplate.spec");
                } else {
                    StorageRules.claimSpec(Manifest.map(template.get("spec")), sp + ".volumeClaimTemplate.spec", f);
                }
            }
            default -> { }
        }
    }

    private static void required(Map<String, Object> source, String field, String at, String what, Findings f) {
        if (!(source.get(field) instanceof String s) || s.isEmpty()) {
            f.add(at + "." + field, source.get(field), "the volume source needs " + what, "set " + field);
        }
    }

    private static void fileMode(Object mode, String at, Findings f) {
        if (mode != null) {
            Long m = Findings.integer(mode);
            if (m == null || m < 0 || m > 0777) {
                f.add(at, mode, "a file mode is a number from 0 to 0777 (octal; 511 decimal)",
                        "write it as 0644 or 420");
            }
        }
    }

    /** {@code items} of a ConfigMap or Secret volume: key, and a relative path without '..'. */
    private static void keyPaths(Object items, String at, Findings f) {
        List<Object> list = Manifest.list(items);
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> item = Manifest.map(list.get(i));
            String ip = at + "[" + i + "]";
            if (!(item.get("key") instanceof String k) || k.isEmpty()) {
                f.add(ip + ".key", item.get("key"), "an item names the key it projects", "set key");
            }
            localPath(item.get("path"), ip + ".path", f);
            fileMode(item.get("mode"), ip + ".mode", f);
        }
    }

    /** A path inside a volume: relative, no '..' element, not starting with '..'. */
    private static void localPath(Object path, String at, Findings f) {
        if (!(path instanceof String p) || p.isEmpty()) {
            f.add(at, path, "a file path inside the volume is required", "set path");
            return;
        }
        if (p.startsWith("/")) {
            f.add(at, p, "a file path inside a volume is relative", "remove the leading /");
        }
        if (List.of(p.split("/")).contains("..") || p.startsWith("..")) {
            f.add(at, p, "a file path inside a volume must not contain or start with '..'", "name the file directly");
        }
    }

    private static void downwardItems(Object items, String at, Findings f) {
        List<Object> list = Manifest.list(items);
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> item = Manifest.map(list.get(i));
            String ip = at + "[" + i + "]";
            localPath(item.get("path"), ip + ".path", f);
            fileMode(item.get("mode"), ip + ".mode", f);
            boolean field = item.get("fieldRef") != null;
            boolean resource = item.get("resourceFieldRef") != null;
            if (field == resource) {
                f.add(ip, null, "a downward API item has exactly one of fieldRef and resourceFieldRef", "keep one");
            } else if (field) {
                fieldRef(Manifest.map(item.get("fieldRef")), VOLUME_FIELD_PATHS, ip + ".fieldRef", f);
            } else {
                Map<String, Object> ref = Manifest.map(item.get("resourceFieldRef"));
                if (!(ref.get("containerName") instanceof String c) || c.isEmpty()) {
                    f.add(ip + ".resourceFieldRef.containerName", null, "a volume's resourceFieldRef names its container",
                            "set containerName");
                }
                resourceFieldRef(ref, ip + ".resourceFieldRef", f);
            }
        }
    }

    private static void projected(Map<String, Object> source, String at, Findings f) {
        List<Object> sources = Manifest.list(source.get("sources"));
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            Map<String, Object> s = Manifest.map(sources.get(i));
            String sp = at + ".sources[" + i + "]";
            List<String> kinds = List.of("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle",
                    "podCertificate").stream().filter(k -> s.get(k) != null).toList();
            if (kinds.size() != 1) {
                f.add(sp, kinds, "a projected source names exactly one of secret, configMap, downwardAPI,"
                        + " serviceAccountToken", "split it into one source each");
                continue;
            }
            Map<String, Object> inner = Manifest.map(s.get(kinds.get(0)));
            switch (kinds.get(0)) {
                case "secret", "configMap" -> keyPaths(inner.get("items"), sp + "." + kinds.get(0) + ".items", f);
                case "downwardAPI" -> downwardItems(inner.get("items"), sp + ".downwardAPI.items", f);
                case "serviceAccountToken" -> {
                    localPath(inner.get("path"), sp + ".serviceAccountToken.path", f);
                    Long seconds = Findings.integer(inner.get("expirationSeconds"));
                    if (inner.get("expirationSeconds") != null && (seconds == null || seconds < 600 || seconds > 1L << 32)) {
                        f.add(sp + ".serviceAccountToken.expirationSeconds", inner.get("expirationSeconds"),
                                "a token lives at least 600 seconds and at most 2^32", "use 3600");
                    }
                }
                default -> { }
            }
            for (Object item : Manifest.list(inner.get("items"))) {
                Object path = Manifest.map(item).get("path");
                if (path instanceof String p && !paths.add(p)) {
                    f.add(sp, p, "the paths of a projected volume are unique", "project each file to its own path");
                }
            }
        }
    }

    // ---- containers ----------------------------------------------------------------------

    private static void container(PodTemplates.Pod pod, PodTemplates.Container c, Map<String, Map<String, Object>> volumes,
            boolean hostUsers, long grace, Findings f) {
        Map<String, Object> fields = c.fields();
        String at = c.path();
        Object name = fields.get("name");
        if (!(name instanceof String n) || n.isEmpty()) {
            f.add(at + ".name", name, "every container has a name", "name the container");
        } else if (!Names.isDnsLabel(n)) {
            f.add(at + ".name", n, "a container name is " + MetadataRules.NameFormat.DNS_LABEL.description,
                    "rename the container");
        }
        Object image = fields.get("image");
        if (!(image instanceof String img) || img.isEmpty()) {
            f.add(at + ".image", image, "every container names its image", "set image to a pinned reference");
        } else if (pod.isPod() && !img.equals(img.strip())) {
            f.add(at + ".image", img, "an image reference has no leading or trailing whitespace", "trim it");
        }
        oneOf(fields, "terminationMessagePolicy", TERMINATION_MESSAGE_POLICIES, at, f);
        oneOf(fields, "imagePullPolicy", PULL_POLICIES, at, f);
        ports(fields, at, f);
        env(fields, at, f);
        envFrom(fields, at, f);
        mounts(fields, volumes, at, f);
        resources(Manifest.map(fields.get("resources")), at + ".resources", f);
        securityContext(Manifest.map(fields.get("securityContext")), at + ".securityContext", hostUsers, f);

        boolean init = "initContainers".equals(c.list());
        Object restart = fields.get("restartPolicy");
        boolean sidecar = init && "Always".equals(restart);
        if (init && restart != null && !sidecar) {
            f.add(at + ".restartPolicy", restart, "an init container's restartPolicy can only be Always (a sidecar)",
                    "remove restartPolicy, or set Always for a sidecar");
        } else if (!init && restart != null) {
            f.add(at + ".restartPolicy", restart, "restartPolicy may only be set on init containers (sidecars)",
                    "remove it; the pod's restartPolicy applies");
        }
        if ("ephemeralContainers".equals(c.list()) || (init && !sidecar)) {
            for (String forbidden : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
                if (fields.get(forbidden) != null) {
                    f.add(at + "." + forbidden, "(set)", forbidden + " may not be set on "
                            + (init ? "init containers without restartPolicy: Always" : "ephemeral containers"),
                            "remove it, or make the init container a sidecar (restartPolicy: Always)");
                }
            }
            return;
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Map<String, Object> p = Manifest.map(fields.get(probe));
            if (fields.get(probe) != null) {
                probe(probe, p, at + "." + probe, f);
            }
        }
        Map<String, Object> lifecycle = Manifest.map(fields.get("lifecycle"));
        for (String hook : List.of("postStart", "preStop")) {
            if (lifecycle.get(hook) != null) {
                handler(Manifest.map(lifecycle.get(hook)), List.of("exec", "httpGet", "tcpSocket", "sleep"),
                        at + ".lifecycle." + hook, grace, f);
            }
        }
    }

    private static void oneOf(Map<String, Object> fields, String field, Set<String> allowed, String at, Findings f) {
        Object value = fields.get(field);
        if (value != null && !allowed.contains(value)) {
            f.add(at + "." + field, value, field + " is one of " + new java.util.TreeSet<>(allowed),
                    "use one of them (or leave it out for the default)");
        }
    }

    private static void ports(Map<String, Object> fields, String at, Findings f) {
        List<Object> ports = Manifest.list(fields.get("ports"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> p = Manifest.map(ports.get(i));
            String pp = at + ".ports[" + i + "]";
            Object name = p.get("name");
            if (name != null && !"".equals(name)) {
                String problem = Names.portNameProblem(name instanceof String s ? s : null);
                if (problem != null) {
                    f.add(pp + ".name", name, problem, "use a short name such as http or metrics");
                } else if (!names.add((String) name)) {
                    f.add(pp + ".name", name, "port names are unique within a container", "rename one of the ports");
                }
            }
            Object number = p.get("containerPort");
            if (number == null) {
                f.add(pp + ".containerPort", null, "a container port needs containerPort", "set the port number");
            } else {
                portNumber(number, pp + ".containerPort", f);
            }
            Object hostPort = p.get("hostPort");
            Long host = Findings.integer(hostPort);
            if (hostPort != null && host != null && host != 0) {
                portNumber(hostPort, pp + ".hostPort", f);
            }
            Object protocol = p.get("protocol");
            if (protocol != null && !PROTOCOLS.contains(protocol)) {
                f.add(pp + ".protocol", protocol, "protocol is TCP, UDP or SCTP", "use one of them");
            }
        }
    }

    /** A port number: 1 to 65535. */
    static void portNumber(Object value, String at, Findings f) {
        Long n = Findings.integer(value);
        if (n == null || n < 1 || n > 65535) {
            f.add(at, value, "a port number is from 1 to 65535", "use a port in that range");
        }
    }

    /** A port given as a number (1-65535) or a name (IANA_SVC_NAME). */
    static void portNumberOrName(Object value, String at, Findings f) {
        if (value instanceof String name) {
            String problem = Names.portNameProblem(name);
            if (problem != null) {
                f.add(at, name, "a named port must be a valid port name: " + problem,
                        "name a port the container declares, or give the number");
            }
        } else {
            portNumber(value, at, f);
        }
    }

    private static void env(Map<String, Object> fields, String at, Findings f) {
        List<Object> env = Manifest.list(fields.get("env"));
        Map<Object, Integer> first = new HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            Map<String, Object> var = Manifest.map(env.get(i));
            String ep = at + ".env[" + i + "]";
            Object name = var.get("name");
            String problem = Names.envVarNameProblem(name instanceof String s ? s : null);
            if (problem != null) {
                f.add(ep + ".name", name, problem, "name the variable");
            } else if (first.putIfAbsent(name, i) != null) {
                // Only the last value takes effect, and server-side apply (as Argo CD syncs) refuses the
                // duplicate merge key outright.
                f.add(ep + ".name", name, "the variable is already set by env[" + first.get(name) + "]; server-side"
                        + " apply refuses a duplicate name", "set it once");
            }
            Object value = var.get("value");
            if (value != null && !(value instanceof String)) {
                f.add(ep + ".value", value, "an environment value is a string; the API server rejects a "
                        + value.getClass().getSimpleName().toLowerCase(), Excerpt.quoteFix(value));
            }
            if (var.get("valueFrom") == null) {
                continue;
            }
            Map<String, Object> from = Manifest.map(var.get("valueFrom"));
            List<String> sources = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")
                    .stream().filter(s -> from.get(s) != null).toList();
            if (sources.isEmpty()) {
                f.add(ep + ".valueFrom", from, "valueFrom names one of fieldRef, resourceFieldRef, configMapKeyRef,"
                        + " secretKeyRef", "add the source");
                continue;
            }
            if (value instanceof String s && !s.isEmpty()) {
                f.add(ep + ".valueFrom", sources, "valueFrom may not be set together with a value", "keep one of them");
            } else if (sources.size() > 1) {
                f.add(ep + ".valueFrom", sources, "valueFrom names exactly one source", "keep one of them");
            }
            for (String source : sources) {
                Map<String, Object> ref = Manifest.map(from.get(source));
                String rp = ep + ".valueFrom." + source;
                switch (source) {
                    case "fieldRef" -> fieldRef(ref, ENV_FIELD_PATHS, rp, f);
                    case "resourceFieldRef" -> resourceFieldRef(ref, rp, f);
                    case "configMapKeyRef", "secretKeyRef" -> {
                        Object refName = ref.get("name");
                        if (!(refName instanceof String n && Names.isDnsSubdomain(n))) {
                            f.add(rp + ".name", refName, "the referenced " + ("secretKeyRef".equals(source) ? "Secret"
                                    : "ConfigMap") + " is named by a DNS subdomain", "name an existing object");
                        }
                        String keyProblem = Names.configKeyProblem(ref.get("key") instanceof String k ? k : null);
                        if (keyProblem != null) {
                            f.add(rp + ".key", ref.get("key"), keyProblem, "name one of the object's keys");
                        }
                    }
                    default -> { }
                }
            }
        }
    }

    private static void fieldRef(Map<String, Object> ref, Set<String> allowed, String at, Findings f) {
        Object path = ref.get("fieldPath");
        if (!(path instanceof String p) || p.isEmpty()) {
            f.add(at + ".fieldPath", path, "fieldRef needs a fieldPath", "set fieldPath, for example metadata.name");
            return;
        }
        Object version = ref.get("apiVersion");
        if (version != null && !"v1".equals(version)) {
            f.add(at + ".apiVersion", version, "the downward API's fieldRef uses apiVersion v1", "use v1 or leave it out");
        }
        java.util.regex.Matcher m = SUBSCRIPTED.matcher(p);
        if (m.matches()) {
            String key = "annotations".equals(m.group(1)) ? m.group(2).toLowerCase(java.util.Locale.ROOT) : m.group(2);
            String problem = Names.qualifiedNameProblem(key);
            if (problem != null) {
                f.add(at + ".fieldPath", p, "a subscripted field names a qualified key: " + problem, "fix the key");
            }
        } else if (!allowed.contains(p)) {
            f.add(at + ".fieldPath", p, "the downward API offers " + new java.util.TreeSet<>(allowed)
                    + " (and metadata.labels['key'] or metadata.annotations['key'])", "use one of them");
        }
    }

    private static void resourceFieldRef(Map<String, Object> ref, String at, Findings f) {
        Object resource = ref.get("resource");
        if (!(resource instanceof String r) || r.isEmpty()) {
            f.add(at + ".resource", resource, "resourceFieldRef needs a resource", "set resource, for example limits.memory");
        } else if (!RESOURCE_FIELDS.contains(r) && !r.startsWith("requests.hugepages-") && !r.startsWith("limits.hugepages-")) {
            f.add(at + ".resource", r, "resourceFieldRef offers " + new java.util.TreeSet<>(RESOURCE_FIELDS), "use one of them");
        }
        Object divisor = ref.get("divisor");
        if (divisor != null && Quantity.parse(divisor) == null) {
            f.add(at + ".divisor", divisor, "divisor is " + Quantity.FORMAT_HELP, "write it as 1Mi or 1m");
        }
    }

    private static void envFrom(Map<String, Object> fields, String at, Findings f) {
        List<Object> list = Manifest.list(fields.get("envFrom"));
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> e = Manifest.map(list.get(i));
            String ep = at + ".envFrom[" + i + "]";
            Object prefix = e.get("prefix");
            if (prefix instanceof String p && !p.isEmpty() && Names.envVarNameProblem(p) != null) {
                f.add(ep + ".prefix", p, Names.envVarNameProblem(p), "fix the prefix");
            }
            List<String> sources = List.of("configMapRef", "secretRef").stream().filter(s -> e.get(s) != null).toList();
            if (sources.size() != 1) {
                f.add(ep, sources, "envFrom names exactly one of configMapRef and secretRef", "keep one per entry");
            }
            for (String source : sources) {
                Object name = Manifest.map(e.get(source)).get("name");
                String n = name instanceof String s ? s : "";
                String masked = n.length() > 1 && n.endsWith("-") ? n.substring(0, n.length() - 2) + "a" : n;
                if (n.isEmpty() || !Names.isDnsSubdomain(masked)) {
                    f.add(ep + "." + source + ".name", name, "envFrom names its object by a DNS subdomain",
                            "name an existing " + ("secretRef".equals(source) ? "Secret" : "ConfigMap"));
                }
            }
        }
    }

    private static void mounts(Map<String, Object> fields, Map<String, Map<String, Object>> volumes, String at, Findings f) {
        List<Object> mounts = Manifest.list(fields.get("volumeMounts"));
        Set<String> paths = new HashSet<>();
        boolean privileged = Findings.isTrue(Manifest.map(fields.get("securityContext")).get("privileged"));
        for (int i = 0; i < mounts.size(); i++) {
            Map<String, Object> mount = Manifest.map(mounts.get(i));
            String mp = at + ".volumeMounts[" + i + "]";
            Object name = mount.get("name");
            if (!(name instanceof String n) || !volumes.containsKey(n)) {
                f.add(mp + ".name", name, "a mount names a valid volume of the pod " + volumes.keySet(),
                        "declare the volume or fix the mount's name");
            }
            Object path = mount.get("mountPath");
            if (!(path instanceof String p) || p.isEmpty()) {
                f.add(mp + ".mountPath", path, "a mount needs a mountPath", "set mountPath");
            } else if (!paths.add(p)) {
                f.add(mp + ".mountPath", p, "mount paths are unique within a container", "mount each volume at its own path");
            }
            for (String sub : List.of("subPath", "subPathExpr")) {
                if (mount.get(sub) instanceof String s && !s.isEmpty()) {
                    if (s.startsWith("/") || List.of(s.split("/")).contains("..")) {
                        f.add(mp + "." + sub, s, sub + " is a relative path without '..'", "name a path inside the volume");
                    }
                }
            }
            if (mount.get("subPath") instanceof String a && !a.isEmpty() && mount.get("subPathExpr") instanceof String b
                    && !b.isEmpty()) {
                f.add(mp + ".subPathExpr", b, "subPath and subPathExpr exclude each other", "keep one");
            }
            Object propagation = mount.get("mountPropagation");
            if (propagation != null && !MOUNT_PROPAGATIONS.contains(propagation)) {
                f.add(mp + ".mountPropagation", propagation, "mountPropagation is None, HostToContainer or Bidirectional",
                        "use one of them");
            } else if ("Bidirectional".equals(propagation) && !privileged) {
                f.add(mp + ".mountPropagation", propagation, "Bidirectional propagation needs a privileged container",
                        "use HostToContainer");
            }
            Object rro = mount.get("recursiveReadOnly");
            if (rro != null && !RECURSIVE_READ_ONLY.contains(rro)) {
                f.add(mp + ".recursiveReadOnly", rro, "recursiveReadOnly is Disabled, IfPossible or Enabled", "use one of them");
            } else if (("IfPossible".equals(rro) || "Enabled".equals(rro)) && !Findings.isTrue(mount.get("readOnly"))) {
                f.add(mp + ".recursiveReadOnly", rro, "recursiveReadOnly needs readOnly: true", "set readOnly: true");
            }
        }
    }

    /** Container resources: known names, valid quantities, requests no higher than limits. */
    static void resources(Map<String, Object> resources, String at, Findings f) {
        Map<String, Quantity> limits = quantities(Manifest.map(resources.get("limits")), at + ".limits", f);
        Map<String, Quantity> requests = quantities(Manifest.map(resources.get("requests")), at + ".requests", f);
        for (Map.Entry<String, Quantity> r : requests.entrySet()) {
            Quantity limit = limits.get(r.getKey());
            boolean overcommit = !r.getKey().startsWith("hugepages-") && (!r.getKey().contains("/")
                    || r.getKey().contains("kubernetes.io/"));
            if (limit == null) {
                if (!overcommit) {
                    f.add(at + ".limits." + r.getKey(), null, r.getKey() + " cannot be overcommitted: its limit must be set",
                            "set limits." + r.getKey() + " equal to the request");
                }
            } else if (!overcommit && r.getValue().compareTo(limit) != 0) {
                f.add(at + ".requests." + r.getKey(), r.getValue().text(), r.getKey() + " requests must equal its limit ("
                        + limit + ")", "set both to the same value");
            } else if (r.getValue().compareTo(limit) > 0) {
                f.add(at + ".requests." + r.getKey(), r.getValue().text(), "a request is at most its limit (" + limit + ")",
                        "lower the request or raise the limit");
            }
        }
        boolean cpuOrMemory = limits.containsKey("cpu") || limits.containsKey("memory") || requests.containsKey("cpu")
                || requests.containsKey("memory");
        boolean hugePages = limits.keySet().stream().anyMatch(k -> k.startsWith("hugepages-"))
                || requests.keySet().stream().anyMatch(k -> k.startsWith("hugepages-"));
        if (hugePages && !cpuOrMemory) {
            f.add(at, null, "huge pages need a cpu or memory request or limit", "add memory");
        }
    }

    private static Map<String, Quantity> quantities(Map<String, Object> values, String at, Findings f) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String name = e.getKey();
            String problem = Names.qualifiedNameProblem(name);
            boolean standard = Findings.setOf("cpu", "memory", "ephemeral-storage").contains(name) || name.startsWith("hugepages-");
            if (problem != null) {
                f.add(at + "." + name, name, "a resource name is a qualified name: " + problem, "use cpu or memory");
                continue;
            }
            if (!name.contains("/") && !standard) {
                f.add(at + "." + name, name, "a container requests cpu, memory, ephemeral-storage, hugepages-<size>"
                        + " or a domain-prefixed extended resource", "use one of those names");
                continue;
            }
            Quantity q = Quantity.parse(e.getValue());
            if (q == null) {
                f.add(at + "." + name, e.getValue(), "a resource amount is " + Quantity.FORMAT_HELP,
                        "write it as 250m (cpu) or 256Mi (memory)");
                continue;
            }
            if (q.signum() < 0) {
                f.add(at + "." + name, q.text(), "a resource amount is not negative", "use a positive amount");
                continue;
            }
            if (!standard && q.value().stripTrailingZeros().scale() > 0) {
                f.add(at + "." + name, q.text(), "an extended resource is a whole number", "request whole units");
            }
            result.put(name, q);
        }
        return result;
    }

    private static void probe(String kind, Map<String, Object> p, String at, Findings f) {
        handler(p, List.of("exec", "httpGet", "tcpSocket", "grpc"), at, null, f);
        for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold")) {
            Long n = Findings.integer(p.get(field));
            if (n != null && n < 0) {
                f.add(at + "." + field, n, field + " is not negative", "use 0 or more");
            }
        }
        Long success = Findings.integer(p.get("successThreshold"));
        if (success != null && success != 1 && success != 0 && !"readinessProbe".equals(kind)) {
            // 0 is replaced by the default, 1; any other value is rejected for liveness and startup probes.
            f.add(at + ".successThreshold", success, kind + " successThreshold must be 1", "remove it or set 1");
        }
        Object grace = p.get("terminationGracePeriodSeconds");
        if (grace != null) {
            Long g = Findings.integer(grace);
            if ("readinessProbe".equals(kind)) {
                f.add(at + ".terminationGracePeriodSeconds", grace, "a readinessProbe has no terminationGracePeriodSeconds",
                        "remove it");
            } else if (g == null || g <= 0) {
                f.add(at + ".terminationGracePeriodSeconds", grace, "terminationGracePeriodSeconds is greater than 0",
                        "use a positive number of seconds");
            }
        }
    }

    /** A probe or lifecycle handler: exactly one action, each well formed. */
    private static void handler(Map<String, Object> h, List<String> actions, String at, Long grace, Findings f) {
        List<String> present = actions.stream().filter(a -> h.get(a) != null).toList();
        if (present.isEmpty()) {
            f.add(at, null, "a handler names exactly one of " + actions, "add the action, for example httpGet");
            return;
        }
        if (present.size() > 1) {
            f.add(at, present, "a handler names exactly one action", "keep one of " + present);
        }
        for (String action : present) {
            Map<String, Object> a = Manifest.map(h.get(action));
            String ap = at + "." + action;
            switch (action) {
                case "exec" -> {
                    if (Manifest.list(a.get("command")).isEmpty()) {
                        f.add(ap + ".command", a.get("command"), "exec needs a command", "set the command to run");
                    }
                }
                case "httpGet" -> {
                    portNumberOrName(a.get("port"), ap + ".port", f);
                    Object scheme = a.get("scheme");
                    if (scheme != null && !"HTTP".equals(scheme) && !"HTTPS".equals(scheme)) {
                        f.add(ap + ".scheme", scheme, "scheme is HTTP or HTTPS (upper case)", "use HTTP or HTTPS");
                    }
                    for (Object header : Manifest.list(a.get("httpHeaders"))) {
                        Object name = Manifest.map(header).get("name");
                        if (!(name instanceof String n) || !HTTP_HEADER.matcher(n).matches()) {
                            f.add(ap + ".httpHeaders", name, "a header name is alphanumerics and '-'", "fix the header name");
                        }
                    }
                }
                case "tcpSocket" -> portNumberOrName(a.get("port"), ap + ".port", f);
                case "grpc" -> portNumber(a.get("port"), ap + ".port", f);
                case "sleep" -> {
                    Long seconds = Findings.integer(a.get("seconds"));
                    if (seconds == null || seconds < 0 || (grace != null && seconds > grace)) {
                        f.add(ap + ".seconds", a.get("seconds"), "sleep is at least 0 seconds and at most the pod's"
                                + " terminationGracePeriodSeconds (" + grace + ")", "sleep less, or raise the grace period");
                    }
                }
                default -> { }
            }
        }
    }

    /** The container security context fields the API server validates (whatever the Pod Security level). */
    private static void securityContext(Map<String, Object> sc, String at, boolean hostUsers, Findings f) {
        ids(sc, at, f);
        Object proc = sc.get("procMount");
        if (proc != null && !PROC_MOUNTS.contains(proc)) {
            f.add(at + ".procMount", proc, "procMount is Default or Unmasked", "use Default");
        } else if ("Unmasked".equals(proc) && hostUsers) {
            f.add(at + ".procMount", proc, "an Unmasked /proc needs a user namespace (hostUsers: false)",
                    "remove procMount, or set spec.hostUsers: false");
        }
        profile(sc.get("seccompProfile"), SECCOMP_TYPES, at + ".seccompProfile", f);
        profile(sc.get("appArmorProfile"), APPARMOR_TYPES, at + ".appArmorProfile", f);
        if (Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
            if (Findings.isTrue(sc.get("privileged"))) {
                f.add(at, "privileged: true", "a container cannot be privileged with allowPrivilegeEscalation: false",
                        "drop privileged");
            }
            if (Manifest.list(Manifest.map(sc.get("capabilities")).get("add")).contains("CAP_SYS_ADMIN")) {
                f.add(at + ".capabilities.add", "CAP_SYS_ADMIN", "CAP_SYS_ADMIN contradicts allowPrivilegeEscalation: false",
                        "remove CAP_SYS_ADMIN");
            }
        }
    }

    private static void ids(Map<String, Object> sc, String at, Findings f) {
        for (String field : List.of("runAsUser", "runAsGroup", "fsGroup")) {
            Object raw = sc.get(field);
            Long id = Findings.integer(raw);
            if (raw != null && id != null && (id < 0 || id > MAX_INT32)) {
                f.add(at + "." + field, raw, field + " is from 0 to 2147483647", "use a valid uid/gid");
            }
        }
        for (Object raw : Manifest.list(sc.get("supplementalGroups"))) {
            Long id = Findings.integer(raw);
            if (id != null && (id < 0 || id > MAX_INT32)) {
                f.add(at + ".supplementalGroups", raw, "a group id is from 0 to 2147483647", "use a valid gid");
            }
        }
    }

    /** A seccomp or AppArmor profile: a known type, and localhostProfile exactly when the type is Localhost. */
    private static void profile(Object raw, Set<String> types, String at, Findings f) {
        if (raw == null) {
            return;
        }
        Map<String, Object> p = Manifest.map(raw);
        Object type = p.get("type");
        Object local = p.get("localhostProfile");
        if (type == null || "".equals(type)) {
            f.add(at + ".type", type, "a profile needs its type", "set type: RuntimeDefault");
        } else if (!types.contains(type)) {
            f.add(at + ".type", type, "the profile type is RuntimeDefault, Localhost or Unconfined", "use RuntimeDefault");
        } else if ("Localhost".equals(type)) {
            if (!(local instanceof String l) || l.isBlank()) {
                f.add(at + ".localhostProfile", local, "a Localhost profile names its localhostProfile",
                        "set localhostProfile to the profile's file name");
            } else if (l.startsWith("/") || List.of(l.split("/")).contains("..")) {
                f.add(at + ".localhostProfile", l, "localhostProfile is a relative path without '..'", "fix the path");
            }
        } else if (local != null) {
            f.add(at + ".localhostProfile", local, "localhostProfile is only set for type Localhost", "remove it");
        }
    }

    private static void appArmorAnnotations(PodTemplates.Pod pod, Findings f) {
        String prefix = "container.apparmor.security.beta.kubernetes.io/";
        Set<String> names = new HashSet<>();
        pod.containers().forEach(c -> names.add(c.name()));
        for (Map.Entry<String, Object> a : Manifest.map(pod.metadata().get("annotations")).entrySet()) {
            if (!a.getKey().startsWith(prefix)) {
                continue;
            }
            String at = (pod.isPod() ? "metadata" : pod.path() + ".metadata") + ".annotations." + a.getKey();
            if (!names.contains(a.getKey().substring(prefix.length()))) {
                f.add(at, a.getKey(), "an AppArmor annotation names a container of the pod", "fix the container name");
            }
            String value = String.valueOf(a.getValue());
            if (!value.isEmpty() && !value.equals("runtime/default") && !value.equals("unconfined")
                    && !value.startsWith("localhost/")) {
                f.add(at, value, "an AppArmor profile is runtime/default, unconfined or localhost/<name>",
                        "use securityContext.appArmorProfile instead");
            }
        }
    }

    // ---- pod level -----------------------------------------------------------------------

    private static void hostPortConflicts(PodTemplates.Pod pod, Findings f) {
        // Init containers run one at a time: their ports only conflict within one container.
        Set<String> shared = new HashSet<>();
        for (PodTemplates.Container c : pod.containers()) {
            if ("ephemeralContainers".equals(c.list())) {
                continue;
            }
            Set<String> own = "containers".equals(c.list()) ? shared : new HashSet<>();
            List<Object> ports = Manifest.list(c.fields().get("ports"));
            for (int i = 0; i < ports.size(); i++) {
                Map<String, Object> p = Manifest.map(ports.get(i));
                Long host = Findings.integer(p.get("hostPort"));
                if (host == null || host == 0) {
                    continue;
                }
                String key = p.getOrDefault("protocol", "TCP") + "/" + p.getOrDefault("hostIP", "") + "/" + host;
                if (!own.add(key)) {
                    f.add(c.path() + ".ports[" + i + "].hostPort", host, "a host port (with protocol and hostIP) is"
                            + " used once per pod", "use another host port");
                }
            }
        }
    }

    private static void podFields(PodTemplates.Pod pod, Map<String, Object> spec, Map<String, Object> security,
            boolean hostUsers, Findings f) {
        Object restart = spec.get("restartPolicy");
        if (restart != null && !RESTART_POLICIES.contains(restart)) {
            f.add(pod.specPath("restartPolicy"), restart, "restartPolicy is Always, OnFailure or Never", "use one of them");
        }
        Object dns = spec.get("dnsPolicy");
        if (dns != null && !DNS_POLICIES.contains(dns)) {
            f.add(pod.specPath("dnsPolicy"), dns, "dnsPolicy is ClusterFirst, ClusterFirstWithHostNet, Default or None",
                    "use one of them");
        }
        Map<String, Object> dnsConfig = Manifest.map(spec.get("dnsConfig"));
        if ("None".equals(dns) && Manifest.list(dnsConfig.get("nameservers")).isEmpty()) {
            f.add(pod.specPath("dnsConfig.nameservers"), null, "dnsPolicy None needs dnsConfig with at least one nameserver",
                    "add dnsConfig.nameservers or use ClusterFirst");
        }
        for (Object server : Manifest.list(dnsConfig.get("nameservers"))) {
            if (!(server instanceof String s && IpAddresses.isIp(s))) {
                f.add(pod.specPath("dnsConfig.nameservers"), server, "a nameserver is an IP address", "fix the address");
            }
        }
        List<Object> aliases = Manifest.list(spec.get("hostAliases"));
        for (int i = 0; i < aliases.size(); i++) {
            Map<String, Object> alias = Manifest.map(aliases.get(i));
            if (!(alias.get("ip") instanceof String ip && IpAddresses.isIp(ip))) {
                f.add(pod.specPath("hostAliases") + "[" + i + "].ip", alias.get("ip"), "a host alias maps an IP address",
                        "set ip");
            }
            for (Object host : Manifest.list(alias.get("hostnames"))) {
                if (!(host instanceof String h && Names.isDnsSubdomain(h))) {
                    f.add(pod.specPath("hostAliases") + "[" + i + "].hostnames", host, "a host alias name is a DNS"
                            + " subdomain", "fix the name");
                }
            }
        }
        if (Manifest.list(dnsConfig.get("nameservers")).size() > 3) {
            f.add(pod.specPath("dnsConfig.nameservers"), dnsConfig.get("nameservers"), "at most 3 nameservers",
                    "keep three");
        }
        if (Manifest.list(dnsConfig.get("searches")).size() > 32) {
            f.add(pod.specPath("dnsConfig.searches"), Manifest.list(dnsConfig.get("searches")).size(),
                    "at most 32 search domains", "keep fewer");
        }
        for (String label : List.of("hostname", "subdomain")) {
            Object value = spec.get(label);
            if (value instanceof String s && !s.isEmpty() && !Names.isDnsLabel(s)) {
                f.add(pod.specPath(label), s, label + " is " + MetadataRules.NameFormat.DNS_LABEL.description, "fix it");
            }
        }
        for (String subdomain : List.of("serviceAccountName", "nodeName", "priorityClassName", "runtimeClassName")) {
            Object value = spec.get(subdomain);
            if (value instanceof String s && !s.isEmpty() && !Names.isDnsSubdomain(s)) {
                f.add(pod.specPath(subdomain), s, subdomain + " names an object by a DNS subdomain", "fix the name");
            }
        }
        if (pod.isPod() && spec.get("nodeName") instanceof String n && !n.isEmpty()
                && !Manifest.list(spec.get("schedulingGates")).isEmpty()) {
            f.add(pod.specPath("nodeName"), n, "nodeName cannot be set while schedulingGates remain", "remove one");
        }
        LabelSelectors.labels(spec.get("nodeSelector"), pod.specPath("nodeSelector"), f);
        Object deadline = spec.get("activeDeadlineSeconds");
        Long d = Findings.integer(deadline);
        if (deadline != null && d != null && (d < 1 || d > MAX_INT32)) {
            f.add(pod.specPath("activeDeadlineSeconds"), deadline, "activeDeadlineSeconds is from 1 to 2147483647",
                    "use a positive number of seconds");
        }
        Long grace = Findings.integer(spec.get("terminationGracePeriodSeconds"));
        if (grace != null && grace < 0) {
            f.add(pod.specPath("terminationGracePeriodSeconds"), grace, "terminationGracePeriodSeconds is not negative",
                    "use 0 or more");
        }
        boolean hostNetwork = Findings.isTrue(spec.get("hostNetwork"));
        if (!hostUsers) {
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Findings.isTrue(spec.get(host))) {
                    f.add(pod.specPath(host), true, host + " is not allowed with hostUsers: false", "remove " + host);
                }
            }
        }
        if (hostNetwork) {
            List<Object> containers = Manifest.list(spec.get("containers"));
            for (int i = 0; i < containers.size(); i++) {
                List<Object> ports = Manifest.list(Manifest.map(containers.get(i)).get("ports"));
                for (int j = 0; j < ports.size(); j++) {
                    Map<String, Object> p = Manifest.map(ports.get(j));
                    Long host = Findings.integer(p.get("hostPort"));
                    Long container = Findings.integer(p.get("containerPort"));
                    if (host != null && host != 0 && !host.equals(container)) {
                        f.add(pod.specPath("containers") + "[" + i + "].ports[" + j + "].hostPort", host,
                                "with hostNetwork the hostPort equals the containerPort (" + container + ")",
                                "remove hostPort or make it equal");
                    }
                }
            }
        }
        String sp = pod.specPath("securityContext");
        ids(security, sp, f);
        if (Findings.isTrue(security.get("shareProcessNamespace")) && Findings.isTrue(spec.get("hostPID"))) {
            f.add(sp + ".shareProcessNamespace", true, "shareProcessNamespace and hostPID exclude each other",
                    "remove one");
        }
        if (Findings.isTrue(spec.get("shareProcessNamespace")) && Findings.isTrue(spec.get("hostPID"))) {
            f.add(pod.specPath("shareProcessNamespace"), true, "shareProcessNamespace and hostPID exclude each other",
                    "remove one");
        }
        sysctls(spec, security, sp, f);
        Object fsPolicy = security.get("fsGroupChangePolicy");
        if (fsPolicy != null && !Findings.setOf("OnRootMismatch", "Always").contains(fsPolicy)) {
            f.add(sp + ".fsGroupChangePolicy", fsPolicy, "fsGroupChangePolicy is OnRootMismatch or Always", "use one of them");
        }
        Object groupsPolicy = security.get("supplementalGroupsPolicy");
        if (groupsPolicy != null && !Findings.setOf("Merge", "Strict").contains(groupsPolicy)) {
            f.add(sp + ".supplementalGroupsPolicy", groupsPolicy, "supplementalGroupsPolicy is Merge or Strict",
                    "use one of them");
        }
        Object seLinuxPolicy = security.get("seLinuxChangePolicy");
        if (seLinuxPolicy != null && !Findings.setOf("Recursive", "MountOption").contains(seLinuxPolicy)) {
            f.add(sp + ".seLinuxChangePolicy", seLinuxPolicy, "seLinuxChangePolicy is Recursive or MountOption",
                    "use one of them");
        }
        profile(security.get("seccompProfile"), SECCOMP_TYPES, sp + ".seccompProfile", f);
        profile(security.get("appArmorProfile"), APPARMOR_TYPES, sp + ".appArmorProfile", f);
        List<Object> secrets = Manifest.list(spec.get("imagePullSecrets"));
        for (int i = 0; i < secrets.size(); i++) {
            Map<String, Object> s = Manifest.map(secrets.get(i));
            if (s.size() != 1 || !(s.get("name") instanceof String)) {
                f.add(pod.specPath("imagePullSecrets") + "[" + i + "]", s, "an image pull secret has only a name",
                        "write - name: <secret>");
            }
        }
        Object os = Manifest.map(spec.get("os")).get("name");
        if (spec.get("os") != null && !"linux".equals(os) && !"windows".equals(os)) {
            f.add(pod.specPath("os.name"), os, "os.name is linux or windows", "use linux");
        }
        tolerations(spec, pod, f);
        affinity(Manifest.map(spec.get("affinity")), pod.specPath("affinity"), f);
        spread(spec, pod, f);
        for (Object gate : Manifest.list(spec.get("readinessGates"))) {
            Object type = Manifest.map(gate).get("conditionType");
            String problem = Names.qualifiedNameProblem(type instanceof String s ? s : null);
            if (problem != null) {
                f.add(pod.specPath("readinessGates"), type, "a readiness gate's conditionType is a qualified name: " + problem,
                        "fix the condition type");
            }
        }
    }

    private static void sysctls(Map<String, Object> spec, Map<String, Object> security, String at, Findings f) {
        List<Object> sysctls = Manifest.list(security.get("sysctls"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sysctls.size(); i++) {
            Object name = Manifest.map(sysctls.get(i)).get("name");
            String sp = at + ".sysctls[" + i + "].name";
            if (!(name instanceof String n) || n.isEmpty()) {
                f.add(sp, name, "a sysctl needs a name", "set name");
                continue;
            }
            if (n.length() > 253 || !SYSCTL.matcher(n).matches()) {
                f.add(sp, n, "a sysctl name is lower-case segments joined by '.' or '/', at most 253 characters",
                        "fix the name, for example net.ipv4.ip_local_port_range");
            } else if (!seen.add(n)) {
                f.add(sp, n, "each sysctl is set once", "remove the duplicate");
            }
            boolean net = n.startsWith("net.");
            boolean ipc = n.startsWith("kernel.shm") || n.startsWith("kernel.msg") || n.startsWith("kernel.sem")
                    || n.startsWith("fs.mqueue.");
            if (net && Findings.isTrue(spec.get("hostNetwork"))) {
                f.add(sp, n, "a net.* sysctl cannot be set when hostNetwork is true", "remove it or hostNetwork");
            }
            if (ipc && Findings.isTrue(spec.get("hostIPC"))) {
                f.add(sp, n, "an IPC sysctl cannot be set when hostIPC is true", "remove it or hostIPC");
            }
        }
    }

    private static void tolerations(Map<String, Object> spec, PodTemplates.Pod pod, Findings f) {
        List<Object> list = Manifest.list(spec.get("tolerations"));
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> t = Manifest.map(list.get(i));
            String at = pod.specPath("tolerations") + "[" + i + "]";
            Object key = t.get("key");
            Object operator = t.get("operator");
            Object value = t.get("value");
            if (key instanceof String k && !k.isEmpty() && Names.qualifiedNameProblem(k) != null) {
                f.add(at + ".key", k, "a toleration key is a qualified name: " + Names.qualifiedNameProblem(k), "fix the key");
            }
            if ((key == null || "".equals(key)) && !"Exists".equals(operator)) {
                f.add(at + ".operator", operator, "a toleration without key must use operator Exists (it matches every"
                        + " taint)", "set the key, or operator: Exists");
            }
            if (t.get("tolerationSeconds") != null && !"NoExecute".equals(t.get("effect"))) {
                f.add(at + ".effect", t.get("effect"), "tolerationSeconds needs effect NoExecute", "set effect: NoExecute");
            }
            if (operator == null || "".equals(operator) || "Equal".equals(operator)) {
                String problem = Names.labelValueProblem(value == null ? "" : value instanceof String s ? s : null);
                if (problem != null) {
                    f.add(at + ".value", value, problem, "fix the value");
                }
            } else if ("Exists".equals(operator)) {
                if (value instanceof String s && !s.isEmpty()) {
                    f.add(at + ".value", s, "operator Exists takes no value", "remove value");
                }
            } else {
                f.add(at + ".operator", operator, "a toleration operator is Equal or Exists", "use one of them");
            }
            Object effect = t.get("effect");
            if (effect != null && !"".equals(effect) && !TAINT_EFFECTS.contains(effect)) {
                f.add(at + ".effect", effect, "effect is NoSchedule, PreferNoSchedule or NoExecute", "use one of them");
            }
        }
    }

    private static void affinity(Map<String, Object> affinity, String at, Findings f) {
        Map<String, Object> node = Manifest.map(affinity.get("nodeAffinity"));
        Map<String, Object> required = Manifest.map(node.get("requiredDuringSchedulingIgnoredDuringExecution"));
        if (node.get("requiredDuringSchedulingIgnoredDuringExecution") != null
                && Manifest.list(required.get("nodeSelectorTerms")).isEmpty()) {
            f.add(at + ".nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", null,
                    "a required node affinity has at least one term", "add a nodeSelectorTerm");
        }
        List<Object> terms = Manifest.list(required.get("nodeSelectorTerms"));
        for (int i = 0; i < terms.size(); i++) {
            nodeTerm(Manifest.map(terms.get(i)), at + ".nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                    + ".nodeSelectorTerms[" + i + "]", f);
        }
        List<Object> preferred = Manifest.list(node.get("preferredDuringSchedulingIgnoredDuringExecution"));
        for (int i = 0; i < preferred.size(); i++) {
            Map<String, Object> p = Manifest.map(preferred.get(i));
            String pp = at + ".nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
            weight(p.get("weight"), pp + ".weight", f);
            nodeTerm(Manifest.map(p.get("preference")), pp + ".preference", f);
        }
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            Map<String, Object> pa = Manifest.map(affinity.get(kind));
            List<Object> req = Manifest.list(pa.get("requiredDuringSchedulingIgnoredDuringExecution"));
            for (int i = 0; i < req.size(); i++) {
                podTerm(Manifest.map(req.get(i)), at + "." + kind + ".requiredDuringSchedulingIgnoredDuringExecution["
                        + i + "]", f);
            }
            List<Object> pref = Manifest.list(pa.get("preferredDuringSchedulingIgnoredDuringExecution"));
            for (int i = 0; i < pref.size(); i++) {
                Map<String, Object> p = Manifest.map(pref.get(i));
                String pp = at + "." + kind + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
                weight(p.get("weight"), pp + ".weight", f);
                podTerm(Manifest.map(p.get("podAffinityTerm")), pp + ".podAffinityTerm", f);
            }
        }
    }

    private static void weight(Object weight, String at, Findings f) {
        Long w = Findings.integer(weight);
        if (w == null || w < 1 || w > 100) {
            f.add(at, weight, "a preference weight is from 1 to 100", "use a weight in that range");
        }
    }

    private static void nodeTerm(Map<String, Object> term, String at, Findings f) {
        for (String list : List.of("matchExpressions", "matchFields")) {
            List<Object> exprs = Manifest.list(term.get(list));
            for (int i = 0; i < exprs.size(); i++) {
                Map<String, Object> e = Manifest.map(exprs.get(i));
                String ep = at + "." + list + "[" + i + "]";
                Object op = e.get("operator");
                List<Object> values = Manifest.list(e.get("values"));
                if (!NODE_OPERATORS.contains(op)) {
                    f.add(ep + ".operator", op, "a node selector operator is In, NotIn, Exists, DoesNotExist, Gt or Lt",
                            "use one of them");
                } else if (("In".equals(op) || "NotIn".equals(op)) && values.isEmpty()) {
                    f.add(ep + ".values", values, "In and NotIn need values", "list the values");
                } else if (("Exists".equals(op) || "DoesNotExist".equals(op)) && !values.isEmpty()) {
                    f.add(ep + ".values", values, "Exists and DoesNotExist take no values", "remove values");
                } else if (("Gt".equals(op) || "Lt".equals(op))
                        && (values.size() != 1 || !String.valueOf(values.get(0)).matches("-?[0-9]+"))) {
                    f.add(ep + ".values", values, "Gt and Lt take one integer value", "give one number");
                }
                if ("matchExpressions".equals(list)) {
                    String problem = Names.qualifiedNameProblem(e.get("key") instanceof String k ? k : null);
                    if (problem != null) {
                        f.add(ep + ".key", e.get("key"), "a node label key is a qualified name: " + problem, "fix the key");
                    }
                }
            }
        }
    }

    private static void podTerm(Map<String, Object> term, String at, Findings f) {
        Object key = term.get("topologyKey");
        if (!(key instanceof String k) || k.isEmpty()) {
            f.add(at + ".topologyKey", key, "a pod affinity term needs a topologyKey", "use kubernetes.io/hostname");
        } else if (Names.qualifiedNameProblem(k) != null) {
            f.add(at + ".topologyKey", k, "topologyKey is a label key: " + Names.qualifiedNameProblem(k), "fix the key");
        }
        if (term.get("labelSelector") != null) {
            LabelSelectors.selector(term.get("labelSelector"), at + ".labelSelector", f);
        }
        if (term.get("namespaceSelector") != null) {
            LabelSelectors.selector(term.get("namespaceSelector"), at + ".namespaceSelector", f);
        }
        for (Object ns : Manifest.list(term.get("namespaces"))) {
            if (!(ns instanceof String n && Names.isDnsLabel(n))) {
                f.add(at + ".namespaces", ns, "a namespace is a DNS label", "fix the namespace");
            }
        }
    }

    private static void spread(Map<String, Object> spec, PodTemplates.Pod pod, Findings f) {
        List<Object> list = Manifest.list(spec.get("topologySpreadConstraints"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> c = Manifest.map(list.get(i));
            String at = pod.specPath("topologySpreadConstraints") + "[" + i + "]";
            Long skew = Findings.integer(c.get("maxSkew"));
            if (skew == null || skew <= 0) {
                f.add(at + ".maxSkew", c.get("maxSkew"), "maxSkew is greater than 0", "use 1");
            }
            Object key = c.get("topologyKey");
            if (!(key instanceof String k) || k.isEmpty()) {
                f.add(at + ".topologyKey", key, "a spread constraint needs a topologyKey", "use kubernetes.io/hostname");
            }
            Object when = c.get("whenUnsatisfiable");
            if (!"DoNotSchedule".equals(when) && !"ScheduleAnyway".equals(when)) {
                f.add(at + ".whenUnsatisfiable", when, "whenUnsatisfiable is DoNotSchedule or ScheduleAnyway",
                        "use one of them");
            }
            if (!seen.add(key + "/" + when)) {
                f.add(at, key + ", " + when, "each (topologyKey, whenUnsatisfiable) pair appears once", "merge them");
            }
            Object minDomains = c.get("minDomains");
            if (minDomains != null) {
                Long m = Findings.integer(minDomains);
                if (m == null || m <= 0) {
                    f.add(at + ".minDomains", minDomains, "minDomains is greater than 0", "use 1 or more");
                }
                if (!"DoNotSchedule".equals(when)) {
                    f.add(at + ".minDomains", minDomains, "minDomains needs whenUnsatisfiable: DoNotSchedule",
                            "remove minDomains");
                }
            }
            for (String policy : List.of("nodeAffinityPolicy", "nodeTaintsPolicy")) {
                Object value = c.get(policy);
                if (value != null && !"Honor".equals(value) && !"Ignore".equals(value)) {
                    f.add(at + "." + policy, value, policy + " is Honor or Ignore", "use one of them");
                }
            }
            if (c.get("labelSelector") != null) {
                LabelSelectors.selector(c.get("labelSelector"), at + ".labelSelector", f);
            }
        }
    }

    /** The volume names a StatefulSet's claim templates add to its pods. */
    static Set<String> claimTemplateVolumes(Manifest m) {
        Set<String> names = new HashSet<>();
        for (Object t : Manifest.list(m.at("spec.volumeClaimTemplates"))) {
            Object name = Manifest.map(Manifest.map(t).get("metadata")).get("name");
            if (name instanceof String n) {
                names.add(n);
            }
        }
        return names;
    }
}
