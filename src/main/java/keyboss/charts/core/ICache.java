package keyboss.charts.core;

import keyboss.charts.app.AppConfig;
import keyboss.charts.network.Connection;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.data.ValkeySentinel;

import java.util.List;
import org.cdk8s.plus25.k8s.EnvVar;

/**
 * A Valkey (or Redis) behind Sentinel, as its clients see it: the master name and the Sentinels
 * to ask for it, the password, the variables a Celery client reads, and the connections a client
 * opens. {@link ValkeySentinel} is one; {@link SaleorApi} and {@link AppConfig} take any.
 */
public interface ICache {

    /** The name clients ask the Sentinels for. */
    String masterName();

    /** {@code host:port} of each Sentinel. */
    List<String> sentinelHosts();

    /** Secret and key of the password. */
    String secretName();

    String passwordKey();

    /** The password and the Celery broker and result URLs, for databases {@code brokerDb} and {@code resultsDb}. */
    List<EnvVar> clientEnvironment(int brokerDb, int resultsDb);

    /** What a client of the cache opens. */
    List<Connection> clientConnections(NetworkPeer client, String why);
}
