package keyboss.charts;

import keyboss.charts.lab.Exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kubeconform, strict, over dist/, with schemas generated from the API-server oracle's own
 * OpenAPI document (the Kubernetes release bin/kube-oracle builds, and the project's CRDs).
 * {@code bin/kube-oracle kubeconform} builds kubeconform with {@code go install} and generates
 * the schemas once, then reuses both; bin/test runs it before the suite, so this never skips.
 */
class KubeconformTest {

    private static final Map<String, String> TOOL = new HashMap<>();

    @BeforeAll
    static void kubeconform() {
        Exec.Result r = Exec.run(List.of("bin/kube-oracle", "kubeconform"), Map.of("HOME", System.getProperty("user.home")), 3600);
        assertEquals(0, r.exitCode(), "bin/kube-oracle kubeconform failed:\n" + r.output());
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> TOOL.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertTrue(Files.isExecutable(Path.of(TOOL.get("kubeconform"))), r.output());
    }

    private static Exec.Result kubeconform(String... paths) {
        List<String> command = new java.util.ArrayList<>(List.of(TOOL.get("kubeconform"), "-strict", "-summary",
                "-schema-location", TOOL.get("schema_location"), "-ignore-filename-pattern", "kustomization.yaml"));
        command.addAll(List.of(paths));
        return Exec.run(command, Map.of("HOME", System.getProperty("user.home")), 300);
    }

    @ParameterizedTest(name = "dist/{0}")
    @ValueSource(strings = {"local", "deti"})
    void distPassesStrictSchemas(String env) {
        Exec.Result r = kubeconform("dist/" + env);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Invalid: 0, Errors: 0, Skipped: 0"), r.output());
    }

    /** The schemas bite: an unknown field, a wrong type and a bad ServiceMonitor interval are each invalid. */
    @Test
    void brokenObjectsAreInvalid(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("unknown-field.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                dataa: {x: y}
                """);
        Files.writeString(dir.resolve("wrong-type.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: b}
                spec:
                  replicas: two
                  selector: {matchLabels: {app: b}}
                  template:
                    metadata: {labels: {app: b}}
                    spec: {containers: [{name: b, image: "b:1"}]}
                """);
        Files.writeString(dir.resolve("bad-interval.yaml"), """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: c}
                spec:
                  selector: {matchLabels: {app: c}}
                  endpoints: [{port: metrics, interval: 15 seconds}]
                """);
        Exec.Result r = kubeconform(dir.toString());
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("Invalid: 3"), r.output());
    }
}
