package keyboss.charts.core;

import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.ObjectRef;

import org.cdk8s.plus25.k8s.KubeService;

/**
 * Where an Ingress path sends requests: a Service's named port, and the pods behind it with the
 * workloads that run them (the Ingress syncs after those workloads, and the network policies let
 * the ingress controller reach those pods). Taken from the Service object ({@link #of}), never
 * typed by hand where the chart builds the Service.
 *
 * @param service  the Service's name.
 * @param portName the Service port's name.
 * @param pods     the pods behind the Service.
 */
public record ServiceBackend(String service, String portName, NetworkPeer pods) {

    public ServiceBackend {
        if (service == null || portName == null || pods == null) {
            throw new IllegalArgumentException("ServiceBackend: service, portName and pods are required (got "
                    + service + ", " + portName + ", " + pods + ")");
        }
    }

    /** Port {@code portName} of {@code service}, in front of {@code pods}. */
    public static ServiceBackend of(KubeService service, String portName, NetworkPeer pods) {
        return new ServiceBackend(ObjectRef.of(service).name(), portName, pods);
    }
}
