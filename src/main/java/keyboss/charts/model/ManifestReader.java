package keyboss.charts.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads every Kubernetes object of every manifest file under a folder, and says what it could not
 * read and why: nothing is skipped without a word.
 *
 * <ul>
 *   <li>Files ending in {@code .yaml}, {@code .yml} or {@code .json} (any case) are read, YAML
 *       streams and JSON alike; other files are listed as ignored.</li>
 *   <li>A file over {@value #MAX_FILE_MB} MiB, or past {@value #MAX_TOTAL_MB} MiB in all, is not
 *       read (the API server takes objects of at most 1.5 MiB).</li>
 *   <li>A symbolic link whose target is outside the folder is refused before anything is opened;
 *       one inside is read where it points to (a linked folder is read at its target).</li>
 *   <li>Each document must be a map with a string {@code apiVersion} and {@code kind}; a
 *       {@code kustomize.config.k8s.io} Kustomization is recognised by them, whatever the file is
 *       called, and its resources must exist inside the folder.</li>
 * </ul>
 */
public final class ManifestReader {

    static final int MAX_FILE_MB = 16;
    static final int MAX_TOTAL_MB = 64;
    static final long MAX_FILE_BYTES = MAX_FILE_MB * 1024L * 1024;
    static final long MAX_TOTAL_BYTES = MAX_TOTAL_MB * 1024L * 1024;
    /** A kind as kubectl and the API server name them: CamelCase letters and digits. */
    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
    /** The longest name of any kind (a DNS subdomain). */
    private static final int MAX_NAME = 253;
    private static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "json");
    private static final String KUSTOMIZE_GROUP = "kustomize.config.k8s.io/";
    private static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final List<String> KUSTOMIZATION_PATHS = List.of("resources", "bases", "components");

    /** A file that could not be read, or read only in part: where, why and what to do. */
    public record Unreadable(String where, String reason, String fix) {
        @Override
        public String toString() {
            return "[" + where + "] not read: " + reason + ". Fix: " + fix;
        }
    }

    /**
     * What a folder holds: the objects to check, the problems found while reading (documents that
     * are no Kubernetes object, duplicate keys, a kustomization's missing resources), the files
     * not read, how many files were read, how many kustomizations, and the files ignored.
     */
    public record Result(List<Manifest> manifests, List<Problem> problems, List<Unreadable> unreadable,
            int filesRead, int kustomizations, List<String> ignored) {
    }

    private ManifestReader() {
    }

    /**
     * The objects under {@code folder}, each tagged with its file's path relative to the folder;
     * fails when any file could not be read or holds a problem (for input known to be clean, such
     * as {@code dist/}).
     */
    public static List<Manifest> read(Path folder) {
        Result result = scan(folder);
        if (!result.unreadable().isEmpty() || !result.problems().isEmpty()) {
            List<String> all = new ArrayList<>(result.unreadable().stream().map(Unreadable::toString).toList());
            result.problems().forEach(p -> all.add("[" + p.path() + "] " + p.property() + " = " + Excerpt.of(p.value()) + ": " + p.allowed()));
            throw new IllegalStateException("cannot read the manifests under " + folder + ": " + all);
        }
        return result.manifests();
    }

    /** Everything under {@code folder}: see the class comment for what is read and what is refused. */
    public static Result scan(Path folder) {
        return new Scan(folder).run();
    }

    /** One file's {@code bytes}, as if it were {@code name} under {@code folder} (for tests and fuzzing). */
    public static Result scan(Path folder, String name, byte[] bytes) {
        Scan scan = new Scan(folder);
        scan.root = folder.toAbsolutePath().normalize();
        scan.read(new Scan.Candidate(name, scan.root.resolve(name), bytes.length), bytes);
        return scan.result();
    }

    /** One scan of one folder. */
    private static final class Scan {
        private final Path folder;
        private final List<Manifest> manifests = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();
        private final List<Unreadable> unreadable = new ArrayList<>();
        private final List<String> ignored = new ArrayList<>();
        private final List<Candidate> candidates = new ArrayList<>();
        private Path root;
        private int filesRead;
        private int kustomizations;
        private long valuesLeft = ManifestParser.MAX_VALUES;

        /** A manifest file to read: its name relative to the folder and where its bytes are. */
        private record Candidate(String name, Path file, long size) {
        }

        Scan(Path folder) {
            this.folder = folder;
        }

        Result run() {
            try {
                root = folder.toRealPath();
                Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        visit(file, attrs);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        unreadable.add(new Unreadable(name(file), "cannot be opened (" + reason(e) + ")",
                                "make it readable, or move it out of the folder"));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        if (e != null) {
                            unreadable.add(new Unreadable(name(dir), "the folder cannot be listed (" + reason(e) + ")",
                                    "make it readable, or move it out of the folder"));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the folder " + folder + ": " + reason(e), e);
            }
            candidates.sort(Comparator.comparing(Candidate::name));
            ignored.sort(null);
            long total = 0;
            for (Candidate c : candidates) {
                if (c.size() > MAX_FILE_BYTES) {
                    unreadable.add(new Unreadable(c.name(), String.format(Locale.ROOT, "%.1f MiB; files over %d MiB are not read",
                            c.size() / 1048576.0, MAX_FILE_MB), "split it: the API server takes objects of at most 1.5 MiB"));
                    continue;
                }
                if (valuesLeft <= 0) {
                    unreadable.add(new Unreadable(c.name(), "the files before it already hold " + ManifestParser.MAX_VALUES
                            + " values, as many as are read in all", "validate the folder in parts"));
                    continue;
                }
                if (total + c.size() > MAX_TOTAL_BYTES) {
                    unreadable.add(new Unreadable(c.name(), "the files before it already hold " + total / 1048576
                            + " MiB; at most " + MAX_TOTAL_MB + " MiB are read in all", "validate the folder in parts"));
                    continue;
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(c.file(), LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
                } catch (IOException e) {
                    unreadable.add(new Unreadable(c.name(), "cannot be read (" + reason(e) + ")", "make it readable, or move it out of the folder"));
                    continue;
                }
                if (bytes.length > MAX_FILE_BYTES) {
                    unreadable.add(new Unreadable(c.name(), "grew past " + MAX_FILE_MB + " MiB while it was read", "validate it when it is complete"));
                    continue;
                }
                total += bytes.length;
                filesRead++;
                read(c, bytes);
            }
            return result();
        }

        Result result() {
            return new Result(manifests, problems, unreadable, filesRead, kustomizations, ignored);
        }

        private void visit(Path file, BasicFileAttributes attrs) {
            String name = name(file);
            boolean manifest = isManifestFile(name);
            if (attrs.isSymbolicLink()) {
                followLink(file, name, manifest);
            } else if (!manifest) {
                ignored.add(name);
            } else if (attrs.isRegularFile()) {
                candidates.add(new Candidate(name, file, attrs.size()));
            } else {
                unreadable.add(new Unreadable(name, "not a regular file (a pipe, socket or device)", "replace it with a file"));
            }
        }

        /** A link is resolved, and refused if it leaves the folder, before anything is opened. */
        private void followLink(Path link, String name, boolean manifest) {
            Path target;
            BasicFileAttributes attrs;
            try {
                target = link.toRealPath();
                attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                if (manifest) {
                    unreadable.add(new Unreadable(name, "a symbolic link to nothing (" + reason(e) + ")", "fix or remove the link"));
                } else {
                    ignored.add(name);
                }
                return;
            }
            if (!target.startsWith(root)) {
                unreadable.add(new Unreadable(name, "a symbolic link to a path outside the folder; links are followed only"
                        + " inside it", "copy what it points to into the folder, or validate that folder"));
            } else if (attrs.isDirectory()) {
                ignored.add(name + " (a link to the folder " + name(target) + ", read there)");
            } else if (!manifest) {
                ignored.add(name);
            } else if (attrs.isRegularFile()) {
                candidates.add(new Candidate(name, target, attrs.size()));
            } else {
                unreadable.add(new Unreadable(name, "a link to something that is not a regular file", "replace it with a file"));
            }
        }

        private void read(Candidate c, byte[] bytes) {
            ManifestParser.Parsed parsed = ManifestParser.parse(bytes, c.name().toLowerCase(Locale.ROOT).endsWith(".json"), valuesLeft);
            valuesLeft -= parsed.values();
            for (ManifestParser.Finding f : parsed.findings()) {
                problems.add(new Problem(c.name() + " document " + f.document(), f.path(), f.value(),
                        f.rule(), f.fix()));
            }
            for (ManifestParser.Document d : parsed.documents()) {
                object(c, c.name() + " document " + d.index(), d.value());
            }
            if (parsed.error() != null) {
                String part = parsed.documents().isEmpty() ? "" : " (the " + parsed.documents().size()
                        + " documents before it were read)";
                unreadable.add(new Unreadable(c.name(), parsed.error() + part, "fix the file; YAML and JSON linters show the"
                        + " same spot"));
            }
        }

        /** One document (or one item of a v1 List): a Kubernetes object, a kustomization, or a problem. */
        private void object(Candidate c, String where, Object value) {
            if (!(value instanceof Map<?, ?> raw)) {
                problems.add(new Problem(where, "document", value, "a Kubernetes object: a map with apiVersion, kind"
                        + " and metadata", "make the document a map, or remove it"));
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) raw;
            boolean identified = identity(where, "apiVersion", map.get("apiVersion"), Manifest.API_VERSION,
                    "GROUP/VERSION or VERSION, such as apps/v1 or v1")
                    & identity(where, "kind", map.get("kind"), KIND, "a name of letters and digits, such as Deployment");
            if (!identified) {
                return;
            }
            String apiVersion = (String) map.get("apiVersion");
            String kind = (String) map.get("kind");
            if (apiVersion.startsWith(KUSTOMIZE_GROUP) && ("Kustomization".equals(kind) || "Component".equals(kind))) {
                kustomizations++;
                kustomization(c, where, map);
                return;
            }
            if ("v1".equals(apiVersion) && "List".equals(kind)) {
                if (!(map.get("items") instanceof List<?> items)) {
                    problems.add(new Problem(where + " List", "items", map.get("items"), "a list of objects",
                            "list the objects under items"));
                    return;
                }
                for (int i = 0; i < items.size(); i++) {
                    object(c, where + " item " + (i + 1), items.get(i));
                }
                return;
            }
            Object metadata = map.get("metadata");
            if (!(metadata instanceof Map<?, ?> meta)) {
                problems.add(new Problem(where + " " + kind, "metadata", metadata, "a map with the object's name",
                        "add metadata: {name: ...}"));
                return;
            }
            Object name = meta.get("name");
            boolean named = name instanceof String s && !s.isEmpty()
                    || name == null && meta.get("generateName") instanceof String g && !g.isEmpty();
            if (!named) {
                problems.add(new Problem(where + " " + kind, "metadata.name", name, "a non-empty string (or"
                        + " metadata.generateName)", "name the object"));
                return;
            }
            if (name instanceof String s && s.length() > MAX_NAME) {
                problems.add(new Problem(where + " " + kind, "metadata.name", name, "at most " + MAX_NAME
                        + " characters, the longest name the API server takes", "shorten the name"));
                return;
            }
            if (meta.get("namespace") != null && !(meta.get("namespace") instanceof String)) {
                problems.add(new Problem(where + " " + kind, "metadata.namespace", meta.get("namespace"),
                        "a string", "write the namespace's name"));
                return;
            }
            manifests.add(new Manifest(c.name(), map));
        }

        private boolean identity(String where, String field, Object value, Pattern pattern, String allowed) {
            if (value instanceof String s && pattern.matcher(s).matches()) {
                return true;
            }
            problems.add(new Problem(where, field, value, (value == null ? "required: " : "")
                    + allowed + "; without it no tool knows what the document is",
                    value == null ? "add " + field + " (a kustomization needs apiVersion: kustomize.config.k8s.io/v1beta1 and"
                            + " kind: Kustomization)" : "correct " + field));
            return false;
        }

        /** Each local resource of a kustomization exists inside the folder; remote ones cannot be checked. */
        private void kustomization(Candidate c, String where, Map<String, Object> map) {
            Path base = c.file().getParent();
            for (String field : KUSTOMIZATION_PATHS) {
                Object value = map.get(field);
                if (value == null) {
                    continue;
                }
                if (!(value instanceof List<?> entries)) {
                    problems.add(new Problem(where + " Kustomization", field, value, "a list of paths", "list the files"));
                    continue;
                }
                for (int i = 0; i < entries.size(); i++) {
                    String problem = resourceProblem(base, entries.get(i));
                    if (problem != null) {
                        problems.add(new Problem(where + " Kustomization", field + "[" + i + "]", entries.get(i),
                                problem, "list a file or folder of this folder, relative to the kustomization"));
                    }
                }
            }
        }

        private String resourceProblem(Path base, Object entry) {
            if (!(entry instanceof String path) || path.isBlank()) {
                return "a path to a file or folder";
            }
            if (path.contains("://") || path.startsWith("github.com/") || path.startsWith("git@") || path.contains("?ref=")) {
                return "a remote resource, which bin/validate does not fetch: nothing of it would be checked";
            }
            Path resolved;
            try {
                resolved = base.resolve(path).normalize();
            } catch (InvalidPathException e) {
                return "not a valid path";
            }
            if (!resolved.startsWith(root)) {
                return "a path outside the folder being validated";
            }
            try {
                Path real = resolved.toRealPath();
                if (!real.startsWith(root)) {
                    return "a link to a path outside the folder being validated";
                }
                if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)
                        && KUSTOMIZATION_FILES.stream().noneMatch(k -> Files.exists(real.resolve(k), LinkOption.NOFOLLOW_LINKS))) {
                    return "a folder without a kustomization.yaml, which kustomize refuses";
                }
                return null;
            } catch (NoSuchFileException e) {
                return "no such file or folder";
            } catch (IOException e) {
                return "cannot be checked (" + reason(e) + ")";
            }
        }

        private String name(Path file) {
            String name = root.relativize(file).toString().replace('\\', '/');
            return name.isEmpty() ? "." : name;
        }
    }

    static boolean isManifestFile(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** An I/O error in words, without a stack trace or the file's content. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return Excerpt.cut(fs.getReason(), 120);
        }
        return Excerpt.cut(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 120);
    }
}
