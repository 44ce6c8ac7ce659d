package keyboss.charts.network;

import keyboss.charts.core.Connected;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.core.NetworkPolicies;
import keyboss.charts.core.SyncWaves;

import java.util.List;

/**
 * That {@code from} opens connections to {@code to} on {@code ports}: declared once by the
 * construct that knows it (see {@link Connected}), and read by {@link NetworkPolicies}, which
 * allows exactly the declared connections and nothing else; by {@link SyncWaves}, which syncs
 * the workloads of {@code from} after those of {@code to}; and by {@link CrossReferences}, which
 * checks that the pods of either end exist and that {@code to} listens on {@code ports}.
 *
 * @param why   one line saying what the connection is for; written next to the rule.
 * @param waits whether {@code from}'s workloads wait, in the sync, for {@code to}'s (true unless
 *              declared {@link #withoutWaiting()}).
 */
public record Connection(NetworkPeer from, NetworkPeer to, List<NetworkPort> ports, String why, boolean waits) {

    public Connection {
        ports = List.copyOf(ports);
        if (from == null || to == null || ports.isEmpty()) {
            throw new IllegalArgumentException("Connection '" + why + "': from, to and at least one port are required");
        }
        if (!from.isLocal() && !to.isLocal()) {
            throw new IllegalArgumentException("Connection '" + why + "' from " + from.name() + " to " + to.name()
                    + ": one end must be pods of the shop's namespace, or no policy of the shop can allow it");
        }
    }

    /** A connection whose client waits for the other end in the sync. */
    public Connection(NetworkPeer from, NetworkPeer to, List<NetworkPort> ports, String why) {
        this(from, to, ports, why, true);
    }

    public static Connection of(NetworkPeer from, NetworkPeer to, String why, NetworkPort... ports) {
        return new Connection(from, to, List.of(ports), why);
    }

    /**
     * The same connection, but {@code from} does not wait for {@code to} in the sync: for a client
     * built to run while the other end is missing and to report it (Prometheus scraping its
     * targets, sending alerts; Grafana querying Prometheus). Making it wait would start the
     * monitoring last, when it should watch the rest of the sync. Policies are the same.
     */
    public Connection withoutWaiting() {
        return new Connection(from, to, ports, why, false);
    }
}
