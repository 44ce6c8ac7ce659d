package keyboss.charts.validation;

import keyboss.charts.network.Connection;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.network.ObjectRef;
import keyboss.charts.model.PodTemplates;
import keyboss.charts.model.Problem;
import keyboss.charts.model.SecretContract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * References between the objects of one environment, checked the way the cluster would resolve
 * them: every ConfigMap key, Secret key (against the declared contract), volume claim, Service
 * Account and named port a pod uses exists; Services, disruption budgets and autoscalers find
 * their workloads; the Ingress reaches Services on ports they have; RoleBindings bind Roles and
 * ServiceAccounts that exist; a Role's resourceNames name objects that exist. (What the API
 * server checks within one object, such as a workload's selector or a mount's volume, is
 * {@link ApiServerRules}'s.)
 */
public final class CrossReferences {

    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Map<String, String> RESOURCE_KIND = Map.of(
            "configmaps", "ConfigMap", "deployments", "Deployment", "secrets", "Secret", "services", "Service",
            "statefulsets", "StatefulSet", "persistentvolumeclaims", "PersistentVolumeClaim");

    private CrossReferences() {
    }

    /** Every broken reference among {@code manifests}; {@code secrets} declares the Secrets that exist outside git. */
    public static List<Problem> check(String environment, List<Manifest> manifests, List<SecretContract> secrets) {
        Index index = new Index(manifests, secrets);
        List<Problem> problems = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.kind() == null) {
                continue; // no kind: the schema check reports it
            }
            String where = environment + "/" + m.file() + " " + m.id();
            Map<String, Object> pod = podSpec(m);
            if (pod != null) {
                checkPod(index, where, m, pod, problems);
            }
            switch (m.kind()) {
                case "Service" -> checkService(index, where, m, problems);
                case "PodDisruptionBudget" -> checkSelects(index, where, m, "spec.selector.matchLabels", problems);
                case "HorizontalPodAutoscaler" -> checkAutoscaler(index, where, m, problems);
                case "Ingress" -> checkIngress(index, where, m, problems);
                case "RoleBinding" -> checkRoleBinding(index, where, m, problems);
                case "Role" -> checkRole(index, where, m, problems);
                case "ServiceMonitor" -> checkServiceMonitor(index, where, m, problems);
                default -> { }
            }
        }
        return problems;
    }

    /**
     * The declared connections (by the id of the construct declaring them; see
     * {@link EnvironmentChart#connections()}) checked against the objects they describe: each end
     * in the namespace is pods some workload runs, and each object a peer names exists (and, for
     * the namespace's pods, runs pods with the peer's labels); the pods a connection goes to
     * listen on each of its ports, either behind a Service that selects them and exposes the port
     * (its targetPort), or as a port their containers declare (pod to pod). A connection on a
     * port nobody listens on is a policy that opens nothing useful and a client that cannot connect.
     */
    public static List<Problem> checkConnections(String environment, List<Manifest> manifests,
            Map<String, List<Connection>> declared) {
        Map<String, Manifest> byId = new HashMap<>();
        List<Manifest> workloads = new ArrayList<>();
        List<Manifest> services = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.kind() == null) {
                continue;
            }
            byId.put(m.id(), m);
            if (podSpec(m) != null && !"PodTemplate".equals(m.kind())) {
                workloads.add(m);
            }
            if ("Service".equals(m.kind())) {
                services.add(m);
            }
        }
        List<Problem> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        declared.forEach((construct, connections) -> {
            for (Connection c : connections) {
                String where = environment + " " + construct + " connection '" + c.why() + "'";
                checkPeer(where, "from", c.from(), byId, workloads, out, reported);
                List<Manifest> to = checkPeer(where, "to", c.to(), byId, workloads, out, reported);
                if (!c.to().isLocal()) {
                    continue;
                }
                for (Manifest w : to) {
                    for (NetworkPort port : c.ports()) {
                        checkListens(where, c.to(), w, port, services, out);
                    }
                }
            }
        });
        return out;
    }

    /** The workloads running {@code peer}'s pods (empty for a peer outside the namespace), reporting what is missing. */
    private static List<Manifest> checkPeer(String where, String end, NetworkPeer peer, Map<String, Manifest> byId,
            List<Manifest> workloads, List<Problem> out, Set<String> reported) {
        for (ObjectRef o : peer.objects()) {
            Manifest object = byId.get(o.id());
            if (object == null) {
                out.add(new Problem(where, end + " " + peer.name() + " objects", o.id(), "an object of this environment",
                        "give the peer the object its construct built (NetworkPeer.pods(name, labels, workload))"));
            } else if (peer.isLocal() && !podLabels(object).entrySet().containsAll(peer.podLabels().entrySet())) {
                out.add(new Problem(where, end + " " + peer.name() + " objects", o.id(),
                        "a workload whose pods carry the peer's labels " + peer.podLabels() + " (they carry "
                                + podLabels(object) + ")", "name the workload that runs these pods, or fix the peer's labels"));
            }
        }
        if (!peer.isLocal()) {
            return List.of();
        }
        List<Manifest> running = workloads.stream()
                .filter(w -> podLabels(w).entrySet().containsAll(peer.podLabels().entrySet())).toList();
        // One report per peer: every connection of a peer without pods would repeat it.
        if (running.isEmpty() && reported.add(where + end + peer.name())) {
            out.add(new Problem(where, end + " " + peer.name(), peer.podLabels(),
                    "labels the pods of a workload of this environment carry",
                    "give the peer the labels of the workload's pod template (Labels.selector(name))"));
        }
        return running;
    }

    /** Reports {@code port} unless the pods of {@code workload} listen on it, behind a Service or as a declared container port. */
    private static void checkListens(String where, NetworkPeer peer, Manifest workload, NetworkPort port,
            List<Manifest> services, List<Problem> out) {
        List<Map<String, Object>> containers = containers(podSpec(workload));
        Map<String, Object> ports = new HashMap<>();
        Set<Object> numbers = new HashSet<>();
        for (Map<String, Object> container : containers) {
            for (Object p : Manifest.list(container.get("ports"))) {
                Map<String, Object> cp = Manifest.map(p);
                if (protocol(cp).equals(port.protocol())) {
                    numbers.add(cp.get("containerPort"));
                    if (cp.get("name") != null) {
                        ports.put(cp.get("name").toString(), cp.get("containerPort"));
                    }
                }
            }
        }
        if (port.name() != null) {
            if (!ports.containsKey(port.name())) {
                out.add(new Problem(where, "to " + peer.name() + " port " + port, workload.id(),
                        "a port named " + port.name() + " on the containers of " + workload.id() + " (a policy's named port"
                                + " is the pod's; they name " + new java.util.TreeSet<>(ports.keySet()) + ")",
                        "name the container port " + port.name() + ", or declare the connection on a port the pods name"));
            }
            return;
        }
        if (numbers.contains(port.number())) {
            return;
        }
        List<String> selecting = new ArrayList<>();
        for (Manifest s : services) {
            Map<String, Object> selector = withoutRunTimeLabels(Manifest.map(s.at("spec.selector")), workload);
            if (!selects(selector, podLabels(workload))) {
                continue;
            }
            selecting.add(s.name());
            for (Object p : Manifest.list(s.at("spec.ports"))) {
                Map<String, Object> sp = Manifest.map(p);
                Object target = sp.get("targetPort") == null ? sp.get("port") : sp.get("targetPort");
                Object resolved = target instanceof String name ? ports.get(name) : target;
                if (protocol(sp).equals(port.protocol()) && port.number().equals(resolved)) {
                    return;
                }
            }
        }
        out.add(new Problem(where, "to " + peer.name() + " port " + port, workload.id(),
                "a port the pods of " + workload.id() + " listen on: "
                        + (selecting.isEmpty() ? "no Service selects them" : "Service " + String.join(", ", selecting)
                                + " selects them but targets no port " + port.number())
                        + ", and their containers declare none",
                "add port " + port.number() + " to " + (selecting.isEmpty() ? "a Service of these pods" : "Service "
                        + selecting.get(0)) + " or to the container's ports, or declare the connection on the port the pods listen on"));
    }

    private static String protocol(Map<String, Object> port) {
        Object protocol = port.get("protocol");
        return protocol == null ? "TCP" : protocol.toString();
    }

    /** Objects by kind and name, and the pods of every workload. */
    private static final class Index {
        final Map<String, Manifest> byKindName = new HashMap<>();
        final Map<String, Set<String>> secretKeys = new HashMap<>();
        /** Claims a StatefulSet's volumeClaimTemplates create for its pods. */
        final Set<String> templateClaims = new HashSet<>();
        final List<Manifest> workloads = new ArrayList<>();

        Index(List<Manifest> manifests, List<SecretContract> secrets) {
            for (Manifest m : manifests) {
                byKindName.put(m.kind() + "/" + m.name(), m);
                if (podSpec(m) != null && !Set.of("Job", "CronJob", "PodTemplate").contains(m.kind())) {
                    workloads.add(m);
                }
                if ("Secret".equals(m.kind())) {
                    secretKeys.put(m.name(), new HashSet<>(Manifest.map(m.object().get("data")).keySet()));
                }
                if ("StatefulSet".equals(m.kind())) {
                    // The StatefulSet controller creates <template>-<set>-<ordinal> for each pod.
                    Object replicas = m.at("spec.replicas");
                    // A replicas of the wrong type is the schema check's to report; count one pod here.
                    int count = replicas == null ? 1 : replicas instanceof Integer n ? Math.max(0, Math.min(n, 1000)) : 1;
                    for (Object t : Manifest.list(m.at("spec.volumeClaimTemplates"))) {
                        Object template = Manifest.map(Manifest.map(t).get("metadata")).get("name");
                        for (int i = 0; i < count; i++) {
                            templateClaims.add(template + "-" + m.name() + "-" + i);
                        }
                    }
                }
            }
            for (SecretContract s : secrets) {
                secretKeys.put(s.name(), s.keyNames());
            }
        }

        Manifest get(String kind, String name) {
            return byKindName.get(kind + "/" + name);
        }
    }

    /** The pod spec of a Pod or any pod template, or null for objects without pods. */
    public static Map<String, Object> podSpec(Manifest m) {
        PodTemplates.Pod pod = PodTemplates.of(m);
        return pod == null ? null : pod.spec();
    }

    /** The labels of the pods of {@code m}. */
    public static Map<String, Object> podLabels(Manifest m) {
        PodTemplates.Pod pod = PodTemplates.of(m);
        return pod == null ? Map.of() : Manifest.map(pod.metadata().get("labels"));
    }

    /**
     * Pod template annotation naming the label keys the workload's pods set on themselves at run
     * time (Patroni's {@code role}); a Service may select on them.
     */
    public static final String RUN_TIME_LABELS = "keyboss.io/run-time-labels";

    /** {@code selector} without the keys {@code workload}'s pods label themselves with at run time. */
    private static Map<String, Object> withoutRunTimeLabels(Map<String, Object> selector, Manifest workload) {
        Object declared = Manifest.map(workload.at("spec.template.metadata.annotations")).get(RUN_TIME_LABELS);
        if (declared == null) {
            return selector;
        }
        Map<String, Object> rest = new java.util.LinkedHashMap<>(selector);
        for (String key : declared.toString().split(",")) {
            rest.remove(key.trim());
        }
        return rest;
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static List<Map<String, Object>> containers(Map<String, Object> pod) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            for (Object c : Manifest.list(pod.get(field))) {
                all.add(Manifest.map(c));
            }
        }
        return all;
    }

    private static Set<String> portNames(Map<String, Object> container) {
        Set<String> names = new HashSet<>();
        for (Object p : Manifest.list(container.get("ports"))) {
            Object name = Manifest.map(p).get("name");
            if (name != null) {
                names.add(name.toString());
            }
        }
        return names;
    }

    private static void checkPod(Index index, String where, Manifest m, Map<String, Object> pod, List<Problem> out) {
        Object account = pod.get("serviceAccountName");
        if (account != null && index.get("ServiceAccount", account.toString()) == null) {
            out.add(new Problem(where, "serviceAccountName", account, "a ServiceAccount of this environment",
                    "create the ServiceAccount or fix the name"));
        }
        for (Object v : Manifest.list(pod.get("volumes"))) {
            Map<String, Object> volume = Manifest.map(v);
            Map<String, Object> configMap = Manifest.map(volume.get("configMap"));
            if (!configMap.isEmpty()) {
                Manifest cm = index.get("ConfigMap", String.valueOf(configMap.get("name")));
                if (cm == null) {
                    out.add(new Problem(where, "volumes." + volume.get("name"), configMap.get("name"),
                            "an existing ConfigMap", "create it or fix the name"));
                } else {
                    for (Object item : Manifest.list(configMap.get("items"))) {
                        Object key = Manifest.map(item).get("key");
                        if (!Manifest.map(cm.object().get("data")).containsKey(String.valueOf(key))) {
                            out.add(new Problem(where, "volumes." + volume.get("name") + ".items", key,
                                    "a key of ConfigMap " + cm.name(), "add the key or fix the item"));
                        }
                    }
                }
            }
            Object claim = Manifest.map(volume.get("persistentVolumeClaim")).get("claimName");
            if (claim != null && index.get("PersistentVolumeClaim", claim.toString()) == null
                    && !index.templateClaims.contains(claim.toString())) {
                out.add(new Problem(where, "volumes." + volume.get("name"), claim, "an existing PersistentVolumeClaim",
                        "create the claim or fix claimName"));
            }
        }
        for (Map<String, Object> c : containers(pod)) {
            String cwhere = "container " + c.get("name");
            checkEnv(index, where, cwhere, c, out);
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                Map<String, Object> p = Manifest.map(c.get(probe));
                for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                    Object port = Manifest.map(p.get(action)).get("port");
                    if (port instanceof String named && !portNames(c).contains(named)) {
                        out.add(new Problem(where, cwhere + " " + probe + "." + action + ".port", named,
                                "a port the container declares " + portNames(c), "name the container port"));
                    }
                }
            }
        }
    }

    private static void checkEnv(Index index, String where, String cwhere, Map<String, Object> c, List<Problem> out) {
        Set<String> defined = new HashSet<>();
        for (Object ef : Manifest.list(c.get("envFrom"))) {
            Object cm = Manifest.map(Manifest.map(ef).get("configMapRef")).get("name");
            if (cm != null) {
                Manifest map = index.get("ConfigMap", cm.toString());
                if (map == null) {
                    out.add(new Problem(where, cwhere + " envFrom", cm, "an existing ConfigMap", "create it or fix the name"));
                } else {
                    defined.addAll(Manifest.map(map.object().get("data")).keySet());
                }
            }
            Object secret = Manifest.map(Manifest.map(ef).get("secretRef")).get("name");
            if (secret != null && !index.secretKeys.containsKey(secret.toString())) {
                out.add(new Problem(where, cwhere + " envFrom", secret, "a declared Secret " + index.secretKeys.keySet(),
                        "declare the Secret's contract or fix the name"));
            }
        }
        for (Object e : Manifest.list(c.get("env"))) {
            Map<String, Object> var = Manifest.map(e);
            String name = String.valueOf(var.get("name"));
            Object value = var.get("value");
            if (value != null) {
                Matcher refs = VAR_REF.matcher(value.toString());
                while (refs.find()) {
                    if (!defined.contains(refs.group(1))) {
                        out.add(new Problem(where, cwhere + " env " + name, value, "$(" + refs.group(1)
                                + ") must be defined earlier in the container's env (Kubernetes leaves it unexpanded)",
                                "define " + refs.group(1) + " before " + name));
                    }
                }
            }
            Map<String, Object> from = Manifest.map(var.get("valueFrom"));
            Map<String, Object> cmRef = Manifest.map(from.get("configMapKeyRef"));
            if (!cmRef.isEmpty()) {
                Manifest cm = index.get("ConfigMap", String.valueOf(cmRef.get("name")));
                if (cm == null || !Manifest.map(cm.object().get("data")).containsKey(String.valueOf(cmRef.get("key")))) {
                    out.add(new Problem(where, cwhere + " env " + name, cmRef.get("name") + "/" + cmRef.get("key"),
                            cm == null ? "an existing ConfigMap" : "a key of ConfigMap " + cm.name(),
                            "add the key to the ConfigMap or fix the reference"));
                }
            }
            Map<String, Object> secretRef = Manifest.map(from.get("secretKeyRef"));
            if (!secretRef.isEmpty()) {
                Set<String> keys = index.secretKeys.get(String.valueOf(secretRef.get("name")));
                if (keys == null || !keys.contains(String.valueOf(secretRef.get("key")))) {
                    out.add(new Problem(where, cwhere + " env " + name, secretRef.get("name") + "/" + secretRef.get("key"),
                            keys == null ? "a declared Secret " + index.secretKeys.keySet() : "a key the Secret declares " + keys,
                            "declare the key in the Secret's contract or fix the reference"));
                }
            }
            defined.add(name);
        }
    }

    /** The workloads whose pod template labels {@code selector} matches. */
    private static List<Manifest> selected(Index index, Map<String, Object> selector) {
        return index.workloads.stream().filter(w -> selects(selector, podLabels(w))).toList();
    }

    private static void checkSelects(Index index, String where, Manifest m, String path, List<Problem> out) {
        Map<String, Object> selector = Manifest.map(m.at(path));
        if (selected(index, selector).isEmpty()) {
            out.add(new Problem(where, path, selector, "labels of a workload's pods in this environment",
                    "select the labels the workload's pod template carries"));
        }
    }

    private static void checkService(Index index, String where, Manifest m, List<Problem> out) {
        Map<String, Object> selector = Manifest.map(m.at("spec.selector"));
        if (selector.isEmpty()) {
            // A Service without a selector: its endpoints are written by someone else (Patroni's leader).
            return;
        }
        List<Manifest> targets = index.workloads.stream()
                .filter(w -> selects(withoutRunTimeLabels(selector, w), podLabels(w))).toList();
        if (targets.isEmpty()) {
            out.add(new Problem(where, "spec.selector", selector, "labels of a workload's pods in this environment",
                    "select the labels the workload's pod template carries"));
            return;
        }
        for (Object p : Manifest.list(m.at("spec.ports"))) {
            Object target = Manifest.map(p).get("targetPort");
            if (target instanceof String named) {
                for (Manifest w : targets) {
                    boolean found = containers(podSpec(w)).stream().anyMatch(c -> portNames(c).contains(named));
                    if (!found) {
                        out.add(new Problem(where, "spec.ports.targetPort", named, "a port named on the containers of "
                                + w.id(), "name the container port " + named + " or fix targetPort"));
                    }
                }
            }
        }
    }

    private static void checkAutoscaler(Index index, String where, Manifest m, List<Problem> out) {
        Map<String, Object> ref = Manifest.map(m.at("spec.scaleTargetRef"));
        if (index.get(String.valueOf(ref.get("kind")), String.valueOf(ref.get("name"))) == null) {
            out.add(new Problem(where, "spec.scaleTargetRef", ref.get("kind") + "/" + ref.get("name"),
                    "an existing workload", "point it at the Deployment it scales"));
        }
    }

    private static void checkIngress(Index index, String where, Manifest m, List<Problem> out) {
        for (Object rule : Manifest.list(m.at("spec.rules"))) {
            for (Object p : Manifest.list(Manifest.map(Manifest.map(rule).get("http")).get("paths"))) {
                Map<String, Object> path = Manifest.map(p);
                Map<String, Object> service = Manifest.map(Manifest.map(path.get("backend")).get("service"));
                Manifest svc = index.get("Service", String.valueOf(service.get("name")));
                Object port = Manifest.map(service.get("port")).get("name");
                if (svc == null) {
                    out.add(new Problem(where, "path " + path.get("path"), service.get("name"), "an existing Service",
                            "route to a Service of this environment"));
                } else if (port != null && Manifest.list(svc.at("spec.ports")).stream()
                        .noneMatch(sp -> port.equals(Manifest.map(sp).get("name")))) {
                    out.add(new Problem(where, "path " + path.get("path"), service.get("name") + ":" + port,
                            "a port Service " + svc.name() + " declares", "name one of the Service's ports"));
                }
            }
        }
    }

    private static void checkServiceMonitor(Index index, String where, Manifest m, List<Problem> out) {
        Map<String, Object> selector = Manifest.map(m.at("spec.selector.matchLabels"));
        List<Manifest> services = index.byKindName.values().stream().filter(s -> "Service".equals(s.kind()))
                .filter(s -> !selector.isEmpty() && Manifest.map(s.metadata().get("labels")).entrySet().containsAll(selector.entrySet()))
                .toList();
        if (services.isEmpty()) {
            out.add(new Problem(where, "spec.selector.matchLabels", selector, "the labels of a Service in this environment",
                    "select the labels of the Service that exposes the metrics"));
            return;
        }
        for (Object e : Manifest.list(m.at("spec.endpoints"))) {
            Object port = Manifest.map(e).get("port");
            for (Manifest s : services) {
                if (port != null && Manifest.list(s.at("spec.ports")).stream().noneMatch(p -> port.equals(Manifest.map(p).get("name")))) {
                    out.add(new Problem(where, "spec.endpoints.port", port, "a port named on Service " + s.name(),
                            "name one of the Service's ports"));
                }
            }
        }
    }

    private static void checkRoleBinding(Index index, String where, Manifest m, List<Problem> out) {
        Map<String, Object> ref = Manifest.map(m.object().get("roleRef"));
        if (index.get(String.valueOf(ref.get("kind")), String.valueOf(ref.get("name"))) == null) {
            out.add(new Problem(where, "roleRef", ref.get("kind") + "/" + ref.get("name"), "an existing Role",
                    "bind a Role of this environment"));
        }
        for (Object s : Manifest.list(m.object().get("subjects"))) {
            Map<String, Object> subject = Manifest.map(s);
            if ("ServiceAccount".equals(subject.get("kind"))
                    && index.get("ServiceAccount", String.valueOf(subject.get("name"))) == null) {
                out.add(new Problem(where, "subjects", subject.get("name"), "an existing ServiceAccount",
                        "create the ServiceAccount or fix the subject"));
            }
        }
    }

    private static void checkRole(Index index, String where, Manifest m, List<Problem> out) {
        for (Object r : Manifest.list(m.object().get("rules"))) {
            Map<String, Object> rule = Manifest.map(r);
            for (Object resource : Manifest.list(rule.get("resources"))) {
                String kind = RESOURCE_KIND.get(String.valueOf(resource));
                for (Object name : Manifest.list(rule.get("resourceNames"))) {
                    boolean declaredSecret = "Secret".equals(kind) && index.secretKeys.containsKey(String.valueOf(name));
                    if (kind != null && !declaredSecret && index.get(kind, String.valueOf(name)) == null) {
                        out.add(new Problem(where, "rules.resourceNames", resource + "/" + name,
                                "an object of this environment", "grant access to an object that exists"));
                    }
                }
            }
        }
    }
}
