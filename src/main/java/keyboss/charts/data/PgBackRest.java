package keyboss.charts.data;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.env.ObjectStorage;
import keyboss.charts.model.SecretContract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;

/**
 * pgBackRest as the members of a {@link PostgresHA} and the backup jobs use it: one repository
 * in the environment's {@link ObjectStorage}, encrypted (AES-256), configured entirely through
 * {@code PGBACKREST_*} environment variables so no configuration file is needed.
 *
 * <ul>
 * <li>Every member archives its own WAL ({@code archive_command} = {@code archive-push}); only a
 *     primary archives, so the archive follows the leader across failovers. A standby that fell
 *     behind what its primary kept fetches the missing WAL with {@code archive-get}.</li>
 * <li>Every member runs {@code pgbackrest server} beside PostgreSQL (a sidecar sharing the data
 *     volume and the socket folder), reachable over mutually authenticated TLS on
 *     {@link #TLS_PORT}: the backup CronJob connects to all members and copies the primary's
 *     files, without {@code pods/exec}. One self-signed certificate ({@link #TLS_KEY}) is at once
 *     the authority, the servers' certificate and the client's.</li>
 * </ul>
 */
public final class PgBackRest {

    /** Secret keys: the object store's access key and secret, and the encryption passphrase. */
    public static final String ACCESS_KEY = SecretContract.BACKUP_ACCESS_KEY;
    public static final String SECRET_KEY = SecretContract.BACKUP_SECRET_KEY;
    public static final String CIPHER_KEY = SecretContract.BACKUP_CIPHER_KEY;
    /** Secret key holding the TLS certificate and its private key, in PEM, one file. */
    public static final String TLS_KEY = SecretContract.BACKUP_TLS_KEY;
    /** The certificate's common name, which the servers authorise for the stanza. */
    static final String CLIENT_NAME = "pgbackrest";
    public static final int TLS_PORT = 8432;
    static final String TLS_DIR = "/etc/pgbackrest/tls";
    public static final String TLS_FILE = TLS_DIR + "/" + TLS_KEY;
    /** PostgreSQL's socket folder, shared by the server and the pgBackRest sidecar. */
    static final String SOCKET_DIR = "/var/run/postgresql";
    /** The longest a disaster may lose: a WAL segment is archived at least this often. */
    public static final int ARCHIVE_TIMEOUT_SECONDS = 60;

    private PgBackRest() {
    }

    /** The repository: where it is, how to reach it, how it is encrypted, and the stanza. */
    static List<EnvVar> repository(Environment environment, String secretName, String stanza) {
        return K8s.envs(List.of(K8s.env("PGBACKREST_STANZA", stanza)), objectStore(environment, secretName));
    }

    /**
     * The bucket and the passphrase, named as pgBackRest names them; the scripts' own objects
     * (objects.sh) use the same variables, plus {@code OBJECT_PREFIX}.
     */
    static List<EnvVar> objectStore(Environment environment, String secretName) {
        ObjectStorage s = environment.objectStorage();
        return List.of(
                K8s.env("PGBACKREST_REPO1_TYPE", "s3"),
                K8s.env("PGBACKREST_REPO1_PATH", s.repositoryPath()),
                K8s.env("PGBACKREST_REPO1_S3_ENDPOINT", s.endpoint()),
                K8s.env("PGBACKREST_REPO1_STORAGE_PORT", Integer.toString(s.port())),
                K8s.env("PGBACKREST_REPO1_S3_BUCKET", s.bucket()),
                K8s.env("PGBACKREST_REPO1_S3_REGION", s.region()),
                K8s.env("PGBACKREST_REPO1_S3_URI_STYLE", s.uriStyle().value()),
                K8s.env("PGBACKREST_REPO1_STORAGE_VERIFY_TLS", s.verifyTls() ? "y" : "n"),
                // Environment variables: pgBackRest takes options only from its configuration file or
                // the environment, and the backup scripts hand the same values to curl and openssl.
                K8s.envFromSecret("PGBACKREST_REPO1_S3_KEY", secretName, ACCESS_KEY),
                K8s.envFromSecret("PGBACKREST_REPO1_S3_KEY_SECRET", secretName, SECRET_KEY),
                K8s.env("PGBACKREST_REPO1_CIPHER_TYPE", "aes-256-cbc"),
                K8s.envFromSecret("PGBACKREST_REPO1_CIPHER_PASS", secretName, CIPHER_KEY),
                // Zstandard: smaller and several times faster than the default gzip, for WAL and backups alike.
                K8s.env("PGBACKREST_COMPRESS_TYPE", "zst"),
                // Logs go to the container's output; the image's log folder may not be writable.
                K8s.env("PGBACKREST_LOG_LEVEL_FILE", "off"),
                K8s.env("OBJECT_PREFIX", s.prefix()));
    }

    /** Parallel transfers of a backup or restore (each compresses or decompresses, encrypts or decrypts). */
    static List<EnvVar> parallel() {
        return List.of(K8s.env("PGBACKREST_PROCESS_MAX", "2"));
    }

    /** What a member's PostgreSQL and its pgBackRest server need: the repository and the local cluster. */
    static List<EnvVar> member(Environment environment, String secretName, String stanza, String pgdata, String superuser) {
        return K8s.envs(repository(environment, secretName, stanza), List.of(
                K8s.env("PGBACKREST_PG1_PATH", pgdata),
                K8s.env("PGBACKREST_PG1_SOCKET_PATH", SOCKET_DIR),
                K8s.env("PGBACKREST_PG1_PORT", Integer.toString(PostgresHA.PORT)),
                K8s.env("PGBACKREST_PG1_USER", superuser)));
    }

