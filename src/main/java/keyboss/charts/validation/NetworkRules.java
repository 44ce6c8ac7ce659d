package keyboss.charts.validation;

import keyboss.charts.model.Findings;
import keyboss.charts.model.IpAddresses;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server requires of Services, Ingresses and NetworkPolicies: Service types and
 * ports (numbers in range, names that are DNS labels and unique, node ports only where a node
 * port exists and in the default node port range), IP addresses, session affinity and traffic
 * policies, headless rules; Ingress hosts, path types and paths, backends naming a Service by
 * name and one port; NetworkPolicy ports, peers and CIDRs.
 */
final class NetworkRules {

    private static final Set<String> SERVICE_TYPES = Findings.setOf("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
    private static final Set<String> PROTOCOLS = Findings.setOf("TCP", "UDP", "SCTP");
    /** The API server's default --service-node-port-range. */
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;
    private static final List<String> BAD_PATH_PARTS = List.of("//", "/./", "/../", "%2f", "%2F");

    private NetworkRules() {
    }

    static void check(Manifest m, Findings f) {
        switch (m.apiGroup() + "/" + m.kind()) {
            case "/Service" -> service(Manifest.map(m.object().get("spec")), f);
            case "networking.k8s.io/Ingress" -> {
                ingress(Manifest.map(m.object().get("spec")), f);
                Object annotation = Manifest.map(m.metadata().get("annotations")).get("kubernetes.io/ingress.class");
                Object className = m.at("spec.ingressClassName");
                if (annotation != null && className != null && !annotation.equals(className)) {
                    f.add("metadata.annotations.kubernetes.io/ingress.class", annotation, "the old class annotation"
                            + " matches spec.ingressClassName (" + className + ") when both are set",
                            "remove the annotation");
                }
            }
            case "networking.k8s.io/NetworkPolicy" -> networkPolicy(Manifest.map(m.object().get("spec")), f);
            default -> { }
        }
    }

    private static void service(Map<String, Object> spec, Findings f) {
        Object rawType = spec.get("type");
        String type = rawType == null ? "ClusterIP" : String.valueOf(rawType);
        if (!SERVICE_TYPES.contains(type)) {
            f.add("spec.type", rawType, "a Service type is ClusterIP, NodePort, LoadBalancer or ExternalName",
                    "use ClusterIP");
        }
        boolean headless = "None".equals(spec.get("clusterIP"));
        List<Object> ports = Manifest.list(spec.get("ports"));
        if (ports.isEmpty() && !headless && !"ExternalName".equals(type)) {
            f.add("spec.ports", null, "a Service needs at least one port (unless headless or ExternalName)",
                    "add a port");
        }
        if (headless && ("NodePort".equals(type) || "LoadBalancer".equals(type))) {
            f.add("spec.clusterIP", "None", "a " + type + " Service cannot be headless", "remove clusterIP: None");
        }
        if ("ExternalName".equals(type)) {
            Object name = spec.get("externalName");
            String cname = name instanceof String s ? (s.endsWith(".") ? s.substring(0, s.length() - 1) : s) : "";
            if (cname.isEmpty() || !Names.isDnsSubdomain(cname)) {
                f.add("spec.externalName", name, "an ExternalName Service names a DNS host (lower case)",
                        "set externalName, for example db.example.com");
            }
            if (spec.get("clusterIP") instanceof String ip && !ip.isEmpty()) {
                f.add("spec.clusterIP", ip, "an ExternalName Service has no cluster IP", "remove clusterIP");
            }
        } else if (spec.get("clusterIP") instanceof String ip && !ip.isEmpty() && !"None".equals(ip)
                && !IpAddresses.isIp(ip)) {
            f.add("spec.clusterIP", ip, "clusterIP is None, empty or an IP address", "remove it to get one assigned");
        }
        for (Object ip : Manifest.list(spec.get("externalIPs"))) {
            if (!(ip instanceof String s && IpAddresses.isIp(s))) {
                f.add("spec.externalIPs", ip, "an external IP is an IP address", "fix the address");
            }
        }
        for (Object range : Manifest.list(spec.get("loadBalancerSourceRanges"))) {
            if (!(range instanceof String s && IpAddresses.isCidr(s.strip()))) {
                f.add("spec.loadBalancerSourceRanges", range, "a source range is a CIDR such as 10.0.0.0/8", "fix the range");
            }
        }
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> p = Manifest.map(ports.get(i));
            String at = "spec.ports[" + i + "]";
            Object name = p.get("name");
            if (ports.size() > 1 && (name == null || "".equals(name))) {
                f.add(at + ".name", null, "every port of a Service with several ports has a name", "name the port");
            } else if (name != null && !"".equals(name)) {
                if (!(name instanceof String n) || !Names.isDnsLabel(n)) {
                    f.add(at + ".name", name, "a Service port name is " + MetadataRules.NameFormat.DNS_LABEL.description,
                            "use a name such as http");
                } else if (!names.add(n)) {
                    f.add(at + ".name", n, "Service port names are unique", "rename one of the ports");
                }
            }
            PodSpecRules.portNumber(p.get("port"), at + ".port", f);
            Object protocol = p.getOrDefault("protocol", "TCP");
            if (!PROTOCOLS.contains(protocol)) {
                f.add(at + ".protocol", protocol, "protocol is TCP, UDP or SCTP", "use TCP");
            }
            if (!numbers.add(protocol + "/" + p.get("port"))) {
                f.add(at, protocol + "/" + p.get("port"), "a port and protocol appear once per Service",
                        "remove the duplicate port");
            }
            Object target = p.get("targetPort");
            if (target != null && !Long.valueOf(0).equals(Findings.integer(target)) && !"".equals(target)) {
                PodSpecRules.portNumberOrName(target, at + ".targetPort", f);
            }
            Object appProtocol = p.get("appProtocol");
            if (appProtocol != null && Names.qualifiedNameProblem(appProtocol instanceof String s ? s : null) != null) {
                f.add(at + ".appProtocol", appProtocol, "appProtocol is a qualified name (for example http or"
                        + " kubernetes.io/h2c)", "fix it");
            }
            Long nodePort = Findings.integer(p.get("nodePort"));
            if (p.get("nodePort") != null && nodePort != null && nodePort != 0) {
                if (!"NodePort".equals(type) && !"LoadBalancer".equals(type)) {
                    f.add(at + ".nodePort", nodePort, "nodePort is only set on NodePort and LoadBalancer Services",
                            "remove nodePort or change the type");
                } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                    f.add(at + ".nodePort", nodePort, "a node port lies in the cluster's node port range ("
                            + NODE_PORT_MIN + "-" + NODE_PORT_MAX + " by default)", "remove it to get one assigned");
                } else if (!nodePorts.add(protocol + "/" + nodePort)) {
                    f.add(at + ".nodePort", nodePort, "a node port appears once per Service", "use another one");
                }
            }
        }
        if (spec.get("selector") != null) {
            LabelSelectors.labels(spec.get("selector"), "spec.selector", f);
        }
        Object affinity = spec.getOrDefault("sessionAffinity", "None");
        if (!"None".equals(affinity) && !"ClientIP".equals(affinity)) {
            f.add("spec.sessionAffinity", affinity, "sessionAffinity is None or ClientIP", "use None");
        }
        if ("None".equals(affinity) && spec.get("sessionAffinityConfig") != null) {
            f.add("spec.sessionAffinityConfig", "(set)", "sessionAffinityConfig needs sessionAffinity: ClientIP", "remove it");
        }
        if ("ClientIP".equals(affinity)) {
            Object timeout = Manifest.map(Manifest.map(spec.get("sessionAffinityConfig")).get("clientIP")).get("timeoutSeconds");
            Long t = Findings.integer(timeout);
            if (timeout != null && (t == null || t < 1 || t > 86400)) {
                f.add("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout, "the timeout is from 1 to 86400 seconds",
                        "use 10800");
            }
        }
        boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type);
        Object externalPolicy = spec.get("externalTrafficPolicy");
        if (externalPolicy != null && !"".equals(externalPolicy)) {
            if (!external) {
                f.add("spec.externalTrafficPolicy", externalPolicy, "externalTrafficPolicy is only set on NodePort and"
                        + " LoadBalancer Services", "remove it");
            } else if (!"Cluster".equals(externalPolicy) && !"Local".equals(externalPolicy)) {
                f.add("spec.externalTrafficPolicy", externalPolicy, "externalTrafficPolicy is Cluster or Local", "use one");
            }
        }
        Object internalPolicy = spec.get("internalTrafficPolicy");
        if (internalPolicy != null && !"Cluster".equals(internalPolicy) && !"Local".equals(internalPolicy)) {
            f.add("spec.internalTrafficPolicy", internalPolicy, "internalTrafficPolicy is Cluster or Local", "use one");
        }
        if (!"LoadBalancer".equals(type)) {
            for (String field : List.of("loadBalancerSourceRanges", "allocateLoadBalancerNodePorts", "loadBalancerClass")) {
                if (spec.get(field) != null && !(spec.get(field) instanceof List<?> l && l.isEmpty())) {
                    f.add("spec." + field, spec.get(field), field + " is only set on LoadBalancer Services", "remove it");
                }
            }
        }
        Object familyPolicy = spec.get("ipFamilyPolicy");
        if (familyPolicy != null && !Findings.setOf("SingleStack", "PreferDualStack", "RequireDualStack").contains(familyPolicy)) {
            f.add("spec.ipFamilyPolicy", familyPolicy, "ipFamilyPolicy is SingleStack, PreferDualStack or RequireDualStack",
                    "use SingleStack");
        }
        for (Object family : Manifest.list(spec.get("ipFamilies"))) {
            if (!"IPv4".equals(family) && !"IPv6".equals(family)) {
                f.add("spec.ipFamilies", family, "an IP family is IPv4 or IPv6", "use IPv4");
            }
        }
    }

    private static void ingress(Map<String, Object> spec, Findings f) {
        List<Object> rules = Manifest.list(spec.get("rules"));
        if (rules.isEmpty() && spec.get("defaultBackend") == null) {
            f.add("spec.rules", null, "an Ingress has rules or a defaultBackend", "add a rule");
        }
        if (spec.get("defaultBackend") != null) {
            backend(Manifest.map(spec.get("defaultBackend")), "spec.defaultBackend", f);
        }
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = Manifest.map(rules.get(i));
            String at = "spec.rules[" + i + "]";
            host(rule.get("host"), at + ".host", f);
            if (rule.get("http") == null) {
                continue;
            }
            List<Object> paths = Manifest.list(Manifest.map(rule.get("http")).get("paths"));
            if (paths.isEmpty()) {
                f.add(at + ".http.paths", null, "an http rule has at least one path", "add a path");
            }
            for (int j = 0; j < paths.size(); j++) {
                Map<String, Object> p = Manifest.map(paths.get(j));
                String pp = at + ".http.paths[" + j + "]";
                Object pathType = p.get("pathType");
                Object path = p.get("path");
                String text = path instanceof String s ? s : "";
                if (pathType == null) {
                    f.add(pp + ".pathType", null, "every Ingress path states its pathType", "set pathType: Prefix");
                } else if ("Exact".equals(pathType) || "Prefix".equals(pathType)) {
                    if (!text.startsWith("/")) {
                        f.add(pp + ".path", path, "a " + pathType + " path is absolute", "start it with /");
                    }
                    for (String bad : BAD_PATH_PARTS) {
                        if (text.contains(bad)) {
                            f.add(pp + ".path", text, "a path must not contain '" + bad + "'", "normalise the path");
                        }
                    }
                    if (text.endsWith("/..") || text.endsWith("/.")) {
                        f.add(pp + ".path", text, "a path must not end with '/.' or '/..'", "normalise the path");
                    }
                } else if ("ImplementationSpecific".equals(pathType)) {
                    if (!text.isEmpty() && !text.startsWith("/")) {
                        f.add(pp + ".path", text, "a path is absolute", "start it with /");
                    }
                } else {
                    f.add(pp + ".pathType", pathType, "pathType is Exact, Prefix or ImplementationSpecific", "use Prefix");
                }
                backend(Manifest.map(p.get("backend")), pp + ".backend", f);
            }
        }
        List<Object> tls = Manifest.list(spec.get("tls"));
        for (int i = 0; i < tls.size(); i++) {
            Map<String, Object> t = Manifest.map(tls.get(i));
            for (Object host : Manifest.list(t.get("hosts"))) {
                host(host, "spec.tls[" + i + "].hosts", f);
            }
            Object secret = t.get("secretName");
            if (secret instanceof String s && !s.isEmpty() && !Names.isDnsSubdomain(s)) {
                f.add("spec.tls[" + i + "].secretName", s, "a Secret is named by a DNS subdomain", "fix the name");
            }
        }
        Object className = spec.get("ingressClassName");
        if (className != null && !(className instanceof String c && Names.isDnsSubdomain(c))) {
            f.add("spec.ingressClassName", className, "an IngressClass is named by a DNS subdomain", "fix the name");
        }
    }

    private static void networkPolicy(Map<String, Object> spec, Findings f) {
        LabelSelectors.selector(spec.get("podSelector"), "spec.podSelector", f);
        for (String direction : List.of("ingress", "egress")) {
            List<Object> rules = Manifest.list(spec.get(direction));
            String peers = "ingress".equals(direction) ? "from" : "to";
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = Manifest.map(rules.get(i));
                String at = "spec." + direction + "[" + i + "]";
                List<Object> ports = Manifest.list(rule.get("ports"));
                for (int j = 0; j < ports.size(); j++) {
                    policyPort(Manifest.map(ports.get(j)), at + ".ports[" + j + "]", f);
                }
                List<Object> list = Manifest.list(rule.get(peers));
                for (int j = 0; j < list.size(); j++) {
                    policyPeer(Manifest.map(list.get(j)), at + "." + peers + "[" + j + "]", f);
                }
            }
        }
        List<Object> types = Manifest.list(spec.get("policyTypes"));
        if (types.size() > 2) {
            f.add("spec.policyTypes", types, "at most two policy types (Ingress, Egress)", "remove the duplicates");
        } else {
            for (Object type : types) {
                if (!"Ingress".equals(type) && !"Egress".equals(type)) {
                    f.add("spec.policyTypes", type, "a policy type is Ingress or Egress", "use one of them");
                }
            }
        }
    }

    private static void policyPort(Map<String, Object> port, String at, Findings f) {
        Object protocol = port.get("protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            f.add(at + ".protocol", protocol, "protocol is TCP, UDP or SCTP", "use TCP");
        }
        Object number = port.get("port");
        Object end = port.get("endPort");
        if (number == null) {
            if (end != null) {
                f.add(at + ".endPort", end, "endPort needs a port", "set port or remove endPort");
            }
        } else if (number instanceof String) {
            PodSpecRules.portNumberOrName(number, at + ".port", f);
            if (end != null) {
                f.add(at + ".endPort", end, "endPort needs a numeric port", "give the port as a number");
            }
        } else {
            PodSpecRules.portNumber(number, at + ".port", f);
            if (end != null) {
                PodSpecRules.portNumber(end, at + ".endPort", f);
                Long first = Findings.integer(number);
                Long last = Findings.integer(end);
                if (first != null && last != null && last < first) {
                    f.add(at + ".endPort", end, "endPort is at least port (" + first + ")", "swap them");
                }
            }
        }
    }

    private static void policyPeer(Map<String, Object> peer, String at, Findings f) {
        int kinds = 0;
        for (String selector : List.of("podSelector", "namespaceSelector")) {
            if (peer.get(selector) != null) {
                kinds++;
                LabelSelectors.selector(peer.get(selector), at + "." + selector, f);
            }
        }
        Map<String, Object> block = Manifest.map(peer.get("ipBlock"));
        if (peer.get("ipBlock") != null) {
            if (kinds > 0) {
                f.add(at, "ipBlock", "a peer with an ipBlock names nothing else", "split it into two peers");
            }
            kinds++;
            Object cidr = block.get("cidr");
            if (!(cidr instanceof String c && IpAddresses.isCidr(c))) {
                f.add(at + ".ipBlock.cidr", cidr, "ipBlock.cidr is a CIDR such as 10.0.0.0/8", "fix the CIDR");
            }
            for (Object except : Manifest.list(block.get("except"))) {
                if (!(except instanceof String e && IpAddresses.isCidr(e))) {
                    f.add(at + ".ipBlock.except", except, "an exception is a CIDR inside cidr", "fix the CIDR");
                }
            }
        }
        if (kinds == 0) {
            f.add(at, null, "a peer names a podSelector, a namespaceSelector or an ipBlock", "add one");
        }
    }

    private static void host(Object host, String at, Findings f) {
        if (host == null || "".equals(host)) {
            return;
        }
        String h = host instanceof String s ? s : "";
        if (IpAddresses.isIp(h)) {
            f.add(at, h, "an Ingress host is a DNS name, not an IP address", "use the host name");
        } else if (h.contains("*") ? !Names.isWildcardSubdomain(h) : !Names.isDnsSubdomain(h)) {
            f.add(at, host, "an Ingress host is a lower-case DNS name (a wildcard only as the first label, *.example.com)",
                    "fix the host");
        }
    }

    private static void backend(Map<String, Object> backend, String at, Findings f) {
        boolean service = backend.get("service") != null;
        boolean resource = backend.get("resource") != null;
        if (service == resource) {
            f.add(at, null, "a backend names exactly one of service and resource", "name the Service");
            return;
        }
        if (!service) {
            return;
        }
        Map<String, Object> s = Manifest.map(backend.get("service"));
        Object name = s.get("name");
        if (!(name instanceof String n) || !Names.isDns1035Label(n)) {
            f.add(at + ".service.name", name, "a backend names a Service: " + MetadataRules.NameFormat.DNS_1035_LABEL.description,
                    "name the Service");
        }
        Map<String, Object> port = Manifest.map(s.get("port"));
        boolean hasName = port.get("name") instanceof String pn && !pn.isEmpty();
        Long number = Findings.integer(port.get("number"));
        boolean hasNumber = port.get("number") != null && (number == null || number != 0);
        if (hasName && hasNumber) {
            f.add(at + ".service.port", port, "a backend port is a name or a number, not both", "keep one");
        } else if (hasName) {
            String problem = Names.portNameProblem((String) port.get("name"));
            if (problem != null) {
                f.add(at + ".service.port.name", port.get("name"), problem, "name a port of the Service");
            }
        } else if (hasNumber) {
            PodSpecRules.portNumber(port.get("number"), at + ".service.port.number", f);
        } else {
            f.add(at + ".service.port", null, "a backend names the Service's port by name or number", "set port.name");
        }
    }
}
