package keyboss.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * The custom resources the library writes (Argo CD Application, SealedSecret, ExternalSecret):
 * how they are made over cdk8s's ApiObject, and the schema each is checked against, since
 * {@code cdk8s import} cannot fetch their CRDs here.
 */
final class CustomResources {

    static final String ARGO_APPLICATION = "argoproj.io/v1alpha1";
    static final String SEALED_SECRET = "bitnami.com/v1alpha1";
    static final String EXTERNAL_SECRET = "external-secrets.io/v1beta1";
    static final String SERVICE_MONITOR = "monitoring.coreos.com/v1";

    private CustomResources() {
    }

    static {
        SchemaValidator.customResource(ARGO_APPLICATION, "Application", o -> check(o, Map.of(
                "spec", Set.of("project", "source", "destination", "syncPolicy", "ignoreDifferences", "revisionHistoryLimit"),
                "spec.source", Set.of("repoURL", "path", "targetRevision", "directory", "kustomize", "helm", "plugin", "chart", "ref"),
                "spec.destination", Set.of("server", "namespace", "name"),
                "spec.syncPolicy", Set.of("automated", "syncOptions", "retry", "managedNamespaceMetadata"),
                "spec.syncPolicy.automated", Set.of("prune", "selfHeal", "allowEmpty")),
                List.of("spec.project", "spec.source.repoURL", "spec.source.path", "spec.destination.namespace")));
        SchemaValidator.customResource(SEALED_SECRET, "SealedSecret", o -> check(o, Map.of(
                "spec", Set.of("encryptedData", "template")), List.of("spec.encryptedData")));
        SchemaValidator.customResource(SERVICE_MONITOR, "ServiceMonitor", o -> check(o, Map.of(
                "spec", Set.of("selector", "endpoints", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels")),
                List.of("spec.selector", "spec.endpoints")));
        SchemaValidator.customResource(EXTERNAL_SECRET, "ExternalSecret", o -> check(o, Map.of(
                "spec", Set.of("secretStoreRef", "target", "data", "dataFrom", "refreshInterval"),
                "spec.secretStoreRef", Set.of("name", "kind"),
                "spec.target", Set.of("name", "creationPolicy", "deletionPolicy", "template")),
                List.of("spec.secretStoreRef.name", "spec.secretStoreRef.kind", "spec.target.name", "spec.data")));
    }

    /** Makes sure the schemas above are registered. */
    static void register() {
        // Loading the class runs the static block.
    }

    /** Unknown fields under the listed paths and missing required fields, as for core kinds. */
    private static List<String> check(Map<String, Object> o, Map<String, Set<String>> allowed, List<String> required) {
        Manifest m = new Manifest("", o);
        List<String> errors = new ArrayList<>();
        for (String top : o.keySet()) {
            if (!Set.of("apiVersion", "kind", "metadata", "spec").contains(top)) {
                errors.add("the field `" + top + "` is not defined for " + m.kind());
            }
        }
        allowed.forEach((path, fields) -> {
            for (String field : Manifest.map(m.at(path)).keySet()) {
                if (!fields.contains(field)) {
                    errors.add("the field `" + field + "` is not defined in " + m.kind() + " " + path);
                }
            }
        });
        for (String path : required) {
            if (m.at(path) == null) {
                errors.add("the required field `" + path + "` is missing in " + m.kind());
            }
        }
        if (Manifest.map(m.metadata()).get("name") == null) {
            errors.add("the required field `metadata.name` is missing in " + m.kind());
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