    /** PostgreSQL settings of every member: archive each WAL segment, at least every 60 s. */
    static Map<String, String> postgresParameters(String stanza) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("archive_mode", "on");
        p.put("archive_command", archiveCommand(stanza));
        p.put("archive_timeout", ARCHIVE_TIMEOUT_SECONDS + "s");
        return p;
    }

    /**
     * Pushes a segment; when that fails it creates the stanza (idempotent; refused when the
     * repository belongs to another cluster) and pushes again, so a new cluster archives from its
     * first segment, not from its first base backup.
     */
    static String archiveCommand(String stanza) {
        String pgbackrest = "pgbackrest --stanza=" + stanza;
        return pgbackrest + " archive-push %p || { " + pgbackrest + " stanza-create && " + pgbackrest + " archive-push %p; }";
    }

    /** How a standby (or a recovering server) fetches WAL its primary no longer keeps. */
    static String restoreCommand(String stanza) {
        return "pgbackrest --stanza=" + stanza + " archive-get %f \"%p\"";
    }

    /**
     * The Patroni settings that make the archive part of the cluster's life, merged into
     * patroni.yml's {@code postgresql} section: a new or wiped member is copied from the newest
     * backup and WAL archive (falling back to a copy from the leader), and every standby can
     * fetch archived WAL. patroni.yml's local {@code postgresql.parameters} take
     * {@link #postgresParameters}.
     */
    public static Map<String, Object> patroniPostgresql(String stanza) {
        Map<String, Object> pgbackrest = new LinkedHashMap<>();
        pgbackrest.put("command", "pgbackrest --stanza=" + stanza + " --delta restore --type=standby");
        pgbackrest.put("keep_data", true);
        pgbackrest.put("no_params", true);
        pgbackrest.put("no_leader", true);
        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("create_replica_methods", List.of("pgbackrest", "basebackup"));
        postgresql.put("pgbackrest", pgbackrest);
        postgresql.put("recovery_conf", Map.of("restore_command", restoreCommand(stanza)));
        return postgresql;
    }

    /** The sidecar serving the member's files and database to the backup job over TLS. */
    static Container serverSidecar(Environment environment, ImageRef image, String secretName, String stanza, String pgdata,
            String superuser, List<VolumeMount> dataMounts, ContainerResources resources) {
        List<EnvVar> env = K8s.envs(member(environment, secretName, stanza, pgdata, superuser), List.of(
                K8s.env("PGBACKREST_TLS_SERVER_ADDRESS", "0.0.0.0"),
                K8s.env("PGBACKREST_TLS_SERVER_PORT", Integer.toString(TLS_PORT)),
                K8s.env("PGBACKREST_TLS_SERVER_CERT_FILE", TLS_FILE),
                K8s.env("PGBACKREST_TLS_SERVER_KEY_FILE", TLS_FILE),
                K8s.env("PGBACKREST_TLS_SERVER_CA_FILE", TLS_FILE),
                K8s.env("PGBACKREST_TLS_SERVER_AUTH", CLIENT_NAME + "=" + stanza)));
        List<VolumeMount> mounts = new ArrayList<>(dataMounts);
        mounts.add(K8s.readOnlyMount("pgbackrest-tls", TLS_DIR));
        return Container.builder()
                .name("pgbackrest")
                .image(image.image())
                .imagePullPolicy(image.pullPolicy().value())
                .command(List.of("pgbackrest", "server"))
                .env(env)
                .ports(List.of(ContainerPort.builder().name("pgbackrest").containerPort(TLS_PORT).build()))
                // Alive while it accepts connections. No readiness probe: the member's pod is ready
                // when PostgreSQL is, whether or not a backup could be taken from it right now.
                .livenessProbe(Probe.builder()
                        .tcpSocket(TcpSocketAction.builder().port(K8s.intOrString("pgbackrest")).build())
                        .periodSeconds(20).timeoutSeconds(5).failureThreshold(3).build())
                .resources(K8s.resources(resources))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(List.copyOf(mounts))
                .build();
    }

    /** The Secret volume with the TLS certificate and key, readable by the pod's group only. */
    static Volume tlsVolume(String secretName) {
        return Volume.builder().name("pgbackrest-tls").secret(SecretVolumeSource.builder()
                .secretName(secretName)
                .defaultMode(0440)
                .items(List.of(org.cdk8s.plus25.k8s.KeyToPath.builder().key(TLS_KEY).path(TLS_KEY).build()))
                .build()).build();
    }

    /**
     * The backup job's view of the cluster: every member as a pgBackRest TLS host. pgBackRest asks
     * each which one is primary and copies that one.
     */
    static List<EnvVar> members(List<String> hosts, String pgdata, String superuser) {
        List<EnvVar> env = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String p = "PGBACKREST_PG" + (i + 1) + "_";
            env.add(K8s.env(p + "HOST", hosts.get(i)));
            env.add(K8s.env(p + "HOST_TYPE", "tls"));
            env.add(K8s.env(p + "HOST_PORT", Integer.toString(TLS_PORT)));
            env.add(K8s.env(p + "HOST_CA_FILE", TLS_FILE));
            env.add(K8s.env(p + "HOST_CERT_FILE", TLS_FILE));
            env.add(K8s.env(p + "HOST_KEY_FILE", TLS_FILE));
            env.add(K8s.env(p + "PATH", pgdata));
            env.add(K8s.env(p + "SOCKET_PATH", SOCKET_DIR));
            env.add(K8s.env(p + "PORT", Integer.toString(PostgresHA.PORT)));
            env.add(K8s.env(p + "USER", superuser));
        }
        return List.copyOf(env);
    }

    static List<SecretContract.Key> secretKeys(List<String> serverNames) {
        return SecretContract.backupKeys(serverNames);
    }
}
