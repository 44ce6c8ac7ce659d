package keyboss.charts;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Secret the charts read but never write: its name and the keys pods reference. Values are
 * created in the cluster by {@code bin/create-secrets}, never committed.
 */
public record SecretContract(String name, List<Key> keys) {

    /** How {@code bin/create-secrets} makes a value where the environment allows generated ones. */
    public enum Generator {
        /** 32 random bytes, hex-encoded (passwords and keys used in URLs). */
        RANDOM_HEX,
        /** A 2048-bit RSA private key in PEM (Saleor signs JWTs with it). */
        RSA_PRIVATE_KEY
    }

    /** One key of the Secret and what it is for. */
    public record Key(String name, Generator generator, String description) {
    }

    public SecretContract {
        keys = List.copyOf(keys);
    }

    /** The keys of {@code keyboss-secrets} (seed 2.7). */
    public static SecretContract keyboss() {
        return new SecretContract("keyboss-secrets", List.of(
                new Key("POSTGRES_PASSWORD", Generator.RANDOM_HEX, "password of the application database role"),
                new Key("POSTGRES_SUPERUSER_PASSWORD", Generator.RANDOM_HEX, "password of the database superuser (Patroni's)"),
                new Key("POSTGRES_REPLICATION_PASSWORD", Generator.RANDOM_HEX, "password of the replication role"),
                new Key("POSTGRES_REWIND_PASSWORD", Generator.RANDOM_HEX, "password of the role pg_rewind connects as"),
                new Key("POSTGRES_MONITOR_PASSWORD", Generator.RANDOM_HEX, "password of the exporters' pg_monitor role"),
                new Key("POSTGRES_BACKUP_PASSWORD", Generator.RANDOM_HEX, "password of the backup job's read-only role"),
                new Key("PATRONI_API_PASSWORD", Generator.RANDOM_HEX, "password guarding writes to Patroni's REST API"),
                new Key("SECRET_KEY", Generator.RANDOM_HEX, "Django SECRET_KEY of Saleor"),
                new Key("RSA_PRIVATE_KEY", Generator.RSA_PRIVATE_KEY, "RSA key Saleor signs JWTs with"),
                new Key("ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of the dashboard admin the seed Job creates"),
                new Key("GRAFANA_ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of Grafana's admin")));
    }

    public Set<String> keyNames() {
        Set<String> names = new TreeSet<>();
        keys.forEach(k -> names.add(k.name()));
        return names;
    }

    /** {@code key}, checked against the contract: a typo fails at synth, not in the cluster. */
    public String key(String key) {
        if (!keyNames().contains(key)) {
            throw new IllegalArgumentException("Secret " + name + " declares no key " + key + "; declared: " + keyNames());
        }
        return key;
    }
}
