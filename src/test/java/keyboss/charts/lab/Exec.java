package keyboss.charts.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real tool and captures what it printed. */
public final class Exec {

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    private Exec() {
    }

    /** Runs {@code command} with exactly {@code env} (plus PATH), failing the test after {@code seconds}. */
    public static Result run(List<String> command, Map<String, String> env, int seconds) {
        return run(command, env, Path.of(""), seconds);
    }

    /** {@link #run(List, Map, int)} in the folder {@code dir}. */
    public static Result run(List<String> command, Map<String, String> env, Path dir, int seconds) {
        try {
            // java.io.tmpdir as the pom sets it (target/tmp): Files.createTempFile alone would use
            // the folder the JVM started with.
            Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            Path out = Files.createTempFile(tmp, "exec", ".out");
            Path err = Files.createTempFile(tmp, "exec", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .directory(dir.toAbsolutePath().toFile());
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The path of {@code tool} on PATH. Fails (never skips) when it is missing: the README's test
     * command installs every tool the suite needs.
     */
    public static String require(String tool, String install) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new AssertionError(tool + " is not on PATH; install it with `" + install
                + "` (bin/test does this)");
    }
}
