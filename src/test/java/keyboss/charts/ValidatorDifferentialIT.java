package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.cli.KubeApi;
import keyboss.charts.lab.KubeOracle;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.model.Problem;
import keyboss.charts.cli.ServerCheck;
import keyboss.charts.validation.Validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * bin/validate against the real API server. Every object of dist/deti is broken in one place
 * by each mutation class that applies to it ({@link MutationCorpus}); each broken object is
 * sent to the server as a dry-run create, as the tenant, on top of dist/deti applied for real
 * (with what its controllers would create from its templates, also as dry runs), and to the
 * offline validator, with the rest of dist/deti around it. A server refusal or warning is a rejection;
 * so is any validator problem. Every object the server rejects must be rejected offline too.
 * The confusion table and the "only server" list are printed; with the other lists, they are
 * written to target/validator-differential.txt.
 */
class ValidatorDifferentialIT {

    record Outcome(MutationCorpus.Mutant mutant, List<String> server, List<String> validator) {
        boolean serverRejects() {
            return !server.isEmpty();
        }

        boolean validatorRejects() {
            return !validator.isEmpty();
        }
    }

    /**
     * The server's objections to creating {@code m}: refusals and warnings, for the object and
     * what its controller would make of its templates. Unless its name is what the mutation
     * broke, it is sent under a new name: dist/deti is applied, so under its own name it would
     * be an update, refused for changing an immutable field rather than for the mutation.
     */
    private static List<String> server(KubeApi tenant, Manifest original, String namespace, boolean rename) {
        Manifest m = original;
        if (rename) {
            Map<String, Object> copy = MutationCorpus.copy(original.object());
            MutationCorpus.child(copy, "metadata").put("name", original.name() + "-new");
            m = new Manifest(original.file(), copy);
        }
        List<String> objections = new ArrayList<>();
        KubeApi.Response r = tenant.apply(m.object(), namespace, true);
        List<ServerCheck.Verdict> verdicts = new ArrayList<>(List.of(new ServerCheck.Verdict(m, m.id(), r)));
        if (r.ok()) {
            verdicts.addAll(ServerCheck.templateChecks(tenant, m, namespace, true));
        }
        for (ServerCheck.Verdict v : verdicts) {
            if (!v.clean()) {
                objections.add(v.toString());
            }
        }
        return objections;
    }

    /** The validator's problems with {@code replacement} in place of {@code original} among {@code all}. */
    private static List<String> validator(List<Manifest> all, Manifest original, Manifest replacement) {
        List<Manifest> set = new ArrayList<>(all.size());
        for (Manifest m : all) {
            set.add(m == original ? replacement : m);
        }
        try {
            return Validator.check(Environment.builtIn("deti").profile(), set, List.of(KeybossChart.SECRETS)).stream().map(Problem::toString).toList();
        } catch (RuntimeException e) {
            // A crash is not a report naming object, field, rule and fix: it does not count as one.
            System.err.println("validator crashed on " + replacement.id() + ": " + e);
            return List.of();
        }
    }

