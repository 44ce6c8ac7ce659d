package keyboss.charts;

import keyboss.charts.model.Manifest;
import keyboss.charts.validation.SchemaValidator;
import keyboss.charts.validation.StructuralSchema;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Custom resources are checked against the structural schemas of crds.yaml, the file the
 * API-server oracle installs: each keyword both ways, and the two mutants only the server
 * caught before (a ServiceMonitor interval and an Argo CD backoff factor).
 */
class StructuralSchemaTest {

    private static Map<String, Object> object(String yaml) {
        return Manifest.map(new org.yaml.snakeyaml.Yaml().load(yaml));
    }

    private static List<String> errors(String yaml) {
        return SchemaValidator.errors(new Manifest("f.yaml", object(yaml)));
    }

    private static final String MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: m}
            spec:
              selector: {matchLabels: {app: m}}
              endpoints: [{port: metrics, interval: %s}]
            """;

    private static final String APPLICATION = """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: a}
            spec:
              project: p
              source: {repoURL: 'https://example.com/r.git', path: dist, targetRevision: main}
              destination: {namespace: n, server: 'https://kubernetes.default.svc'}
              syncPolicy: {retry: {limit: 5, backoff: {duration: 10s, factor: %s}}}
            """;

    @Test
    void everyCustomKindOfTheCommittedDistConforms() {
        for (String env : List.of("local", "deti")) {
            List<Manifest> custom = Fixtures.readYaml(Fixtures.DIST.resolve(env)).stream()
                    .filter(m -> m.apiVersion().contains(".") && !m.apiVersion().contains("k8s.io")).toList();
            assertEquals(false, custom.isEmpty(), env);
            for (Manifest m : custom) {
                assertEquals(List.of(), SchemaValidator.errors(m), m.id());
            }
        }
    }

    @Test
    void aDurationFollowsThePrometheusOperatorPattern() {
        assertEquals(List.of(), errors(MONITOR.formatted("15s")));
        assertEquals(List.of(), errors(MONITOR.formatted("1m30s")));
        assertContainsAll(errors(MONITOR.formatted("'15 seconds'")).toString(), "`spec.endpoints[0].interval`", "15 seconds",
                "does not match the pattern");
    }

    @Test
    void anIntegerFieldTakesNoWordNorFraction() {
        assertEquals(List.of(), errors(APPLICATION.formatted("2")));
        assertContainsAll(errors(APPLICATION.formatted("many")).toString(), "`spec.syncPolicy.retry.backoff.factor`", "many",
                "not an integer");
        assertContainsAll(errors(APPLICATION.formatted("1.5")).toString(), "factor", "not an integer");
        assertContainsAll(errors(APPLICATION.formatted("99999999999999999999")).toString(), "factor", "int64");
    }

    @Test
    void unknownAndMissingFieldsEnumsAndNonObjectsAreNamed() {
        assertContainsAll(errors(MONITOR.formatted("15s").replace("port: metrics", "prot: metrics")).toString(),
                "`spec.endpoints[0].prot`", "unknown field");
        assertContainsAll(errors(MONITOR.formatted("15s").replace("  selector: {matchLabels: {app: m}}\n", "")).toString(),
                "`spec.selector` is missing");
        assertContainsAll(errors(MONITOR.formatted("15s").replace("port: metrics", "port: metrics, scheme: ftp")).toString(),
                "`spec.endpoints[0].scheme`", "ftp", "not one of [http, https");
        assertContainsAll(errors(MONITOR.formatted("15s").replace("endpoints: [", "endpoints: [7, ")).toString(),
                "`spec.endpoints[0]`", "not an object");
        assertContainsAll(errors(MONITOR.formatted("15s").replace("metadata: {name: m}", "metadata: {}")).toString(),
                "metadata.name");
        // Preserved-unknown objects and additionalProperties accept any key.
        assertEquals(List.of(), errors(MONITOR.formatted("15s").replace("port: metrics", "port: metrics, tlsConfig: {anything: 1}")));
        assertContainsAll(errors(MONITOR.formatted("15s").replace("{app: m}", "{app: 7}")).toString(),
                "`spec.selector.matchLabels.app`", "not a string");
    }

    @Test
    void intOrStringTakesBothAndNothingElse() {
        assertEquals(List.of(), errors(MONITOR.formatted("15s").replace("port: metrics", "targetPort: 9090")));
        assertEquals(List.of(), errors(MONITOR.formatted("15s").replace("port: metrics", "targetPort: metrics")));
        assertContainsAll(errors(MONITOR.formatted("15s").replace("port: metrics", "targetPort: true")).toString(),
                "`spec.endpoints[0].targetPort`", "an integer or a string");
    }

    @Test
    void aSchemaKeywordItDoesNotUnderstandIsRefusedWhenLoaded() {
        Map<String, Object> schema = new LinkedHashMap<>(Map.of("type", "object", "properties",
                Map.of("spec", Map.of("type", "string", "maxLength", 3))));
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> StructuralSchema.of(schema, "t")).getMessage(),
                "t.spec", "`maxLength`", "not understood");
    }
}
