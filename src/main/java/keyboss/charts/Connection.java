package keyboss.charts;

import java.util.List;

/**
 * That {@code from} opens connections to {@code to} on {@code ports}: declared once by the
 * construct that knows it (see {@link Connected}), and read by {@link NetworkPolicies}, which
 * allows exactly the declared connections and nothing else.
 *
 * @param why one line saying what the connection is for; written next to the rule.
 */
public record Connection(NetworkPeer from, NetworkPeer to, List<NetworkPort> ports, String why) {

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

    public static Connection of(NetworkPeer from, NetworkPeer to, String why, NetworkPort... ports) {
        return new Connection(from, to, List.of(ports), why);
    }
}
