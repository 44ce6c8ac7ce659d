package keyboss.charts;

import keyboss.charts.validation.ApiServerRules;
import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.validation.ClusterRules;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.env.Environment;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules read hand-written manifests, so every field may hold anything: each field of one
 * object of every kind in dist/ is replaced in turn by values of the wrong type, and the API
 * server rules, the cluster profile, Pod Security and the references must report, never throw.
 */
class RulesRobustnessTest {

    private static final List<Object> WRONG = java.util.Arrays.asList(null, 42, -1, 3.5, "x", "", true, List.of(),
            List.of(7), List.of("y"), Map.of(), Map.of("k", 1));

    @Test
    void noFieldOfTheWrongTypeMakesARuleThrow() {
        Map<String, Manifest> oneOfEachKind = new LinkedHashMap<>();
        for (String env : List.of("deti", "local")) {
            for (Manifest m : Fixtures.readYaml(Fixtures.DIST.resolve(env))) {
                oneOfEachKind.putIfAbsent(m.kind() + (m.kind().equals("Deployment") ? m.name() : ""), m);
            }
        }
        ClusterProfile deti = Environment.builtIn("deti").profile();
        int variants = 0;
        for (Manifest original : oneOfEachKind.values()) {
            List<List<Object>> paths = new ArrayList<>();
            collect(original.object(), new ArrayList<>(), paths);
            for (List<Object> path : paths) {
                for (Object wrong : WRONG) {
                    Map<String, Object> copy = deepCopy(original.object());
                    set(copy, path, wrong);
                    List<Manifest> one = List.of(new Manifest(original.file(), copy));
                    variants++;
                    try {
                        ApiServerRules.check("deti", one);
                        ClusterRules.check(deti, one);
                        CrossReferences.check("deti", one, List.of(KeybossChart.SECRETS));
                    } catch (RuntimeException e) {
                        fail(original.id() + " with " + path + " = " + wrong + " threw " + e, e);
                    }
                }
            }
        }
        assertTrue(variants > 5_000, "every field of every kind was tried: " + variants);
    }

    @Test
    void wholeDocumentsOfTheWrongShapeAreReportedNotThrown() {
        List<Map<String, Object>> shapes = new ArrayList<>();
        for (Object wrong : WRONG) {
            for (String field : List.of("metadata", "spec", "rules", "roleRef", "subjects", "data", "template")) {
                Map<String, Object> o = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "p")));
                o.put(field, wrong);
                shapes.add(o);
            }
            Map<String, Object> nameless = new LinkedHashMap<>(Map.of("apiVersion", "apps/v1", "kind", "Deployment"));
            nameless.put("metadata", new LinkedHashMap<>(Map.of("labels", Map.of("a", "b"))));
            Manifest.map(nameless.get("metadata")).put("name", wrong);
            shapes.add(nameless);
        }
        for (Map<String, Object> shape : shapes) {
            List<Manifest> one = List.of(new Manifest("x.yaml", shape));
            try {
                ApiServerRules.check("deti", one);
                ClusterRules.check(Environment.builtIn("deti").profile(), one);
                CrossReferences.check("deti", one, List.of());
            } catch (RuntimeException e) {
                fail(shape + " threw " + e, e);
            }
        }
    }

    /** Every path (map keys and list indexes) to a node of {@code node}. */
    private static void collect(Object node, List<Object> at, List<List<Object>> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                List<Object> path = new ArrayList<>(at);
                path.add(e.getKey());
                out.add(path);
                collect(e.getValue(), path, out);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> path = new ArrayList<>(at);
                path.add(i);
                out.add(path);
                collect(list.get(i), path, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Object root, List<Object> path, Object value) {
        Object parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object key = path.get(i);
            parent = key instanceof Integer idx ? ((List<Object>) parent).get(idx) : ((Map<String, Object>) parent).get(key);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer idx) {
            ((List<Object>) parent).set(idx, value);
        } else {
            ((Map<String, Object>) parent).put((String) last, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

}
