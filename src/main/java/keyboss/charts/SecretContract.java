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
        RSA_PRIVATE_KEY,
        /**
         * A self-signed TLS certificate (P-256 key, ten years) and its private key, in one PEM:
         * authority, server and client certificate at once, valid for the key's host names.
         */
        TLS_SELF_SIGNED
    }

    /**
     * One key of the Secret and what it is for.
     *
     * @param hostNames for {@link Generator#TLS_SELF_SIGNED}, the DNS names the certificate is
     *                  valid for (wildcards like {@code *.postgres} allowed); empty otherwise.
     */
    public record Key(String name, Generator generator, String description, List<String> hostNames) {
        public Key {
            hostNames = List.copyOf(hostNames);
        }

        public Key(String name, Generator generator, String description) {
            this(name, generator, description, List.of());
        }
    }

    public SecretContract {
        keys = List.copyOf(keys);
    }

    /** The keys of {@code keyboss-secrets} (seed 2.7). */
    public static SecretContract keyboss() {
        List<Key> keys = new java.util.ArrayList<>(List.of(
                new Key("POSTGRES_PASSWORD", Generator.RANDOM_HEX, "password of the application database role"),
                new Key("POSTGRES_REPLICATION_PASSWORD", Generator.RANDOM_HEX, "password of the replication role"),
                new Key("SECRET_KEY", Generator.RANDOM_HEX, "Django SECRET_KEY of Saleor"),
                new Key("RSA_PRIVATE_KEY", Generator.RSA_PRIVATE_KEY, "RSA key Saleor signs JWTs with"),
                new Key("ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of the dashboard admin the seed Job creates"),
                new Key("GRAFANA_ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of Grafana's admin")));
        // The backups: object store credentials, the encryption passphrase, and the TLS certificate
        // of the members' pgBackRest servers, valid for <pod>.<members Service> (PostgresHA.podHost).
        keys.addAll(PgBackRest.secretKeys(List.of("*.postgres")));
        return new SecretContract("keyboss-secrets", List.copyOf(keys));
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
