package keyboss.charts.cli;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Excerpt;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Rendering;
import keyboss.charts.model.SecretContract;
import keyboss.charts.model.SynthesisException;
import keyboss.charts.validation.Validator;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line: {@code synth [--outdir DIR] [--env NAME]...} writes {@code dist/}. The output
 * folder defaults to {@code $CDK8S_OUTDIR} (set by {@code cdk8s synth}) or {@code dist}.
 * Progress and problems go to standard error; the exit status is 1 when input has problems or
 * the output cannot be written, 2 on a usage error: an unknown option or environment, an
 * --outdir that is a file or holds files an earlier synth did not write (see
 * {@link OutputFolder}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length == 2 && "secrets".equals(args[0])) {
            return secrets(args[1]);
        }
        if (args.length > 0 && "validate".equals(args[0])) {
            return validate(args);
        }
        if (args.length == 0 || !"synth".equals(args[0])) {
            return usage(args.length == 0 ? "a command is required" : "unknown command '" + args[0] + "'");
        }
        String env = System.getenv("CDK8S_OUTDIR");
        Path outdir = Path.of(env == null || env.isBlank() ? "dist" : env);
        List<String> only = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--outdir" -> {
                    if (++i >= args.length) {
                        return usage("--outdir needs a folder");
                    }
                    outdir = Path.of(args[i]);
                }
                case "--env" -> {
                    if (++i >= args.length) {
                        return usage("--env needs an environment name");
                    }
                    only.add(args[i]);
                }
                default -> {
                    return usage("unknown option '" + args[i] + "'");
                }
            }
        }
        List<Environment> selected = new ArrayList<>();
        try {
            for (String name : only) {
                selected.add(Environment.builtIn(name));
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (selected.isEmpty()) {
            selected.addAll(Environment.builtIn());
        }
        // Checked before the synth too, so a wrong --outdir fails at once, not after seconds.
        try {
            OutputFolder.open(outdir);
        } catch (OutputFolder.Refused e) {
            return usage(e.getMessage());
        } catch (UncheckedIOException e) {
            System.err.println("keyboss-charts: " + e.getMessage());
            return 1;
        }

        long start = System.nanoTime();
        System.err.println("keyboss-charts: synthesizing " + String.join(", ",
                selected.stream().map(Environment::name).toList()) + " into " + outdir);
        List<Synthesizer.Output> outputs;
        try {
            outputs = Synthesizer.synthesize(selected);
        } catch (SynthesisException e) {
            System.err.println("keyboss-charts: " + e.getMessage());
            return 1;
        }
        Map<String, String> files = Synthesizer.render(outputs);
        try {
            for (String gone : Synthesizer.write(outdir, outputs, files)) {
                System.err.println("  removed " + outdir.resolve(gone) + ": no such environment any more");
            }
        } catch (OutputFolder.Refused e) {
            return usage(e.getMessage());
        } catch (UncheckedIOException e) {
            System.err.println("keyboss-charts: " + e.getMessage());
            return 1;
        }
        int objects = 0;
        for (Synthesizer.Output output : outputs) {
            String name = output.environment().name();
            long fileCount = files.keySet().stream().filter(f -> f.startsWith(name + "/")).count();
            System.err.printf("  %-8s %3d objects in %2d files (namespace %s)%n", name, output.manifests().size(),
                    fileCount, output.environment().namespace());
            objects += output.manifests().size();
        }
        System.err.printf("keyboss-charts: wrote %d objects in %d files in %.2f s%n", objects, files.size(),
                (System.nanoTime() - start) / 1e9);
        for (Synthesizer.Output output : outputs) {
            String warning = output.environment().objectStorage().warning(output.environment().name());
            if (warning != null) {
                System.err.println("keyboss-charts: WARNING " + warning);
            }
        }
        return 0;
    }

    /**
     * {@code secrets ENV}: the namespace and the Secret contract of a built-in environment, one
     * fact a line ({@code namespace N}, {@code secret NAME}, {@code generate true|false},
     * {@code key KEY GENERATOR ANY|URL_UNRESERVED [HOST,HOST...]}, {@code tls SECRET HOST} where the
     * Ingress serves TLS), for
     * {@code bin/create-secrets}. Names only: no value exists here.
     */
    private static int secrets(String envName) {
        Environment env;
        try {
            env = Environment.builtIn(envName);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        out.append("namespace ").append(env.namespace()).append('\n');
        out.append("secret ").append(KeybossChart.SECRETS.name()).append('\n');
        out.append("generate ").append(env.generateSecrets()).append('\n');
        for (SecretContract.Key key : KeybossChart.SECRETS.keys()) {
            out.append("key ").append(key.name()).append(' ').append(key.generator()).append(' ')
                    .append(key.characters());
            if (!key.hostNames().isEmpty()) {
                out.append(' ').append(String.join(",", key.hostNames()));
            }
            out.append('\n');
        }
        // The Ingress's kubernetes.io/tls Secret, for the public host: generated (self-signed) where
        // the environment generates values, otherwise the operator's certificate.
        env.tls().ifPresent(tls -> out.append("tls ").append(tls.secretName()).append(' ')
                .append(env.publicHost()).append('\n'));
        System.out.print(out);
        return 0;
    }

    /**
     * {@code validate --profile NAME [--json] [--secret NAME=KEY,KEY]... DIR}: checks every
     * manifest under DIR, written by this library or not, against a cluster profile. Secrets are
     * never in git, so a referenced Secret must be declared: KeyBoss's own contract always is.
     */
    private static int validate(String[] args) {
        String profileName = null;
        boolean json = false;
        Path dir = null;
        List<SecretContract> secrets = new ArrayList<>(List.of(KeybossChart.SECRETS));
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> {
                    if (++i >= args.length) {
                        return usage("--profile needs a name");
                    }
                    profileName = args[i];
                }
                case "--json" -> json = true;
                case "--secret" -> {
                    if (++i >= args.length || !args[i].contains("=")) {
                        return usage("--secret needs NAME=KEY,KEY");
                    }
                    String[] nameKeys = args[i].split("=", 2);
                    secrets.add(new SecretContract(nameKeys[0], java.util.Arrays.stream(nameKeys[1].split(","))
                            .map(k -> new SecretContract.Key(k, SecretContract.Generator.RANDOM_HEX, "declared")).toList()));
                }
                default -> {
                    if (dir != null || args[i].startsWith("--")) {
                        return usage("unexpected '" + args[i] + "'");
                    }
                    try {
                        dir = Path.of(args[i]);
                    } catch (java.nio.file.InvalidPathException e) {
                        return usage("'" + Excerpt.cut(args[i], 200) + "' is not a path");
                    }
                }
            }
        }
        if (profileName == null || dir == null) {
            return usage("validate needs --profile NAME and a folder");
        }
        if (!java.nio.file.Files.isDirectory(dir)) {
            return usage("'" + dir + "' is not a folder");
        }
        ClusterProfile profile;
        try {
            profile = Environment.builtIn(profileName).profile();
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            return report(dir, profile, secrets, json);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("keyboss-charts: " + Excerpt.cut(String.valueOf(e.getMessage()), 300));
            return 2;
        } catch (StackOverflowError | OutOfMemoryError e) {
            System.err.println("keyboss-charts: validate stopped: the input is too large or too deeply nested to check ("
                    + e.getClass().getSimpleName() + ")");
            return 2;
        } catch (RuntimeException e) {
            // A bug, not the input's fault: say where, briefly, and do not pass what was not checked.
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            System.err.println("keyboss-charts: validate stopped by an internal error (" + e.getClass().getSimpleName()
                    + (at == null ? "" : " at " + at.getClassName() + ":" + at.getLineNumber())
                    + "); please report it with the input. Nothing was passed.");
            return 2;
        }
    }

    /**
     * Reads and checks {@code dir}, prints every problem and a summary. Exit status: 0 clean, 1
     * problems, 2 when a file could not be read or nothing was found to check.
     */
    private static int report(Path dir, ClusterProfile profile, List<SecretContract> secrets, boolean json) {
        ManifestReader.Result read = ManifestReader.scan(dir);
        List<Problem> problems = new ArrayList<>(read.problems());
        problems.addAll(Validator.check(profile, read.manifests(), secrets));
        boolean nothing = read.manifests().isEmpty() && problems.isEmpty();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Problem p : problems) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("where", Excerpt.cut(p.path(), 200));
                row.put("field", Excerpt.cut(p.property(), 120));
                row.put("value", p.value() == null ? null : Excerpt.of(p.value()));
                row.put("rule", Excerpt.cut(p.allowed(), 400));
                row.put("fix", Excerpt.cut(p.fix(), 400));
                rows.add(row);
            }
            List<Map<String, Object>> notRead = new ArrayList<>();
            for (ManifestReader.Unreadable u : read.unreadable()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("where", Excerpt.cut(u.where(), 200));
                row.put("reason", Excerpt.cut(u.reason(), 300));
                row.put("fix", Excerpt.cut(u.fix(), 300));
                notRead.add(row);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("profile", profile.name());
            report.put("objects", read.manifests().size());
            report.put("problems", rows);
            report.put("files", read.filesRead());
            report.put("unreadable", notRead);
            report.put("ignored", read.ignored().stream().map(f -> Excerpt.cut(f, 200)).toList());
            System.out.println(Rendering.toJson(report));
        } else {
            for (ManifestReader.Unreadable u : read.unreadable()) {
                System.out.println(line(u));
            }
            for (Problem p : problems) {
                System.out.println(line(p));
            }
            System.out.println(summary(dir, profile, read, problems.size(), nothing));
        }
        if (!read.unreadable().isEmpty() || nothing) {
            return 2;
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /** One line, however long the input's values: each part is cut short. */
    public static String line(ManifestReader.Unreadable u) {
        return "- [" + Excerpt.cut(u.where(), 200) + "] not read: " + Excerpt.cut(u.reason(), 300) + ". Fix: " + Excerpt.cut(u.fix(), 300);
    }

    public static String line(Problem p) {
        return "- [" + Excerpt.cut(p.path(), 200) + "] " + Excerpt.cut(p.property(), 120) + " = " + Excerpt.of(p.value()) + ": "
                + Excerpt.cut(p.allowed(), 400) + ". Fix: " + Excerpt.cut(p.fix(), 400);
    }

    private static String summary(Path dir, ClusterProfile profile, ManifestReader.Result read, int problems, boolean nothing) {
        StringBuilder line = new StringBuilder();
        if (nothing) {
            line.append("nothing checked: no Kubernetes object in any .yaml, .yml or .json file under ").append(Excerpt.cut(dir.toString(), 200));
        } else {
            line.append(read.manifests().size()).append(" objects checked against profile ").append(profile.name()).append(": ")
                    .append(problems == 0 ? "no problems" : problems + " problem" + (problems == 1 ? "" : "s"));
        }
        line.append(" (").append(read.filesRead()).append(read.filesRead() == 1 ? " file read" : " files read");
        if (read.kustomizations() > 0) {
            line.append(", ").append(read.kustomizations()).append(read.kustomizations() == 1 ? " kustomization" : " kustomizations");
        }
        if (!read.unreadable().isEmpty()) {
            line.append(", ").append(read.unreadable().size()).append(" not read, so not every object was checked");
        }
        if (!read.ignored().isEmpty()) {
            List<String> shown = read.ignored().stream().limit(5).map(f -> Excerpt.cut(f, 80)).toList();
            line.append("; ignored, not .yaml, .yml or .json: ").append(String.join(", ", shown));
            if (read.ignored().size() > shown.size()) {
                line.append(" and ").append(read.ignored().size() - shown.size()).append(" more");
            }
        }
        return line.append(')').toString();
    }

    private static int usage(String problem) {
        System.err.println("keyboss-charts: " + problem + "\n"
                + "usage: synth [--outdir DIR] [--env NAME]...\n"
                + "       secrets ENV   the Secret contract of ENV (names only), for bin/create-secrets\n"
                + "       validate --profile NAME [--json] [--secret NAME=KEY,KEY]... DIR\n"
                + "  --outdir DIR  where to write (default $CDK8S_OUTDIR, else dist): a new or empty folder,\n"
                + "                or one synth wrote (it replaces only the files listed in its " + OutputFolder.OWNED_FILES + ")\n"
                + "  --env NAME    only this environment (repeatable; default all built-in)");
        return 2;
    }
}
