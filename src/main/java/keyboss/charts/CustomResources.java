package keyboss.charts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import software.constructs.Construct;

/**
 * The custom resources the library writes (Argo CD Application, ServiceMonitor, SealedSecret,
 * ExternalSecret, Traefik Middleware): how they are made over cdk8s's ApiObject, and the schema each is checked
 * against: the structural schemas of {@value #DEFINITIONS}, which the API-server oracle installs
 * too, so bin/validate and the real server judge a custom resource by the same schema.
 */
final class CustomResources {

    static final String ARGO_APPLICATION = "argoproj.io/v1alpha1";
    static final String SEALED_SECRET = "bitnami.com/v1alpha1";
    static final String EXTERNAL_SECRET = "external-secrets.io/v1beta1";
    static final String SERVICE_MONITOR = "monitoring.coreos.com/v1";
    /** Traefik's API group; its Middleware redirects HTTP to HTTPS where the cluster admits it. */
    static final String TRAEFIK_GROUP = "traefik.io";
    static final String TRAEFIK_MIDDLEWARE = TRAEFIK_GROUP + "/v1alpha1";

    private CustomResources() {
    }

    /** The definitions of every custom kind the library writes, with their schemas; the API-server oracle installs the same file. */
    static final String DEFINITIONS = "crds.yaml";

    static {
        for (Map<String, Object> crd : definitions()) {
            Manifest m = new Manifest(DEFINITIONS, crd);
            String group = String.valueOf(m.at("spec.group"));
            String kind = String.valueOf(m.at("spec.names.kind"));
            for (Object v : Manifest.list(m.at("spec.versions"))) {
                Manifest version = new Manifest(DEFINITIONS, Manifest.map(v));
                String apiVersion = group + "/" + version.at("name");
                StructuralSchema schema = StructuralSchema.of(Manifest.map(version.at("schema.openAPIV3Schema")),
                        DEFINITIONS + " " + apiVersion + " " + kind);
                SchemaValidator.customResource(apiVersion, kind, o -> check(schema, o));
            }
        }
    }

    /** Makes sure the schemas above are registered. */
    static void register() {
        // Loading the class runs the static block.
    }

    /** The CustomResourceDefinitions in {@value #DEFINITIONS}, read from the classpath. */
    static List<Map<String, Object>> definitions() {
        try (InputStream in = CustomResources.class.getResourceAsStream(DEFINITIONS)) {
            if (in == null) {
                throw new IllegalStateException(DEFINITIONS + " is missing from the classpath (keyboss/charts/" + DEFINITIONS + ")");
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

    /** A custom resource object with {@code spec}. */
    static ApiObject create(Construct scope, String id, String apiVersion, String kind, String name,
            Map<String, String> labels, Map<String, String> annotations, Map<String, Object> spec) {
        ApiObject object = new ApiObject(scope, id, ApiObjectProps.builder()
                .apiVersion(apiVersion)
                .kind(kind)
                .metadata(ApiObjectMetadata.builder().name(name).labels(labels).annotations(annotations).build())
                .build());
        object.addJsonPatch(JsonPatch.add("/spec", K8s.stable(spec)));
        return object;
    }
}
