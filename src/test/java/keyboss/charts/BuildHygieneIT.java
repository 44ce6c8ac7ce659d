package keyboss.charts;

import keyboss.charts.lab.Exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user's build and synth touch nothing they do not own: run on a copy of the checkout, they
 * leave {@code /dev/null} a character device and change no file outside that copy and the
 * package managers' caches.
 */
class BuildHygieneIT {

    private static final Path HOME = Path.of(System.getProperty("user.home"));
    /** The caches a build may fill: Maven's, npm's, the user cache folder and Go's. */
    private static final List<Path> CACHES = List.of(HOME.resolve(".m2"), HOME.resolve(".npm"),
            HOME.resolve(".cache"), HOME.resolve("go"));

    @Test
    void buildAndSynthWriteOnlyIntoTheCheckoutAndTheCaches() throws IOException {
        Path work = Path.of("target/hygiene").toAbsolutePath();
        deleteTree(work);
        Path copy = Files.createDirectories(work.resolve("checkout"));
        copyTrackedFiles(copy);
        Path marker = Files.createFile(work.resolve("marker"));

        Map<String, String> env = Map.of("HOME", HOME.toString(),
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        Exec.Result build = Exec.run(List.of("sh", "bin/build"), env, copy, 900);
        assertEquals(0, build.exitCode(), build.output());
        Exec.Result synth = Exec.run(List.of("sh", "bin/synth"), env, copy, 300);
        assertEquals(0, synth.exitCode(), synth.output());
        assertTrue(Files.isDirectory(copy.resolve("dist/deti")), "bin/synth wrote dist/ in the copy");

        assertTrue(isCharacterDevice(Path.of("/dev/null")), "/dev/null is still a character device");
        assertEquals(List.of(), changedOutside(marker, Path.of("").toAbsolutePath()),
                "files written outside the checkout and the caches");
    }

    /** Everything newer than {@code marker} outside {@code checkout}, the caches and the kernel's own file systems. */
    private static List<String> changedOutside(Path marker, Path checkout) {
        List<Path> skip = new ArrayList<>(List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/run"), checkout));
        skip.addAll(CACHES);
        // Every JVM keeps its performance counters here while it runs; the folder itself is the JVM's.
        skip.add(Path.of("/tmp/hsperfdata_" + System.getProperty("user.name")));
        // The Maven process running this very test buffers the test JVM's output here: it belongs
        // to the test runner, not to the build under test (which runs no tests).
        skip.add(Path.of("/tmp/surefire-" + System.getProperty("user.name")));
        List<String> command = new ArrayList<>(List.of("find", "/", "-xdev", "("));
        for (Path p : skip) {
            if (command.size() > 4) {
                command.add("-o");
            }
            command.addAll(List.of("-path", p.toString()));
        }
        command.addAll(List.of(")", "-prune", "-o", "-newer", marker.toString(), "-print"));
        Exec.Result r = Exec.run(command, Map.of(), 300);
        // Ancestors of the checkout and of the caches change when those are written: they are theirs.
        return Arrays.stream(r.stdout().split("\n")).filter(line -> !line.isBlank())
                .filter(line -> skip.stream().noneMatch(s -> s.startsWith(Path.of(line)))).toList();
    }

    private static boolean isCharacterDevice(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0020000;
    }

    private static void copyTrackedFiles(Path to) throws IOException {
        Exec.Result files = Exec.run(List.of("git", "ls-files", "--cached", "--others", "--exclude-standard"), Map.of(), 60);
        assertEquals(0, files.exitCode(), files.output());
        for (String name : files.stdout().split("\n")) {
            Path from = Path.of(name);
            if (name.isBlank() || !Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(from, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
