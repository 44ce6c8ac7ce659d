package keyboss.charts.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The folder a synth writes into (dist/ or --outdir), and the files in it the synth owns.
 *
 * <p>Every synth records the files it wrote in {@value #OWNED_FILES} at the folder's top, one
 * relative path a line, and only ever replaces or removes files listed there or stamped with its
 * header line. A folder holding anything else (another file, a folder, a symlink) is refused and
 * left untouched: an --outdir that names someone's home must never lose {@code local/bin}.
 *
 * <p>The new contents are written to a sibling temporary folder and swapped in by two renames
 * only once complete: a failed write (full disk, Ctrl-C, a crash) leaves the previous contents as
 * they were. Owned files of environments that are not synthesized this time but still exist are
 * carried over; those of environments that no longer exist are dropped (Argo CD would still sync
 * them).
 */
public final class OutputFolder {

    /** The list of owned files, itself owned; a dot file, so no manifest reader takes it for YAML. */
    public static final String OWNED_FILES = ".keyboss-charts-files";

    private static final String OWNED_HEADER = "# Files written by keyboss-charts synth; it replaces or removes only"
            + " these. Do not edit.\n";
    private static final int LISTED = 10;

    /** The folder cannot be written as asked: a usage problem, nothing was changed. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final Path target;
    private final Set<String> owned;

    private OutputFolder(Path target, Set<String> owned) {
        this.target = target;
        this.owned = owned;
    }

    /**
     * Checks {@code dir} before a synth: it must be a folder (or not exist yet) holding only
     * files an earlier synth recorded. Throws {@link Refused} naming what is in the way.
     */
    public static OutputFolder open(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        try {
            if (Files.isSymbolicLink(target) && !Files.exists(target)) {
                throw new Refused("--outdir " + dir + " is a symlink to nothing; name a new or empty folder,"
                        + " or one an earlier synth wrote");
            }
            if (Files.exists(target) && !Files.isDirectory(target)) {
                throw new Refused("--outdir " + dir + " is a file, not a folder; name a new or empty folder,"
                        + " or one an earlier synth wrote");
            }
            if (Files.isDirectory(target)) {
                target = target.toRealPath(); // a symlinked outdir is replaced where it really is
            }
            if (target.getParent() == null) {
                throw new Refused("--outdir " + dir + " is the file system's root; name a folder below it");
            }
            Set<String> owned = readOwned(target, dir); // and, below, the files synth stamped
            List<String> foreign = foreign(target, owned);
            if (!foreign.isEmpty()) {
                throw new Refused(dir + " holds files keyboss-charts did not write: "
                        + String.join(", ", foreign.subList(0, Math.min(LISTED, foreign.size())))
                        + (foreign.size() > LISTED ? " and more" : "")
                        + ". Nothing was changed: synth only replaces files listed in its " + OWNED_FILES
                        + " or stamped with its header; move those away, or name a new or empty --outdir");
            }
            warnAboutLeftovers(target);
            return new OutputFolder(target, owned);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A synth killed outright (kill -9, power cut) leaves its unfinished folder beside the
     * target. It is named, not deleted: nothing proves its writer is gone.
     */
    private static void warnAboutLeftovers(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".synth-";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(), prefix + "*")) {
            for (Path leftover : siblings) {
                System.err.println("keyboss-charts: " + leftover + " was left by an interrupted synth (or another"
                        + " synth is writing it); delete it when no synth runs");
            }
        } catch (java.nio.file.NoSuchFileException noParentYet) {
            // nothing can be left beside a folder that does not exist
        }
    }

    /** The owned files recorded in {@code target}, none when it has no list yet. */
    private static Set<String> readOwned(Path target, Path shown) throws IOException {
        Set<String> owned = new TreeSet<>();
        Path list = target.resolve(OWNED_FILES);
        if (!Files.exists(list, LinkOption.NOFOLLOW_LINKS)) {
            return owned;
        }
        if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(shown + "/" + OWNED_FILES + " is not a plain file; keyboss-charts did not write it."
                    + " Nothing was changed; move it away, or name a new or empty --outdir");
        }
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            // Only plain relative paths: a hand-edited "../x" must never reach a delete or a copy.
            if (!line.startsWith("#") && isPlainRelative(line)) {
                owned.add(line);
            }
        }
        return owned;
    }

    private static boolean isPlainRelative(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Everything under {@code target} that is not synth's, sorted; a folder holding nothing of
     * synth's is named once, with a trailing slash. Files that begin with the line synth stamps
     * on everything it writes ({@link Synthesizer#HEADER}) are synth's too, and join
     * {@code owned}: a dist/ from before the list existed, or merged from another branch, is
     * recognised. Symlinks are never followed, and the walk stops after {@value #MAX_ENTRIES}
     * entries: no synth writes that many, so an --outdir naming a home folder fails fast.
     */
    private static List<String> foreign(Path target, Set<String> owned) throws IOException {
        List<String> foreign = new ArrayList<>();
        if (Files.isDirectory(target)) {
            scan(target, "", owned, foreign, new int[] {MAX_ENTRIES});
        }
        return foreign;
    }

    private static final int MAX_ENTRIES = 10_000;

    /** Scans {@code dir}; returns whether it holds a file of synth's. */
    private static boolean scan(Path dir, String prefix, Set<String> owned, List<String> foreign, int[] budget)
            throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                if (--budget[0] < 0) {
                    throw new Refused(dir + " holds more than " + MAX_ENTRIES + " files and folders; a synth never"
                            + " wrote that. Nothing was changed; name a new or empty --outdir");
                }
                entries.add(entry);
            }
        }
        entries.sort(Comparator.comparing(Path::toString));
        boolean holdsOwned = false;
        for (Path entry : entries) {
            String rel = prefix + entry.getFileName();
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                int mark = foreign.size();
                if (scan(entry, rel + "/", owned, foreign, budget)) {
                    holdsOwned = true;
                } else {
                    foreign.subList(mark, foreign.size()).clear();
                    foreign.add(rel + "/");
                }
            } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                    && (owned.contains(rel) || rel.equals(OWNED_FILES) || stamped(entry))) {
                if (!rel.equals(OWNED_FILES)) {
                    owned.add(rel);
                }
                holdsOwned = true;
            } else {
                foreign.add(rel);
            }
        }
        return holdsOwned;
    }

    /** Whether {@code file} begins with the line synth stamps on every file it writes. */
    private static boolean stamped(Path file) throws IOException {
        byte[] header = Synthesizer.HEADER.getBytes(StandardCharsets.UTF_8);
        try (java.io.InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Arrays.equals(in.readNBytes(header.length), header);
        }
    }

    /**
     * Replaces the owned files with {@code files} (paths relative to the folder, e.g.
     * {@code local/postgres.k8s.yaml}) for the environments in {@code written}, keeps owned
     * files of the other environments in {@code live}, and drops owned files of any other
     * top-level folder, whose names it returns. Throws {@link UncheckedIOException} when the new
     * contents cannot be written; the folder is then as it was.
     */
    public Set<String> replace(Map<String, String> files, Set<String> written, Set<String> live) {
        Set<String> dropped = new TreeSet<>();
        Cancel cancel = new Cancel();
        try {
            Runtime.getRuntime().addShutdownHook(cancel);
        } catch (IllegalStateException shuttingDown) {
            throw new UncheckedIOException(new IOException("stopped before writing " + target + "; it is unchanged"));
        }
        try {
            // Held from before the staging folder exists until it is swapped in or removed: the
            // hook of a Ctrl-C waits here, and the JVM exits only after it.
            synchronized (cancel.lock) {
                try {
                    if (cancel.requested) {
                        throw new IOException("stopped");
                    }
                    Files.createDirectories(target.getParent());
                    cancel.staging = siblingNamed("new");
                    Path staging = cancel.staging;
                    Set<String> listed = new TreeSet<>();
                    for (Map.Entry<String, String> file : files.entrySet()) {
                        Path path = staging.resolve(file.getKey());
                        Files.createDirectories(path.getParent());
                        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                        listed.add(file.getKey());
                    }
                    for (String file : owned) {
                        String top = file.contains("/") ? file.substring(0, file.indexOf('/')) : file;
                        if (written.contains(top)) {
                            continue;
                        }
                        if (!live.contains(top)) {
                            dropped.add(top);
                            continue;
                        }
                        Path old = target.resolve(file);
                        if (Files.isRegularFile(old, LinkOption.NOFOLLOW_LINKS)) {
                            Path copy = staging.resolve(file);
                            Files.createDirectories(copy.getParent());
                            Files.copy(old, copy);
                            listed.add(file);
                        }
                    }
                    Files.writeString(staging.resolve(OWNED_FILES), OWNED_HEADER + String.join("\n", listed) + "\n",
                            StandardCharsets.UTF_8);
                    if (cancel.requested) {
                        throw new IOException("stopped");
                    }
                    swapIn(staging);
                    cancel.staging = null;
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(cancel.staging);
                    cancel.staging = null;
                    if (e instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage()
                            + "; its previous contents are unchanged", (IOException) e);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancel);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs and finds nothing left to remove
            }
        }
        return dropped;
    }

    /** Puts {@code staging} where the target is; the previous contents go only once it is there. */
    private void swapIn(Path staging) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            Files.setPosixFilePermissions(staging, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException notPosix) {
            // keep the default permissions
        }
        Path previous = siblingNamed("old");
        Files.delete(previous); // reserved the name; the move needs it free
        Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        try {
            deleteOwned(previous);
        } catch (IOException | UncheckedIOException e) {
            // The new output is in place: a failure now only leaves the old one aside.
            System.err.println("keyboss-charts: wrote " + target + ", but could not remove its previous contents from "
                    + previous + ": " + e.getMessage());
        }
    }

    /** A new, empty folder beside the target, e.g. {@code .dist.synth-new-1234-9f2c}. */
    private Path siblingNamed(String role) throws IOException {
        SecureRandom random = new SecureRandom();
        for (;;) {
            String name = "." + target.getFileName() + ".synth-" + role + "-" + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(random.nextInt());
            try {
                return Files.createDirectory(target.resolveSibling(name));
            } catch (FileAlreadyExistsException taken) {
                // try another name
            }
        }
    }

    /**
     * Deletes the previous contents, moved aside: owned files and the folders that held them.
     * Whatever appeared there during the synth is left, and named.
     */
    private void deleteOwned(Path previous) throws IOException {
        for (String file : owned) {
            Path path = previous.resolve(file).normalize();
            if (path.startsWith(previous) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(path);
            }
        }
        Files.deleteIfExists(previous.resolve(OWNED_FILES));
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(previous)) {
            folders = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.reverseOrder()).toList();
        }
        for (Path folder : folders) {
            try (Stream<Path> left = Files.list(folder)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(folder);
                }
            }
        }
        if (Files.exists(previous)) {
            System.err.println("keyboss-charts: files appeared in " + target + " during the synth; they were kept in "
                    + previous);
        }
    }

    /** Deletes a staging folder: everything in it was written by this synth. */
    private static void deleteQuietly(Path staging) {
        if (staging == null || !Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("keyboss-charts: could not remove the unfinished output " + staging + ": " + e.getMessage());
        }
    }

    /**
     * Runs on Ctrl-C or SIGTERM: waits until the files being written are complete or abandoned,
     * and removes them unless they were already swapped in. The target is never half-replaced.
     */
    private static final class Cancel extends Thread {
        final Object lock = new Object();
        volatile Path staging;
        volatile boolean requested;

        @Override
        public void run() {
            requested = true;
            synchronized (lock) {
                deleteQuietly(staging);
            }
        }
    }
}
