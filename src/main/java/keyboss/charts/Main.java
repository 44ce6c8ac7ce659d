package keyboss.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line: {@code synth [--outdir DIR] [--env NAME]...} writes {@code dist/}. The output
 * folder defaults to {@code $CDK8S_OUTDIR} (set by {@code cdk8s synth}) or {@code dist}.
 * Progress and problems go to standard error; the exit status is 1 when input has problems,
 * 2 on a usage error.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
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
        Synthesizer.write(outdir, outputs, files);
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
        return 0;
    }

    /**
     * {@code secrets ENV}: the namespace and the Secret contract of a built-in environment, one
     * fact a line ({@code namespace N}, {@code secret NAME}, {@code generate true|false},
     * {@code key KEY GENERATOR [HOST,HOST...]}), for
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
            out.append("key ").append(key.name()).append(' ').append(key.generator());
            if (!key.hostNames().isEmpty()) {
                out.append(' ').append(String.join(",", key.hostNames()));
            }
            out.append('\n');
        }
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
                    dir = Path.of(args[i]);
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
            profile = ClusterProfile.named(profileName);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        List<Manifest> manifests = ManifestReader.read(dir);
        List<Problem> problems = Validator.check(profile, manifests, secrets);
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Problem p : problems) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("where", p.path());
                row.put("field", p.property());
                row.put("value", p.value() == null ? null : String.valueOf(p.value()));
                row.put("rule", p.allowed());
                row.put("fix", p.fix());
                rows.add(row);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("profile", profile.name());
            report.put("objects", manifests.size());
            report.put("problems", rows);
            System.out.println(Synthesizer.toJson(report));
        } else {
            for (Problem p : problems) {
                System.out.println("- " + p);
            }
            System.out.println(manifests.size() + " objects checked against profile " + profile.name() + ": "
                    + (problems.isEmpty() ? "no problems" : problems.size() + " problem" + (problems.size() == 1 ? "" : "s")));
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private static int usage(String problem) {
        System.err.println("keyboss-charts: " + problem + "\n"
                + "usage: synth [--outdir DIR] [--env NAME]...\n"
                + "       secrets ENV   the Secret contract of ENV (names only), for bin/create-secrets\n"
                + "       validate --profile NAME [--json] [--secret NAME=KEY,KEY]... DIR\n"
                + "  --outdir DIR  where to write (default $CDK8S_OUTDIR, else dist)\n"
                + "  --env NAME    only this environment (repeatable; default all built-in)");
        return 2;
    }
}
