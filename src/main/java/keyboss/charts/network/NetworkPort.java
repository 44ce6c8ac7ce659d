package keyboss.charts.network;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A port of a {@link Connection}: a number, or the name of the destination's container port
 * (what an Ingress route names), with its protocol.
 */
public record NetworkPort(Integer number, String name, String protocol) {

    public NetworkPort {
        if ((number == null) == (name == null)) {
            throw new IllegalArgumentException("NetworkPort: give either a number or a name (got " + number + ", " + name + ")");
        }
        if (number != null && (number < 1 || number > 65535)) {
            throw new IllegalArgumentException("NetworkPort " + number + ": from 1 to 65535");
        }
        if (!"TCP".equals(protocol) && !"UDP".equals(protocol)) {
            throw new IllegalArgumentException("NetworkPort protocol '" + protocol + "': TCP or UDP");
        }
    }

    public static NetworkPort tcp(int number) {
        return new NetworkPort(number, null, "TCP");
    }

    public static NetworkPort udp(int number) {
        return new NetworkPort(number, null, "UDP");
    }

    /** The destination container port called {@code name}, over TCP. */
    public static NetworkPort named(String name) {
        return new NetworkPort(null, name, "TCP");
    }

    public Map<String, Object> policyPort() {
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("protocol", protocol);
        port.put("port", number != null ? (Object) number : name);
        return port;
    }

    @Override
    public String toString() {
        return (number != null ? number.toString() : name) + "/" + protocol;
    }
}
