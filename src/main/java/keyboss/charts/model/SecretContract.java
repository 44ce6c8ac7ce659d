package keyboss.charts.model;

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
         * An obviously local alert webhook, {@code http://host.k3d.internal:9095/alerts}: the
         * developer's machine as a k3d cluster sees it (README, "Alert delivery").
         */
        LOCAL_ALERT_WEBHOOK,
        /**
         * A self-signed TLS certificate (P-256 key, ten years) and its private key, in one PEM:
         * authority, server and client certificate at once, valid for the key's host names.
         */
        TLS_SELF_SIGNED
    }

    /** Which characters a value may hold, checked by {@code bin/create-secrets} before it touches the cluster. */
    public enum Characters {
        /** Anything: the value reaches its reader as is (an environment variable, a file). */
        ANY,
        /**
         * RFC 3986 unreserved characters only ({@code A-Z a-z 0-9 - . _ ~}): the value is put
         * into a URL unescaped (e.g. {@code $(POSTGRES_PASSWORD)} in {@code DATABASE_URL}), where
         * {@code @ : / ? #} or {@code %} would change what the URL says.
         */
        URL_UNRESERVED
    }

    /**
     * One key of the Secret, what it is for, and the characters its value may hold.
     *
     * @param hostNames for {@link Generator#TLS_SELF_SIGNED}, the DNS names the certificate is
     *                  valid for (wildcards like {@code *.postgres-members} allowed); empty otherwise.
     */
    public record Key(String name, Generator generator, Characters characters, String description, List<String> hostNames) {
        public Key {
            hostNames = List.copyOf(hostNames);
        }

        public Key(String name, Generator generator, Characters characters, String description) {
            this(name, generator, characters, description, List.of());
        }

        /** A key whose value may hold any characters. */
        public Key(String name, Generator generator, String description) {
            this(name, generator, Characters.ANY, description, List.of());
        }
    }

    public SecretContract {
        keys = List.copyOf(keys);
    }

    /** The key of the URL Alertmanager posts alerts to. */
    public static final String ALERT_WEBHOOK_URL = "ALERT_WEBHOOK_URL";
    /** The keys of the backups' object store credentials, encryption passphrase and pgBackRest TLS. */
    public static final String BACKUP_ACCESS_KEY = "BACKUP_S3_ACCESS_KEY";
    public static final String BACKUP_SECRET_KEY = "BACKUP_S3_SECRET_KEY";
    public static final String BACKUP_CIPHER_KEY = "BACKUP_CIPHER_PASSPHRASE";
    public static final String BACKUP_TLS_KEY = "PGBACKREST_TLS";

    /**
     * The keys the backups need: object store credentials, the encryption passphrase, and the TLS
     * certificate of the pgBackRest servers, valid for {@code serverNames}.
     */
    public static List<Key> backupKeys(List<String> serverNames) {
        return List.of(
                new Key(BACKUP_ACCESS_KEY, Generator.RANDOM_HEX,
                        "access key of the object store the backups go to (from its operator; generated only for local MinIO)"),
                new Key(BACKUP_SECRET_KEY, Generator.RANDOM_HEX, "secret of that access key"),
                new Key(BACKUP_CIPHER_KEY, Generator.RANDOM_HEX,
                        "passphrase the backups are encrypted with; keep a copy OUTSIDE the cluster, without it no backup restores"),
                new Key(BACKUP_TLS_KEY, Generator.TLS_SELF_SIGNED, Characters.ANY,
                        "pgBackRest TLS certificate and key (PEM) of the members' servers and the backup jobs", serverNames));
    }

    /** The keys of {@code keyboss-secrets} (seed 2.7). */
    public static SecretContract keyboss() {
        List<Key> keys = new java.util.ArrayList<>(List.of(
                new Key("POSTGRES_PASSWORD", Generator.RANDOM_HEX, Characters.URL_UNRESERVED,
                        "password of the application database role (Saleor's DATABASE_URL holds it)"),
                new Key("POSTGRES_SUPERUSER_PASSWORD", Generator.RANDOM_HEX, "password of the database superuser (Patroni's)"),
                new Key("POSTGRES_REPLICATION_PASSWORD", Generator.RANDOM_HEX, "password of the replication role"),
                new Key("POSTGRES_REWIND_PASSWORD", Generator.RANDOM_HEX, "password of the role pg_rewind connects as"),
                new Key("POSTGRES_MONITOR_PASSWORD", Generator.RANDOM_HEX, "password of the exporters' pg_monitor role"),
                new Key("POSTGRES_BACKUP_PASSWORD", Generator.RANDOM_HEX, "password of the backup job's read-only role"),
                new Key("PATRONI_API_PASSWORD", Generator.RANDOM_HEX, "password guarding writes to Patroni's REST API"),
                new Key("SECRET_KEY", Generator.RANDOM_HEX, "Django SECRET_KEY of Saleor"),
                new Key("RSA_PRIVATE_KEY", Generator.RSA_PRIVATE_KEY, "RSA key Saleor signs JWTs with"),
                new Key("ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of the dashboard admin the seed Job creates"),
                new Key("GRAFANA_ADMIN_PASSWORD", Generator.RANDOM_HEX, "password of Grafana's admin"),
                new Key(ALERT_WEBHOOK_URL, Generator.LOCAL_ALERT_WEBHOOK,
                        "URL Alertmanager posts alerts to (a chat bridge or incident tool; it may carry a token)"),
                new Key("VALKEY_PASSWORD", Generator.RANDOM_HEX, Characters.URL_UNRESERVED,
                        "password of the Valkey servers and Sentinels (Celery's broker URLs hold it)")));
        // The backups: object store credentials, the encryption passphrase, and the TLS certificate
        // of the members' pgBackRest servers, valid for <pod>.<members Service> (PostgresHA.podHost
        // of the default name "postgres").
        keys.addAll(backupKeys(List.of("*.postgres-members")));
        return new SecretContract("keyboss-secrets", List.copyOf(keys));
    }

    public Set<String> keyNames() {
        Set<String> names = new TreeSet<>();
        keys.forEach(k -> names.add(k.name()));
        return names;
    }

    /**
     * {@code key}, for a value put into a URL unescaped: it must be declared
     * {@link Characters#URL_UNRESERVED}, so {@code bin/create-secrets} refuses values that
     * would break the URL.
     */
    public String urlKey(String key) {
        Key declared = keys.stream().filter(k -> k.name().equals(key(key))).findFirst().orElseThrow();
        if (declared.characters() != Characters.URL_UNRESERVED) {
            throw new IllegalArgumentException("Secret " + name + " key " + key + " goes into a URL, but the contract"
                    + " allows it any characters; declare it Characters.URL_UNRESERVED");
        }
        return key;
    }

    /** {@code key}, checked against the contract: a typo fails at synth, not in the cluster. */
    public String key(String key) {
        if (!keyNames().contains(key)) {
            throw new IllegalArgumentException("Secret " + name + " declares no key " + key + "; declared: " + keyNames());
        }
        return key;
    }
}
