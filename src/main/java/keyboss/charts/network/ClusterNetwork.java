package keyboss.charts.network;

import keyboss.charts.model.Labels;

import java.util.List;
import java.util.Map;

/**
 * What the network policies need to know of the cluster itself: where its ingress controller,
 * its DNS and its API server are. The defaults are k3s' (both KeyBoss clusters run k3s, see
 * PLATFORM.md): Traefik and CoreDNS in {@code kube-system}.
 *
 * @param ingressController the ingress controller's pods (they open connections to the routed Services).
 * @param ingressWebPorts   the ingress controller's own HTTP ports, for pods that call the public URL.
 * @param ingressTlsPorts   the ingress controller's own HTTPS ports, for pods that call an https public URL.
 * @param dns               the cluster DNS pods; every pod may ask them on 53/UDP and 53/TCP.
 * @param kubeApi           the API server as seen from a pod. Cluster-specific: policies match the
 *                          address after the Service is translated, which on k3s is a server
 *                          node's address on 6443; the default admits the {@code kubernetes} Service
 *                          address (10.43.0.1:443, k3s' default service CIDR) and port 6443 at any
 *                          address. Narrow it to the server nodes' addresses where they are known.
 * @param nodeCidr          the nodes' addresses, where the kubelets answer (Prometheus reads node and
 *                          cAdvisor metrics there where it may watch nodes); default any address,
 *                          as the node network is the cluster's own. Narrow it where it is known.
 */
public record ClusterNetwork(NetworkPeer ingressController, List<NetworkPort> ingressWebPorts,
        List<NetworkPort> ingressTlsPorts, NetworkPeer dns, List<ApiEndpoint> kubeApi, String nodeCidr) {

    /** An address range and port where the API server answers. */
    public record ApiEndpoint(String cidr, int port) {
    }

    public ClusterNetwork {
        ingressWebPorts = List.copyOf(ingressWebPorts);
        ingressTlsPorts = List.copyOf(ingressTlsPorts);
        kubeApi = List.copyOf(kubeApi);
        if (ingressController == null || dns == null) {
            throw new IllegalArgumentException("ClusterNetwork: ingressController and dns are required; start from ClusterNetwork.k3s()");
        }
        NetworkPeer.addresses("kubelets", nodeCidr); // an IPv4 range, or a clear error naming it
    }

    /**
     * k3s: Traefik ({@code app.kubernetes.io/name=traefik}, web port 8000, websecure 8443) and
     * CoreDNS ({@code k8s-app=kube-dns}) in kube-system.
     */
    public static ClusterNetwork k3s() {
        return new ClusterNetwork(
                NetworkPeer.inNamespace("ingress-controller", "kube-system", Map.of(Labels.NAME, "traefik")),
                List.of(NetworkPort.tcp(8000)), List.of(NetworkPort.tcp(8443)),
                NetworkPeer.inNamespace("cluster-dns", "kube-system", Map.of("k8s-app", "kube-dns")),
                List.of(new ApiEndpoint("10.43.0.1/32", 443), new ApiEndpoint("0.0.0.0/0", 6443)), "0.0.0.0/0");
    }

    /** The ingress controller's ports a pod reaches when it calls {@code url} (https or http). */
    public List<NetworkPort> ingressPortsFor(String url) {
        return url.startsWith("https://") ? ingressTlsPorts : ingressWebPorts;
    }

    /** The kubelets' addresses. */
    public NetworkPeer kubelets() {
        return NetworkPeer.addresses("kubelets", nodeCidr);
    }

    /** The API server peers, one per address range, each with its port. */
    public List<Connection> toKubeApi(NetworkPeer from, String why) {
        return kubeApi.stream().map(e -> Connection.of(from,
                NetworkPeer.addresses("kube-api", e.cidr()), why, NetworkPort.tcp(e.port()))).toList();
    }
}
