package keyboss.charts.validation;

import keyboss.charts.model.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The schema each custom resource the library writes is checked against: the structural schemas
 * of {@value #DEFINITIONS}, which the API-server oracle installs too, so bin/validate and the real
 * server judge a custom resource by the same schema. {@link SchemaValidator} reads them once.
 */
public final class CustomResourceSchemas {

    /** The definitions of every custom kind the library writes, with their schemas; the API-server oracle installs the same file. */
    public static final String DEFINITIONS = "/keyboss/charts/crds.yaml";

    private CustomResourceSchemas() {
    }

    /** The check of each custom kind in {@value #DEFINITIONS}, by {@code "group/version Kind"}. */
    static Map<String, Function<Map<String, Object>, List<String>>> checks() {
        Map<String, Function<Map<String, Object>, List<String>>> checks = new TreeMap<>();
        for (Map<String, Object> crd : definitions()) {
            Manifest m = new Manifest(DEFINITIONS, crd);
            String group = String.valueOf(m.at("spec.group"));
            String kind = String.valueOf(m.at("spec.names.kind"));
            for (Object v : Manifest.list(m.at("spec.versions"))) {
                Manifest version = new Manifest(DEFINITIONS, Manifest.map(v));
                String apiVersion = group + "/" + version.at("name");
                StructuralSchema schema = StructuralSchema.of(Manifest.map(version.at("schema.openAPIV3Schema")),
                        DEFINITIONS + " " + apiVersion + " " + kind);
                checks.put(apiVersion + " " + kind, o -> check(schema, o));
            }
        }
        return checks;
    }

    /** The CustomResourceDefinitions in {@value #DEFINITIONS}, read from the classpath. */
    public static List<Map<String, Object>> definitions() {
        try (InputStream in = CustomResourceSchemas.class.getResourceAsStream(DEFINITIONS)) {
            if (in == null) {
                throw new IllegalStateException(DEFINITIONS + " is missing from the classpath");
            }
            List<Map<String, Object>> result = new ArrayList<>();
            for (Object document : new Yaml(new LoaderOptions()).loadAll(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                if (document != null) {
                    result.add(Manifest.map(document));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> check(StructuralSchema schema, Map<String, Object> o) {
        List<String> errors = new ArrayList<>(schema.errors(o));
        if (Manifest.map(o.get("metadata")).get("name") == null) {
            errors.add("the required field `metadata.name` is missing");
        }
        return errors;
    }
}
