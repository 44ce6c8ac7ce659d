package keyboss.charts;

import keyboss.charts.lab.Exec;
import keyboss.charts.lab.HaLab;
import keyboss.charts.model.Manifest;
import keyboss.charts.lab.PgCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthesized patroni.yml, with the environment the StatefulSet gives the container, passes
 * the pinned Patroni's own validator ({@code patroni --validate-config}); a broken one does not.
 */
class PatroniConfigTest {

    private static Exec.Result validate(Path file, Map<String, String> overrides) throws Exception {
        Manifest sts = Fixtures.find(PgCluster.distObjects(), "StatefulSet", "postgres");
        Map<String, String> values = new HashMap<>(PgCluster.PASSWORDS);
        values.putAll(PgCluster.NO_REPOSITORY);
        values.putAll(Map.of("PATRONI_NAME", "postgres-0", "PATRONI_KUBERNETES_NAMESPACE", "keyboss",
                "PATRONI_KUBERNETES_POD_IP", "10.42.0.7",
                "PATRONI_POSTGRESQL_CONNECT_ADDRESS", "10.42.0.7:5432", "PATRONI_RESTAPI_CONNECT_ADDRESS", "10.42.0.7:8008",
                // The image has the server binaries on PATH; here they are where Debian puts them.
                "PATRONI_POSTGRESQL_BIN_DIR", HaLab.pgBin()));
        values.putAll(overrides);
        Map<String, String> env = HaLab.envOf(Fixtures.container(sts, "containers", "patroni"), values);
        ProcessBuilder pb = new ProcessBuilder(PgCluster.patroniBin() + "/patroni", "--validate-config", file.toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Exec.Result(p.waitFor(), out, "");
    }

    private static Path patroniYml(Path dir, String edit, String replacement) throws Exception {
        Manifest cm = Fixtures.find(PgCluster.distObjects(), "ConfigMap", "postgres-patroni");
        String yml = (String) Manifest.map(cm.object().get("data")).get("patroni.yml");
        Path file = dir.resolve("patroni.yml");
        Files.writeString(file, edit == null ? yml : yml.replace(edit, replacement));
        return file;
    }

    @Test
    void theSynthesizedConfigurationPassesPatronisValidator(@TempDir Path dir) throws Exception {
        Exec.Result ok = validate(patroniYml(dir, null, null), Map.of());
        assertEquals(0, ok.exitCode(), ok.output());
        Exec.Result bad = validate(patroniYml(dir, "use_endpoints: true", "use_endpoints: maybe"), Map.of());
        assertNotEquals(0, bad.exitCode(), "a broken file fails: " + bad.output());
        List.of(ok, bad).forEach(r -> System.out.println("patroni --validate-config: " + r.exitCode() + " " + r.output().trim()));
    }
}
