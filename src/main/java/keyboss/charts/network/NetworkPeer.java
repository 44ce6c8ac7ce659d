package keyboss.charts.network;

import keyboss.charts.model.Names;
import keyboss.charts.core.SyncWaves;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cdk8s.ApiObject;

/**
 * One end of a {@link Connection}: pods of the shop's namespace (by labels), pods of another
 * namespace (by namespace name and pod labels), or an address range outside the pod network.
 *
 * @param name            readable name; a policy that selects these pods is called {@code allow-<name>}.
 * @param podLabels       labels the pods carry; empty means every pod (of {@code namespace}).
 * @param namespace       the pods' namespace; null means the shop's own namespace.
 * @param cidr            an address range (for example the API server's); set only for an address peer.
 * @param objects         the chart's objects these pods stand for: for the shop's pods, the
 *                        workloads that run them; for pods elsewhere, the object through which they
 *                        act for the shop (the ingress controller serves the shop's Ingress). A
 *                        connection orders these objects ({@link SyncWaves#fromConnections}); empty
 *                        means no order is derived. Two peers are equal when they select the same
 *                        pods or addresses, whatever objects they name: the policies see only that.
 */
public record NetworkPeer(String name, Map<String, String> podLabels, String namespace, String cidr,
        List<ObjectRef> objects) {

    /** The label every namespace carries with its own name (Kubernetes 1.22 and later). */
    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    public NetworkPeer {
        if (name == null || Names.dnsLabelProblem(name) != null) {
            throw new IllegalArgumentException("NetworkPeer name '" + name + "': " + Names.dnsLabelProblem(name)
                    + "; it names the policy allow-<name>");
        }
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        objects = objects == null ? List.of() : List.copyOf(objects);
        if (cidr != null && (!podLabels.isEmpty() || namespace != null)) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "': an address range (" + cidr
                    + ") cannot also select pods or a namespace; declare two peers");
        }
    }

    /**
     * Pods of the shop's namespace with {@code labels}, run by {@code workloads} (the objects a
     * connection to or from them orders; null entries, from constructs with problems, are skipped).
     */
    public static NetworkPeer pods(String name, Map<String, String> labels, ApiObject... workloads) {
        return new NetworkPeer(name, labels, null, null, refs(workloads));
    }

    /** This peer standing for {@code objects} (see {@link #objects()}) as well as for those it already names. */
    public NetworkPeer withObjects(ApiObject... more) {
        List<ObjectRef> all = new ArrayList<>(objects);
        all.addAll(refs(more));
        return new NetworkPeer(name, podLabels, namespace, cidr, all);
    }

    private static List<ObjectRef> refs(ApiObject... objects) {
        List<ObjectRef> refs = new ArrayList<>();
        for (ApiObject o : objects) {
            if (o != null) {
                refs.add(ObjectRef.of(o));
            }
        }
        return refs;
    }

    /** Pods with {@code labels} (empty: all) in namespace {@code namespace}. */
    public static NetworkPeer inNamespace(String name, String namespace, Map<String, String> labels) {
        if (Names.dnsLabelProblem(namespace) != null) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "' namespace '" + namespace + "': "
                    + Names.dnsLabelProblem(namespace));
        }
        return new NetworkPeer(name, labels, namespace, null, List.of());
    }

    /** Addresses in {@code cidr} (a.b.c.d/n), outside the pod network. */
    public static NetworkPeer addresses(String name, String cidr) {
        if (cidr == null || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException("NetworkPeer '" + name + "' cidr '" + cidr
                    + "': an IPv4 range such as 10.43.0.1/32 is expected");
        }
        return new NetworkPeer(name, Map.of(), null, cidr, List.of());
    }

    /** Whether these are pods of the shop's own namespace (a policy can select them). */
    public boolean isLocal() {
        return cidr == null && namespace == null;
    }

    /** Equal when the name and what is selected are: {@link #objects()} does not count. */
    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkPeer p && name.equals(p.name) && podLabels.equals(p.podLabels)
                && Objects.equals(namespace, p.namespace) && Objects.equals(cidr, p.cidr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, podLabels, namespace, cidr);
    }

    /** This peer as a NetworkPolicy peer ({@code from}/{@code to} entry). */
    public Map<String, Object> policyPeer() {
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
