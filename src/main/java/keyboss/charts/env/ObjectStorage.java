package keyboss.charts.env;

import keyboss.charts.model.Names;
import keyboss.charts.data.PgBackRest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The S3-compatible bucket outside the cluster that every backup goes to, so that losing the
 * cluster (or its storage) loses no backup. pgBackRest keeps its repository (base backups and
 * the WAL archive) under {@code <prefix>/pgbackrest}; the logical dumps, Valkey snapshots and
 * restore-drill manifests live beside it under {@code <prefix>/logical}, {@code /valkey} and
 * {@code /drill}. Everything is encrypted with one passphrase. The credentials and the
 * passphrase are keys of the Secret contract ({@link PgBackRest#ACCESS_KEY},
 * {@link PgBackRest#SECRET_KEY}, {@link PgBackRest#CIPHER_KEY}), never in git.
 *
 * @param endpoint  host name of the S3 API, without scheme or port (pgBackRest always speaks HTTPS).
 * @param port      its HTTPS port.
 * @param bucket    the bucket, which must exist.
 * @param prefix    folder inside the bucket for this environment, e.g. {@code keyboss/deti}:
 *                  segments of lower-case letters, digits, '.', '_' and '-' separated by '/'.
 * @param region    the store's region (any value the store accepts; MinIO takes {@code us-east-1}).
 * @param uriStyle  {@link UriStyle#PATH} ({@code https://endpoint/bucket/key}, MinIO and most
 *                  self-hosted stores) or {@link UriStyle#HOST} ({@code https://bucket.endpoint/key}, AWS).
 * @param verifyTls whether the store's certificate must be valid for its name; false only for a
 *                  development store with a self-signed certificate.
 * @param placeholder true for values nobody has confirmed yet (made with {@link #placeholder}):
 *                  they synthesize and validate, but the synth warns, naming the environment and
 *                  the values, on every run, and the store's alerts fire in the cluster until
 *                  they name the real store (archiving and every backup fail against it).
 */
public record ObjectStorage(String endpoint, int port, String bucket, String prefix, String region, UriStyle uriStyle,
        boolean verifyTls, boolean placeholder) {

    /** Confirmed values of a real store. */
    public ObjectStorage(String endpoint, int port, String bucket, String prefix, String region, UriStyle uriStyle,
            boolean verifyTls) {
        this(endpoint, port, bucket, prefix, region, uriStyle, verifyTls, false);
    }

    /** Values that stand in for a store the environment's operator has not named yet. */
    public static ObjectStorage placeholder(String endpoint, int port, String bucket, String prefix, String region,
            UriStyle uriStyle, boolean verifyTls) {
        return new ObjectStorage(endpoint, port, bucket, prefix, region, uriStyle, verifyTls, true);
    }

    /** The synth's warning for a placeholder, naming the environment and what to change; null when confirmed. */
    public String warning(String environment) {
        if (!placeholder) {
            return null;
        }
        return environment + ": objectStorage endpoint '" + endpoint + ":" + port + "' and bucket '" + bucket
                + "' are PLACEHOLDERS: WAL archiving and every backup fail until they name the real store"
                + " (set them in Environment." + environment + "() with new ObjectStorage(...), from the store's operator)";
    }

    /** How object URLs name the bucket. */
    public enum UriStyle {
        PATH, HOST;

        /** pgBackRest's spelling. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    private static final Pattern PREFIX = Pattern.compile("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$");
    private static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    /** The development store of the local k3d cluster: MinIO on the developer's machine, outside the cluster. */
    public static ObjectStorage localMinio() {
        return new ObjectStorage("host.k3d.internal", 9000, "keyboss-backups", "keyboss/local", "us-east-1",
                UriStyle.PATH, false);
    }

    /** pgBackRest's repository path, {@code /<prefix>/pgbackrest}. */
    public String repositoryPath() {
        return "/" + prefix + "/pgbackrest";
    }

    /** What is wrong with these values, each naming the value, what is allowed and the fix; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (Names.dnsSubdomainProblem(endpoint) != null) {
            problems.add("objectStorage.endpoint: " + Names.dnsSubdomainProblem(endpoint)
                    + " (a host name without scheme or port, e.g. s3.eu-west-1.amazonaws.com)");
        }
        if (port < 1 || port > 65535) {
            problems.add("objectStorage.port = " + port + ": a TCP port from 1 to 65535 (443 for most stores)");
        }
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            problems.add("objectStorage.bucket = '" + bucket + "': 3 to 63 lower-case letters, digits, '.' and '-',"
                    + " starting and ending with a letter or digit, e.g. keyboss-backups");
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            problems.add("objectStorage.prefix = '" + prefix + "': folders of lower-case letters, digits, '.', '_' and '-'"
                    + " separated by '/', without a leading or trailing '/', e.g. keyboss/deti");
        }
        if (region == null || !REGION.matcher(region).matches()) {
            problems.add("objectStorage.region = '" + region + "': lower-case letters, digits and '-', e.g. us-east-1");
        }
        if (uriStyle == null) {
            problems.add("objectStorage.uriStyle is required: UriStyle.PATH (MinIO, most self-hosted stores) or UriStyle.HOST (AWS)");
        }
        return problems;
    }
}
