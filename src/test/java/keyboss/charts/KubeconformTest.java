package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kubeconform, strict, over dist/ for two Kubernetes versions. No package registry reachable
 * here ships kubeconform, so the test runs where the binary is on PATH (the GitHub workflow
 * installs it) and is skipped, with the reason logged, elsewhere.
 */
class KubeconformTest {

    private static String kubeconform() {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            File f = new File(dir, "kubeconform");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String reason = "kubeconform is not on PATH (no registry reachable here ships it; the GitHub workflow installs it)";
        System.err.println("KubeconformTest skipped: " + reason);
        Assumptions.abort(reason);
        return null;
    }

    @ParameterizedTest(name = "{0} on Kubernetes {1}")
    @CsvSource({"local, 1.30.0", "local, 1.32.0", "deti, 1.30.0", "deti, 1.32.0"})
    void distPassesStrictSchemas(String env, String version) {
        // Core kinds from the default schemas; Argo CD and other CRDs from the community CRDs catalog.
        Exec.Result r = Exec.run(List.of(kubeconform(), "-strict", "-summary", "-kubernetes-version", version,
                "-schema-location", "default", "-schema-location",
                "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
                "-ignore-filename-pattern", "kustomization.yaml", "dist/" + env), Map.of("HOME", System.getProperty("user.home")), 300);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Invalid: 0, Errors: 0"), r.output());
    }
}
