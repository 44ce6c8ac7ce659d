package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The offline API server rules against the API server's own validation code: src/test/go/apicheck
 * (Kubernetes 1.34.4's decoding, defaulting and registry strategies, built with Go) judges every
 * object ApiServerRulesTest accepted or rejected (recorded in target/rules-cases.jsonl by the unit
 * test run). Every object the server rejects must have been rejected offline, and every object
 * accepted offline must be accepted by the server; the only differences allowed are the rules the
 * strategies cannot see, listed in {@link #BEYOND_THE_STRATEGIES}. Every pod PodSecurityTest
 * judged must fail exactly the checks pod-security-admission 1.34 says it fails.
 */
class ApiServerValidationIT {

    private static final Path CASES = Path.of("target", "rules-cases.jsonl");
    private static final Path CHECKER = Path.of("target", "go-apicheck");

    /**
     * Offline rejections the registry strategies cannot confirm, each for a stated reason: they
     * come from elsewhere in the server (the node port allocator, the Priority admission plugin),
     * from other objects (a duplicate), or from what a controller or the server does afterwards
     * (a field dropped, a label too long for the StatefulSet controller).
     */
    private static final Set<String> BEYOND_THE_STRATEGIES = Set.of(
            "ApiServerRulesTest.duplicateObjectsAreOneTooMany metadata.name",
            "ApiServerRulesTest.servicesHaveValidPortsForTheirType spec.ports[0].nodePort",
            "ApiServerRulesTest.namespacesAndPodsOwnRules spec.priority",
            "ApiServerRulesTest.namesFollowTheFormatOfTheirKind metadata.name StatefulSet",
            "ApiServerRulesTest.containersAreNamedUniquelyAndReferenceWhatExists spec.template.spec.containers[0].restartPolicy");

    @Test
    void theServersValidationAgreesWithTheOfflineRules() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(CASES), CASES + " is written by the unit tests (mvn verify runs them first)");
        build();
        Process checker = new ProcessBuilder(CHECKER.toAbsolutePath().toString()).redirectInput(CASES.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = checker.getInputStream().readAllBytes();
        assertTrue(checker.waitFor(5, TimeUnit.MINUTES) && checker.exitValue() == 0, "apicheck failed");
        ObjectMapper json = new ObjectMapper();
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        int serverRejects = 0;
        int podSecurityCases = 0;
        for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<?, ?> c = json.readValue(line, Map.class);
            cases++;
            List<?> verdicts = (List<?>) c.get("verdicts");
            if ("psa".equals(c.get("mode"))) {
                podSecurityCases++;
                if (!List.of(c.get("expected")).equals(verdicts)) {
                    disagreements.add(c.get("test") + " (Pod Security " + c.get("level") + "): offline ["
                            + c.get("expected") + "], pod-security-admission " + verdicts + "\n" + c.get("yaml"));
                }
                continue;
            }
            if (verdicts.stream().anyMatch(v -> String.valueOf(v).contains("is registered for version"))) {
                continue; // a kind the server does not serve (a custom resource in the test)
            }
            boolean rejected = verdicts.stream().anyMatch(v -> !"accept".equals(v));
            boolean expectedReject = "reject".equals(c.get("expected"));
            serverRejects += rejected ? 1 : 0;
            String key = c.get("test") + " " + c.get("field");
            boolean known = BEYOND_THE_STRATEGIES.contains(key) || BEYOND_THE_STRATEGIES.contains(key + " "
                    + String.valueOf(c.get("yaml")).replaceAll("(?s).*kind: (\\w+).*", "$1"));
            if (rejected != expectedReject && !(expectedReject && known)) {
                disagreements.add(key + ": offline " + c.get("expected") + ", server " + verdicts + "\n" + c.get("yaml"));
            }
        }
        assertTrue(cases > 150 && serverRejects > 100 && podSecurityCases > 40, "the recorded cases were judged: " + cases
                + ", " + serverRejects + " rejected by the server, " + podSecurityCases + " Pod Security cases");
        assertEquals(List.of(), disagreements);
    }

    /** Builds the checker with the Go toolchain (modules from the Go module proxy or its cache). */
    private static void build() throws IOException, InterruptedException {
        ProcessBuilder go = new ProcessBuilder("go", "build", "-mod=readonly", "-o",
                CHECKER.toAbsolutePath().toString(), ".").directory(Path.of("src", "test", "go", "apicheck").toFile())
                .redirectErrorStream(true);
        Process p;
        try {
            p = go.start();
        } catch (IOException e) {
            throw new AssertionError("the Go toolchain (go) is needed to build the API server's validation: install"
                    + " Go 1.24 or later", e);
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.MINUTES) && p.exitValue() == 0, "go build failed:\n" + log);
    }
}
