package keyboss.charts.core;

import keyboss.charts.validation.CustomResourceSchemas;
import keyboss.charts.env.Environment;

import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * The custom resources the library writes (Argo CD Application, ServiceMonitor, SealedSecret,
 * ExternalSecret, Traefik Middleware): how they are made over cdk8s's ApiObject. The schemas
 * they are checked against are {@link CustomResourceSchemas}'.
 */
public final class CustomResources {

    public static final String ARGO_APPLICATION = "argoproj.io/v1alpha1";
    static final String SEALED_SECRET = "bitnami.com/v1alpha1";
    static final String EXTERNAL_SECRET = "external-secrets.io/v1beta1";
    public static final String SERVICE_MONITOR = "monitoring.coreos.com/v1";
    /** Traefik's API group; its Middleware redirects HTTP to HTTPS where the cluster admits it. */
    static final String TRAEFIK_GROUP = Environment.TRAEFIK_API_GROUP;
    public static final String TRAEFIK_MIDDLEWARE = TRAEFIK_GROUP + "/v1alpha1";

    private CustomResources() {
    }

    /** A custom resource object with {@code spec}. */
    public static ApiObject create(Construct scope, String id, String apiVersion, String kind, String name,
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