    @Test
    void everyObjectTheServerRejectsIsRejectedOffline() throws IOException {
        KubeOracle oracle = KubeOracle.get();
        oracle.detiApplied();
        KubeApi tenant = oracle.tenant();
        String ns = oracle.tenantNamespace();
        List<Manifest> deti = ManifestReader.read(Path.of("dist/deti"));

        // Controls: unbroken, the validator accepts dist/deti; an object the server rejects as it
        // is, is itself a case only the server catches, and its mutants would prove nothing.
        assertEquals(List.of(), Validator.check(Environment.builtIn("deti").profile(), deti, List.of(KeybossChart.SECRETS)).stream()
                .map(Problem::toString).toList(), "the validator accepts dist/deti");
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        List<Manifest> sound = new ArrayList<>();
        for (Manifest m : deti) {
            List<String> objections = server(tenant, m, ns, true);
            if (objections.isEmpty()) {
                sound.add(m);
            } else {
                outcomes.add(new Outcome(new MutationCorpus.Mutant("unbroken", "as committed in dist/deti", m, m), objections, List.of()));
            }
        }
        List<MutationCorpus.Mutant> corpus = MutationCorpus.of(sound);
        long serverNanos = 0;
        for (MutationCorpus.Mutant mutant : corpus) {
            long t = System.nanoTime();
            List<String> server = server(tenant, mutant.mutated(), ns, !"names".equals(mutant.mutationClass()));
            serverNanos += System.nanoTime() - t;
            outcomes.add(new Outcome(mutant, server, validator(deti, mutant.original(), mutant.mutated())));
        }
        System.out.printf("differential: server %d ms, validator %d ms%n", serverNanos / 1_000_000,
                (System.nanoTime() - start - serverNanos) / 1_000_000);
        long millis = (System.nanoTime() - start) / 1_000_000;

        String report = report(outcomes, millis);
        // The tables and the cases to fix on the console; everything in the file.
        System.out.println(report.substring(0, report.indexOf("\nOnly bin/validate rejects")));
        Files.writeString(Path.of("target", "validator-differential.txt"), report);

        List<Outcome> onlyServer = outcomes.stream().filter(o -> o.serverRejects() && !o.validatorRejects()).toList();
        assertTrue(corpus.size() > 100, "the corpus is large enough: " + corpus.size());
        assertTrue(outcomes.stream().anyMatch(o -> o.serverRejects() && o.validatorRejects()), "some mutants are rejected by both");
        // Every object the real server rejects, bin/validate rejects too: no known gaps.
        java.util.Set<String> missed = new java.util.TreeSet<>();
        onlyServer.forEach(o -> missed.add(o.mutant().id()));
        assertEquals(java.util.Set.of(), missed, missed.size() + " broken objects only the server rejects (see the report"
                + " above and target/validator-differential.txt): teach bin/validate to catch them");
    }

    static String report(List<Outcome> outcomes, long millis) {
        int both = 0;
        int onlyServer = 0;
        int onlyValidate = 0;
        int neither = 0;
        Map<String, int[]> byClass = new TreeMap<>();
        for (Outcome o : outcomes) {
            int[] row = byClass.computeIfAbsent(o.mutant().mutationClass(), k -> new int[4]);
            int cell = o.serverRejects() ? (o.validatorRejects() ? 0 : 1) : (o.validatorRejects() ? 2 : 3);
            row[cell]++;
            switch (cell) {
                case 0 -> both++;
                case 1 -> onlyServer++;
                case 2 -> onlyValidate++;
                default -> neither++;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("Differential test of bin/validate against kube-apiserver: %d broken objects from dist/deti (%d ms)%n",
                outcomes.size(), millis));
        out.append(String.format("%-16s %12s %12s %14s %12s%n", "class", "both reject", "only server", "only validate", "both accept"));
        byClass.forEach((c, row) -> out.append(String.format("%-16s %12d %12d %14d %12d%n", c, row[0], row[1], row[2], row[3])));
        out.append(String.format("%-16s %12d %12d %14d %12d%n", "total", both, onlyServer, onlyValidate, neither));
        out.append("\nBy mutation (both reject / only server / only validate / both accept):\n");
        Map<String, int[]> byMutation = new TreeMap<>();
        for (Outcome o : outcomes) {
            int[] row = byMutation.computeIfAbsent(o.mutant().mutationClass() + ": " + o.mutant().change(), k -> new int[4]);
            row[o.serverRejects() ? (o.validatorRejects() ? 0 : 1) : (o.validatorRejects() ? 2 : 3)]++;
        }
        byMutation.forEach((m, row) -> out.append(String.format("%-60s %4d %4d %4d %4d%n", m, row[0], row[1], row[2], row[3])));
        out.append("\nOnly the server rejects (bin/validate misses these):\n");
        outcomes.stream().filter(o -> o.serverRejects() && !o.validatorRejects())
                .forEach(o -> out.append("- ").append(o.mutant().id()).append("\n    server: ").append(first(o.server())).append('\n'));
        out.append("\nOnly bin/validate rejects (deti rules the server does not know, or references it does not check):\n");
        outcomes.stream().filter(o -> !o.serverRejects() && o.validatorRejects())
                .forEach(o -> out.append("- ").append(o.mutant().id()).append("\n    validate: ").append(first(o.validator())).append('\n'));
        out.append("\nBoth accept:\n");
        outcomes.stream().filter(o -> !o.serverRejects() && !o.validatorRejects())
                .forEach(o -> out.append("- ").append(o.mutant().id()).append('\n'));
        return out.toString();
    }

    private static String first(List<String> lines) {
        String s = lines.get(0);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
