package keyboss.charts.core;

import keyboss.charts.network.Connection;

import java.util.List;

/** A construct that declares whom its pods talk to, and who talks to them. */
public interface Connected {

    /** The connections this construct knows of; {@link NetworkPolicies} allows exactly these. */
    List<Connection> connections();
}
