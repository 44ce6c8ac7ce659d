package keyboss.charts.core;

import keyboss.charts.network.ClusterNetwork;
import keyboss.charts.network.Connection;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * The namespace's NetworkPolicies, derived from the connections the constructs declare
 * ({@link Connected}): {@code default-deny} selects every pod and allows nothing in or out, so a
 * pod takes and opens only what an allow policy names; {@code allow-dns} lets every pod ask the
 * cluster DNS ({@link ClusterNetwork#dns()}, 53/UDP and 53/TCP); and one {@code allow-<peer>}
 * policy per group of the namespace's pods holds the ingress rules of every connection to them
 * and the egress rules of every connection from them. Policies only add up, so the result is
 * exactly the declared connections (plus DNS). They go in the configuration wave (see
 * {@link SyncWaves}), before any workload starts.
 */
public class NetworkPolicies extends Component {

    public static final String DEFAULT_DENY = "default-deny";
    public static final String ALLOW_DNS = "allow-dns";

    private final List<Connection> connections = new ArrayList<>();
    private final List<String> policyNames = new ArrayList<>();

    public NetworkPolicies(Construct scope, String id, NetworkPoliciesProps props) {
        super(scope, id);
        Objects.requireNonNull(props, "NetworkPolicies props");
        if (!Checks.required(this, "sources", props.sources(), "the chart's constructs that implement Connected")) {
            return;
        }
        props.sources().forEach(s -> connections.addAll(s.connections()));
        Map<String, Object> all = Map.of();
        if (props.defaultDeny()) {
            policy(DEFAULT_DENY, all, List.of(), List.of());
        }
        if (props.allowDns()) {
            NetworkPeer dns = environment.network().dns();
            policy(ALLOW_DNS, all, List.of(), List.of(rule("to", dns, List.of(NetworkPort.udp(53), NetworkPort.tcp(53)))));
        }
        // Group by the namespace's pods, in declaration order (stable output).
        Map<String, NetworkPeer> peers = new LinkedHashMap<>();
        for (Connection c : connections) {
            for (NetworkPeer p : List.of(c.from(), c.to())) {
                if (p.isLocal()) {
                    NetworkPeer known = peers.putIfAbsent(p.name(), p);
                    if (known != null && !known.equals(p)) {
                        Problems.report(this, "connections", p.name(), "one label set per peer name (" + known.podLabels() + ")",
                                "peer '" + p.name() + "' is declared with labels " + p.podLabels() + " too; give it another name");
                    }
                }
            }
        }
        if (hasProblems()) {
            return;
        }
        for (NetworkPeer peer : peers.values()) {
            List<Object> ingress = new ArrayList<>();
            List<Object> egress = new ArrayList<>();
            for (Connection c : connections) {
                if (c.to().equals(peer)) {
                    ingress.add(rule("from", c.from(), c.ports()));
                }
                if (c.from().equals(peer)) {
                    egress.add(rule("to", c.to(), c.ports()));
                }
            }
            policy("allow-" + peer.name(), Map.of("matchLabels", peer.podLabels()), dedupe(ingress), dedupe(egress));
        }
    }

    private static List<Object> dedupe(List<Object> rules) {
        return List.copyOf(new java.util.LinkedHashSet<>(rules));
    }

    private static Map<String, Object> rule(String direction, NetworkPeer peer, List<NetworkPort> ports) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put(direction, List.of(peer.policyPeer()));
        rule.put("ports", ports.stream().map(NetworkPort::policyPort).toList());
        return rule;
    }

    private void policy(String name, Map<String, Object> podSelector, List<Object> ingress, List<Object> egress) {
        policyNames.add(name);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podSelector", podSelector);
        spec.put("policyTypes", List.of("Ingress", "Egress"));
        if (!ingress.isEmpty()) {
            spec.put("ingress", ingress);
        }
        if (!egress.isEmpty()) {
            spec.put("egress", egress);
        }
        ApiObject object = new ApiObject(this, name, ApiObjectProps.builder()
                .apiVersion("networking.k8s.io/v1")
                .kind("NetworkPolicy")
                .metadata(ApiObjectMetadata.builder().name(name).labels(Labels.of(name, "network-policy")).build())
                .build());
        object.addJsonPatch(JsonPatch.add("/spec", K8s.stable(spec)));
    }

    /** Every connection the policies allow, as declared. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The policies' names, in output order. */
    public List<String> policyNames() {
        return List.copyOf(policyNames);
    }
}
