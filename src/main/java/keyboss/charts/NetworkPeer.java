package keyboss.charts;

import java.util.Map;
import java.util.TreeMap;

/**
 * One end of a {@link Connection}: pods of the shop's namespace (by labels), pods of another
 * namespace (by namespace name and pod labels), or an address range outside the pod network.
 *
 * @param name            readable name; a policy that selects these pods is called {@code allow-<name>}.
 * @param podLabels       labels the pods carry; empty means every pod (of {@code namespace}).
 * @param namespace       the pods' namespace; null means the shop's own namespace.
 * @param cidr            an address range (for example the API server's); set only for an address peer.
 */
public record NetworkPeer(String name, Map<String, String> podLabels, String namespace, String cidr) {

    /** The label every namespace carries with its own name (Kubernetes 1.22 and later). */
    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    public NetworkPeer {
        if (name == null || Names.dnsLabelProblem(name) != null) {
            throw new IllegalArgumentException("NetworkPeer name '" + name + "': " + Names.dnsLabelProblem(name)
                    + "; it names the policy allow-<name>");
        }
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        if (cidr != null && (!podLabels.isEmpty() || namespace != null)) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "': an address range (" + cidr
                    + ") cannot also select pods or a namespace; declare two peers");
        }
    }

    /** Pods of the shop's namespace with {@code labels}. */
    public static NetworkPeer pods(String name, Map<String, String> labels) {
        return new NetworkPeer(name, labels, null, null);
    }

    /** Pods with {@code labels} (empty: all) in namespace {@code namespace}. */
    public static NetworkPeer inNamespace(String name, String namespace, Map<String, String> labels) {
        if (Names.dnsLabelProblem(namespace) != null) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "' namespace '" + namespace + "': "
                    + Names.dnsLabelProblem(namespace));
        }
        return new NetworkPeer(name, labels, namespace, null);
    }

    /** Addresses in {@code cidr} (a.b.c.d/n), outside the pod network. */
    public static NetworkPeer addresses(String name, String cidr) {
        if (cidr == null || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "' cidr '" + cidr
                    + "': an IPv4 range such as 10.43.0.1/32 is expected");
        }
        return new NetworkPeer(name, Map.of(), null, cidr);
    }

    /** Whether these are pods of the shop's own namespace (a policy can select them). */
    public boolean isLocal() {
        return cidr == null && namespace == null;
    }

    /** This peer as a NetworkPolicy peer ({@code from}/{@code to} entry). */
    Map<String, Object> policyPeer() {
        if (cidr != null) {
            return Map.of("ipBlock", Map.of("cidr", cidr));
        }
        Map<String, Object> peer = new TreeMap<>();
        peer.put("podSelector", podLabels.isEmpty() ? Map.of() : Map.of("matchLabels", podLabels));
        if (namespace != null) {
            peer.put("namespaceSelector", Map.of("matchLabels", Map.of(NAMESPACE_NAME, namespace)));
        }
        return peer;
    }
}
