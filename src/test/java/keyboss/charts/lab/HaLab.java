package keyboss.charts.lab;

import keyboss.charts.Fixtures;
import keyboss.charts.model.Manifest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A laboratory of real processes on loopback addresses for the HA tests: it runs the pod
 * scripts exactly as the synthesized ConfigMaps carry them, under busybox sh, with the
 * environment variables the synthesized manifests give them (host names replaced by loopback
 * addresses). Servers run as the {@code postgres} user when the tests run as root, as
 * PostgreSQL refuses to run as root. Everything started is stopped by {@link #close()}.
 */
public final class HaLab implements AutoCloseable {

    public static final String PASSWORD = "app-pw";
    static final String REPLICATION_PASSWORD = "repl-pw";

    final Path root;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> mounts = new HashMap<>();

    HaLab(String name) {
        try {
            // Named explicitly: java.nio caches the temporary folder at first use, which under failsafe
            // can come before the pom's java.io.tmpdir (target/tmp) is set.
            Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            root = Files.createTempDirectory(tmp, "keyboss-ha-" + name);
            giveToPostgres(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.require("busybox", "apt-get install -y busybox");
        if (!isCharacterDevice("/dev/null")) {
            throw new AssertionError("/dev/null is not a character device (something replaced it with a file);"
                    + " PostgreSQL cannot start. Restore it: rm /dev/null && mknod -m 666 /dev/null c 1 3");
        }
    }

    private static boolean isCharacterDevice(String path) {
        try {
            return !Files.isRegularFile(Path.of(path)) && Files.exists(Path.of(path));
        } catch (SecurityException e) {
            return false;
        }
    }

    /** A TCP port nothing listens on now. */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Makes {@code dir} the postgres user's, when the lab runs as root. */
    public static void giveToPostgres(Path dir) throws IOException {
        if (runningAsRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal postgres = users.lookupPrincipalByName("postgres");
            GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            view.setOwner(postgres);
            view.setGroup(group);
        }
    }

    /** The PostgreSQL server binaries (initdb, pg_ctl, postgres) of the installed major version. */
    public static String pgBin() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions == null || versions.length == 0) {
            throw new AssertionError("PostgreSQL is not installed; install it with `apt-get install -y postgresql-15`"
                    + " (bin/test does this)");
        }
        return Stream.of(versions).map(File::getName).max(Comparator.comparingInt(Integer::parseInt))
                .map(v -> "/usr/lib/postgresql/" + v + "/bin").orElseThrow();
    }

    /** The folder holding the files of ConfigMap {@code configMap} of the local chart, as a pod mounts it. */
    public Path mount(String configMap) {
        return mounts.computeIfAbsent(configMap, name -> {
            try {
                Manifest cm = Fixtures.find(Fixtures.builtIn("local"), "ConfigMap", name);
                Path dir = root.resolve("mounts").resolve(name);
                Files.createDirectories(dir);
                giveToPostgres(dir.getParent());
                giveToPostgres(dir);
                for (Map.Entry<String, Object> e : Manifest.map(cm.object().get("data")).entrySet()) {
                    Path file = dir.resolve(e.getKey());
                    Files.writeString(file, (String) e.getValue());
                    file.toFile().setExecutable(true, false);
                    file.toFile().setReadable(true, false);
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The environment a manifest gives {@code container}: literal values as written, every
     * other variable (secrets, downward API, expansions) from {@code values}, which also
     * override literals (host names become loopback addresses).
     */
    public static Map<String, String> envOf(Map<String, Object> container, Map<String, String> values) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : Manifest.list(container.get("env"))) {
            Map<String, Object> var = Manifest.map(e);
            String name = (String) var.get("name");
            if (values.containsKey(name)) {
                env.put(name, values.get(name));
            } else if (var.get("value") != null && !var.get("value").toString().contains("$(")) {
                env.put(name, var.get("value").toString());
            } else if (!"POD_NAME".equals(name) && !"NAMESPACE".equals(name)) {
                throw new AssertionError("the test gives no value for " + name + ", which the manifest sets by reference");
            }
        }
        env.putAll(values);
        return env;
    }

    private List<String> command(boolean asPostgres, List<String> command) {
        List<String> all = new ArrayList<>();
        if (asPostgres && runningAsRoot()) {
            all.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        all.addAll(command);
        return all;
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", pgBin() + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs a command to completion, failing the test after {@code seconds}. */
    public Exec.Result run(boolean asPostgres, List<String> command, Map<String, String> env, int seconds) {
        try {
            Path out = Files.createTempFile(root, "out", ".log");
            Path err = Files.createTempFile(root, "err", ".log");
            Process p = builder(command(asPostgres, command), env).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + seconds + " s; output: "
                        + Files.readString(out) + Files.readString(err));
            }
            return new Exec.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code script} (a file of a mounted ConfigMap) under busybox sh and requires success. */
    Exec.Result script(boolean asPostgres, Path script, Map<String, String> env, int seconds) {
        Exec.Result r = run(asPostgres, List.of("busybox", "sh", script.toString()), env, seconds);
        if (r.exitCode() != 0) {
            throw new AssertionError(script.getFileName() + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r;
    }

    /** Starts a long-running process, its output appended to {@code log}. */
    public Process start(boolean asPostgres, List<String> command, Map<String, String> env, Path log) {
        try {
            Process p = builder(command(asPostgres, command), env)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            synchronized (processes) {
                processes.add(p);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code signal} (KILL, STOP, CONT) to a process and all it started. */
    /** Kills {@code p} and everything it started, and waits until it is gone. */
    public static void kill(Process p) {
        signal(p, "KILL");
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void signal(Process p, String signal) {
        List<String> pids = new ArrayList<>();
        p.descendants().forEach(h -> pids.add(Long.toString(h.pid())));
        pids.add(Long.toString(p.pid()));
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        try {
            new ProcessBuilder(command).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (processes) {
            for (Process p : processes) {
                if (p.isAlive()) {
                    signal(p, "CONT");
                    signal(p, "KILL");
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary folder is harmless.
        }
    }
}
