package keyboss.charts.core;

import keyboss.charts.network.Connection;
import keyboss.charts.network.NetworkPort;

/**
 * A named TCP port of a server: the one object its container port, its Service port, the
 * probes that ask it, the scrape targets that read it and the connections to it are built from,
 * so the number is written once.
 *
 * @param name   the container and Service port name (an IANA_SVC_NAME: at most 15 characters).
 * @param number the port number, 1-65535.
 */
public record NamedPort(String name, int number) {

    public NamedPort {
        if (name == null || !name.matches("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?")) {
            throw new IllegalArgumentException("NamedPort name '" + name + "': at most 15 lower-case letters, digits and"
                    + " hyphens, such as metrics or http");
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("NamedPort " + name + " = " + number + ": from 1 to 65535");
        }
    }

    /** The port as a {@link Connection} names it: its number, over TCP. */
    public NetworkPort tcp() {
        return NetworkPort.tcp(number);
    }

    /** {@code host:number}, as a scrape target or a URL authority. */
    public String address(String host) {
        return host + ":" + number;
    }
}
