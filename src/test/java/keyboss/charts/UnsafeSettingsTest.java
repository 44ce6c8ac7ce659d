package keyboss.charts;

import keyboss.charts.env.Environment;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Size;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Environment and props values that would deploy into the wrong place or break a file they are written into. */
class UnsafeSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "kube-system", "kube-public", "kube-node-lease"})
    void reservedNamespacesAreRefused(String namespace) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environment.local().toBuilder().namespace(namespace).build());
        assertContainsAll(e.getMessage(), "namespace: '" + namespace + "' belongs to the cluster", "kube-system",
                "use a namespace of the shop's own");
    }

    @Test
    void creatingTheNamespaceNeedsClusterScopedObjects() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environment.deti().toBuilder().createNamespace(true).build());
        assertContainsAll(e.getMessage(), "createNamespace is true but clusterScopedAllowed is false",
                "set createNamespace(false)");
    }

    @Test
    void zeroSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environment.local().toBuilder().defaultVolumeSize(Size.gi(0)).build());
        assertContainsAll(e.getMessage(), "defaultVolumeSize 0Gi", "must be above zero");
        Problem p = problemFor(Fixtures.problems(Environment.local(), c -> new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().storageSize(Size.parse("0Mi")).build())), "storageSize");
        assertContainsAll(p.toString(), "storageSize = 0Mi", "a size above zero", "request a size such as 5Gi");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my master", "master\nsentinel monitor evil", "m$(id)", ""})
    void sentinelMasterNamesMustFitTheConfigFile(String name) {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new ValkeySentinel(c, "valkey",
                ValkeySentinelProps.builder().masterName(name).build()));
        assertContainsAll(problemFor(problems, "masterName").toString(), "letters, digits, '.', '-' or '_'",
                "written into sentinel.conf", "\"mymaster\"");
    }

    @Test
    void databaseNamesMustBeWritableUnquoted() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new PostgresHA(c, "postgres",
                PostgresHAProps.builder().database("shop db").user("Saleor").replicationUser("repl;drop").build()));
        assertContainsAll(problemFor(problems, "database").toString(), "'shop db'", "written unquoted into SQL");
        assertContainsAll(problemFor(problems, "user").toString(), "'Saleor'");
        assertContainsAll(problemFor(problems, "replicationUser").toString(), "'repl;drop'");
    }
}
