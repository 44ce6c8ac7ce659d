package keyboss.charts;

import keyboss.charts.cli.OutputFolder;
import keyboss.charts.cli.Synthesizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a synth may replace or remove in its output folder, on real files (no synth needed). */
class OutputFolderTest {

    private static final Set<String> LIVE = Set.of("local", "deti");

    @TempDir
    Path tmp;

    /** Every file and folder under {@code root} (symlinks not followed), with each file's text. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                String rel = root.relativize(p).toString();
                tree.put(rel, Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
            }
        }
        return tree;
    }

    private static Map<String, String> files(String... pathThenText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathThenText.length; i += 2) {
            files.put(pathThenText[i], pathThenText[i + 1]);
        }
        return files;
    }

    private static void write(Path dir, Map<String, String> files, Set<String> envs) {
        OutputFolder.open(dir).replace(files, envs, LIVE);
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> list = Files.list(tmp)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewFolderGetsTheFilesAndTheListOfThem() throws IOException {
        Path dist = tmp.resolve("a/dist");
        write(dist, files("local/x.k8s.yaml", "x", "local/ops/y.k8s.yaml", "y"), Set.of("local"));
        assertEquals("x", Files.readString(dist.resolve("local/x.k8s.yaml")));
        assertEquals(List.of("local/ops/y.k8s.yaml", "local/x.k8s.yaml"), Files.readAllLines(
                dist.resolve(OutputFolder.OWNED_FILES)).stream().filter(l -> !l.startsWith("#")).toList());
        assertEquals(List.of("a"), siblings(), "nothing left beside it");
    }

    @Test
    void foreignContentIsRefusedNamedAndLeftUntouched() throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("local/bin"));
        Files.writeString(home.resolve("local/bin/tool"), "#!/bin/sh\n");
        Files.writeString(home.resolve("notes.txt"), "mine");
        Map<String, String> before = tree(home);
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(home));
        assertTrue(e.getMessage().contains("did not write: local/, notes.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
        assertEquals(before, tree(home));
    }

    @Test
    void aForeignFileBesideOwnedOnesIsRefused() throws IOException {
        Path dist = tmp.resolve("dist");
        write(dist, files("local/x.k8s.yaml", "x"), Set.of("local"));
        Files.writeString(dist.resolve("local/hand-made.yaml"), "kind: ConfigMap");
        Files.createSymbolicLink(dist.resolve("deti"), tmp);
        Map<String, String> before = tree(dist);
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(dist));
        assertTrue(e.getMessage().contains("did not write: deti, local/hand-made.yaml"), e.getMessage());
        assertEquals(before, tree(dist));
    }

    @Test
    void anOutdirThatIsAFileOrTheRootIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("dist"), "not a folder");
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(file));
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
        assertEquals("not a folder", Files.readString(file));
        assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(Path.of("/")));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
        assertTrue(assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(dangling)).getMessage()
                .contains("is a symlink to nothing"));
    }

    @Test
    void ownedFilesOfOtherLiveEnvironmentsAreKeptAndOfGoneOnesRemoved() throws IOException {
        Path dist = tmp.resolve("dist");
        write(dist, files("local/x.k8s.yaml", "x1", "local/ops/gone.k8s.yaml", "g1", "deti/x.k8s.yaml", "d1",
                "staging/x.k8s.yaml", "s1"), Set.of("local", "deti", "staging"));
        write(dist, files("local/x.k8s.yaml", "x2", "local/new.k8s.yaml", "n2"), Set.of("local"));
        assertEquals(Map.of(".keyboss-charts-files", tree(dist).get(".keyboss-charts-files"),
                        "", "<dir>", "local", "<dir>", "deti", "<dir>",
                        "local/x.k8s.yaml", "x2", "local/new.k8s.yaml", "n2", "deti/x.k8s.yaml", "d1"),
                tree(dist), "staging/ no longer exists as an environment; deti/ was not synthesized; local/ops/"
                        + "gone.k8s.yaml is no longer synthesized");
        assertEquals(List.of("deti/x.k8s.yaml", "local/new.k8s.yaml", "local/x.k8s.yaml"),
                Files.readAllLines(dist.resolve(OutputFolder.OWNED_FILES)).stream().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void aFailureMidWriteLeavesThePreviousContentsAndNoTemporaryFolder() throws IOException {
        Path dist = tmp.resolve("dist");
        write(dist, files("local/x.k8s.yaml", "old", "deti/x.k8s.yaml", "old"), Set.of("local", "deti"));
        Map<String, String> before = tree(dist);
        // The third file needs local/x.k8s.yaml to be a folder, after two files were written: the
        // file system refuses, as a full disk would.
        Map<String, String> broken = files("local/x.k8s.yaml", "new", "local/y.k8s.yaml", "new",
                "local/x.k8s.yaml/z.k8s.yaml", "new", "deti/x.k8s.yaml", "new");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> write(dist, broken, Set.of("local", "deti")));
        assertTrue(e.getMessage().contains("its previous contents are unchanged"), e.getMessage());
        assertEquals(before, tree(dist));
        assertEquals(List.of("dist"), siblings(), "the unfinished output is removed");
    }

    @Test
    void aHandEditedListNeverReachesOutsideTheFolder() throws IOException {
        Path dist = tmp.resolve("out/dist");
        write(dist, files("local/x.k8s.yaml", "x"), Set.of("local"));
        Path outside = Files.writeString(tmp.resolve("out/precious"), "keep");
        Files.writeString(dist.resolve(OutputFolder.OWNED_FILES), "local/x.k8s.yaml\n../precious\n/etc/passwd\n"
                + "local/../../precious\n", java.nio.file.StandardOpenOption.APPEND);
        write(dist, files("deti/x.k8s.yaml", "d"), Set.of("deti"));
        assertEquals("keep", Files.readString(outside));
        assertEquals("x", Files.readString(dist.resolve("local/x.k8s.yaml")), "local/ is kept");
    }

    @Test
    void theFolderKeepsItsPermissions() throws IOException {
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        Files.setPosixFilePermissions(dist, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        write(dist, files("local/x.k8s.yaml", "x"), Set.of("local"));
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dist)));
    }

    @Test
    void filesStampedWithTheSynthHeaderAreSynthsWithoutAList() throws IOException {
        // A dist/ from before the list existed: every file begins with the header synth writes.
        Path dist = tmp.resolve("dist");
        Files.createDirectories(dist.resolve("local/ops"));
        Files.writeString(dist.resolve("local/ops/old.k8s.yaml"), Synthesizer.HEADER + "kind: Job\n");
        Files.createDirectories(dist.resolve("deti"));
        Files.writeString(dist.resolve("deti/x.k8s.yaml"), Synthesizer.HEADER + "kind: ConfigMap\n");
        Files.writeString(dist.resolve("local/edited.yaml"), "# Generated by someone else\n");
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(dist));
        assertTrue(e.getMessage().contains("did not write: local/edited.yaml."), e.getMessage());
        Files.delete(dist.resolve("local/edited.yaml"));
        write(dist, files("local/x.k8s.yaml", "x"), Set.of("local"));
        assertTrue(Files.notExists(dist.resolve("local/ops")), "the stamped file of the synthesized environment is replaced");
        assertEquals(Synthesizer.HEADER + "kind: ConfigMap\n", Files.readString(dist.resolve("deti/x.k8s.yaml")));
        assertTrue(Files.readString(dist.resolve(OutputFolder.OWNED_FILES)).contains("deti/x.k8s.yaml\n"),
                "from now on it is listed");
    }

    @Test
    void anEmptyFolderSynthDidNotMakeIsForeign() throws IOException {
        Path dist = tmp.resolve("dist");
        write(dist, files("local/x.k8s.yaml", "x"), Set.of("local"));
        Files.createDirectories(dist.resolve("local/bin"));
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class, () -> OutputFolder.open(dist));
        assertTrue(e.getMessage().contains("did not write: local/bin/."), e.getMessage());
    }
}
