package keyboss.charts.lab;

import keyboss.charts.cli.KubeApi;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.cli.ServerCheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The API-server oracle for the tests: one control plane per test JVM, started on first use
 * through {@code bin/kube-oracle} (the same launcher users run) in a folder under
 * {@code target/}, and stopped when the JVM exits (the launcher also stops it by itself if this
 * JVM dies without doing so). dist/deti is applied once, as the tenant, and the report kept for
 * every test that needs it.
 */
public final class KubeOracle {

    private static KubeOracle shared;

    final Path dir;
    final Path envFile;
    final Properties env = new Properties();
    final long startMillis;
    private ServerCheck.Report detiReport;
    private ServerCheck.Report localReport;

    private KubeOracle(Path dir) {
        this.dir = dir;
        long t0 = System.nanoTime();
        Exec.Result r = Exec.run(List.of("bin/kube-oracle", "start", dir.toString()),
                Map.of("HOME", System.getProperty("user.home"), "KUBE_ORACLE_PARENT", String.valueOf(ProcessHandle.current().pid())),
                1800);
        if (r.exitCode() != 0) {
            throw new AssertionError("bin/kube-oracle start failed:\n" + r.output());
        }
        startMillis = (System.nanoTime() - t0) / 1_000_000;
        List<String> lines = r.stdout().strip().lines().toList();
        envFile = Path.of(lines.get(lines.size() - 1));
        try (InputStream in = Files.newInputStream(envFile)) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    }

    /** The oracle of this JVM, started on first call. */
    public static synchronized KubeOracle get() {
        if (shared == null) {
            Path dir = Path.of("target", "kube-oracle-it-" + ProcessHandle.current().pid()).toAbsolutePath();
            shared = new KubeOracle(dir);
            System.err.println("KubeOracle: control plane started in " + shared.startMillis + " ms (" + dir + ")");
        }
        return shared;
    }

    void stop() {
        Exec.run(List.of("bin/kube-oracle", "stop", dir.toString()), Map.of("HOME", System.getProperty("user.home")), 60);
    }

    public KubeApi tenant() {
        return KubeApi.oracle(envFile, KubeApi.Identity.TENANT);
    }

    public KubeApi admin() {
        return KubeApi.oracle(envFile, KubeApi.Identity.ADMIN);
    }

    public Path ca() {
        return Path.of(env.getProperty("KUBE_ORACLE_CA"));
    }

    public String tenantNamespace() {
        return env.getProperty("KUBE_ORACLE_TENANT_NAMESPACE");
    }

    /** What Argo CD syncs of an environment: its folder without ops/ (one-off jobs, dry-run applied by the tests). */
    public static List<Manifest> synced(String environment) {
        return ManifestReader.read(Path.of("dist", environment)).stream().filter(m -> !m.file().startsWith("ops/")).toList();
    }

    /** dist/deti applied as the tenant (once per JVM). */
    public synchronized ServerCheck.Report detiApplied() {
        if (detiReport == null) {
            detiReport = ServerCheck.apply(tenant(), synced("deti"), tenantNamespace(), false,
                    Duration.ofSeconds(60));
            System.err.printf("KubeOracle: dist/deti applied as the tenant in %d ms, pods created in %d ms%n",
                    detiReport.applyMillis(), detiReport.settleMillis());
        }
        return detiReport;
    }

    /** dist/local applied as cluster admin (once per JVM). */
    public synchronized ServerCheck.Report localApplied() {
        if (localReport == null) {
            localReport = ServerCheck.apply(admin(), synced("local"), "default", false,
                    Duration.ofSeconds(60));
            System.err.printf("KubeOracle: dist/local applied as admin in %d ms, pods created in %d ms%n",
                    localReport.applyMillis(), localReport.settleMillis());
        }
        return localReport;
    }

    /** A token for {@code serviceAccount} from the TokenRequest API, as the kubelet would mount it. */
    public String serviceAccountToken(String namespace, String serviceAccount) {
        KubeApi.Response r = admin().request("POST", "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + serviceAccount + "/token",
                "application/json", KubeApi.json(Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenRequest",
                        "spec", Map.of("expirationSeconds", 3600))));
        if (!r.ok()) {
            throw new AssertionError("TokenRequest for " + namespace + "/" + serviceAccount + " failed: " + r.status() + " " + r.message());
        }
        return (String) Manifest.map(r.json().get("status")).get("token");
    }

    /** Runs {@code command} with the oracle's kubectl as {@code kubeconfig}'s user; returns its output. */
    Exec.Result kubectl(String kubeconfigKey, List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of(env.getProperty("KUBE_ORACLE_KUBECTL"),
                "--kubeconfig", env.getProperty(kubeconfigKey)));
        command.addAll(args);
        return Exec.run(command, Map.of("HOME", System.getProperty("user.home")), 120);
    }

}
