package keyboss.charts.core;

import keyboss.charts.app.AppConfig;
import keyboss.charts.data.BackupCronJob;
import keyboss.charts.network.Connection;
import keyboss.charts.data.ExternalDatabase;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.model.Size;

import java.util.List;

/**
 * A PostgreSQL database as its clients see it: where to connect, which database, as whom, and
 * which pods or addresses a client's connection reaches (so that the network policies allow it
 * and the sync waves start the client after it). {@link PostgresHA} is one; a database outside
 * the chart is another ({@link ExternalDatabase}). {@link SaleorApi}, {@link AppConfig} and
 * {@link BackupCronJob} take any {@code IDatabase}.
 */
public interface IDatabase {

    /** A name for the database server: the repository folder of its dumps is named after it. */
    String name();

    /** The host clients write through (for {@link PostgresHA}, its primary Service). */
    String host();

    int port();

    /** The application database. */
    String database();

    /** The application role, owner of {@link #database()}. */
    DatabaseLogin owner();

    /** A read-only role (a member of {@code pg_read_all_data}) that logical backups dump as. */
    DatabaseLogin reader();

    /** The pods (or addresses) a client's connection reaches. */
    NetworkPeer peer();

    /**
     * {@code host:port} of every server: a logical backup dumps the one that answers as the
     * primary (a standby when none does). Default: {@link #host()} and {@link #port()}.
     */
    default List<String> members() {
        return List.of(host() + ":" + port());
    }

    /** The most a dump of the database can take (the work folder of a logical backup holds two). */
    Size storageSize();

    /** What a client opens: a connection from {@code client} to {@link #peer()} on {@link #port()}. */
    default List<Connection> clientConnections(NetworkPeer client, String why) {
        return List.of(Connection.of(client, peer(), why, NetworkPort.tcp(port())));
    }
}
