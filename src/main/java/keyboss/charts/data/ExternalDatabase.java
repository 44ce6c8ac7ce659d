package keyboss.charts.data;

import keyboss.charts.core.DatabaseLogin;
import keyboss.charts.core.IDatabase;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.model.Size;

/**
 * A PostgreSQL database the chart does not run (a managed service, another team's cluster),
 * reached at {@code host:port}, whose addresses are {@code peer} (for example
 * {@link NetworkPeer#addresses}). The shop's constructs use it as they use {@link PostgresHA};
 * nothing waits for it in the sync, as the chart has no object of it.
 */
public record ExternalDatabase(String name, String host, int port, String database, DatabaseLogin owner,
        DatabaseLogin reader, NetworkPeer peer, Size storageSize) implements IDatabase {

    public ExternalDatabase {
        if (name == null || host == null || database == null || owner == null || reader == null || peer == null
                || storageSize == null) {
            throw new IllegalArgumentException("ExternalDatabase '" + name + "' at " + host
                    + ": name, host, database, owner, reader, peer and storageSize are required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ExternalDatabase '" + name + "' port " + port + ": 1 to 65535 (PostgreSQL's is 5432)");
        }
    }
}
