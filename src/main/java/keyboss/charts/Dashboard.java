package keyboss.charts;

import java.util.List;
import java.util.Map;
import org.cdk8s.JsonPatch;
import org.cdk8s.plus25.k8s.Capabilities;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.PodSecurityContext;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.SeccompProfile;
import org.cdk8s.plus25.k8s.SecurityContext;
import software.constructs.Construct;

/**
 * The Saleor dashboard, served by its own nginx under {@code /dashboard/} (the image's mount
 * point), so no ingress rewrite is needed: the restricted cluster rejects Traefik Middleware.
 *
 * <p>Pod Security exception: the upstream image's nginx starts as root to bind port 80 and then
 * switches to its {@code nginx} user, so the pod cannot run as non-root and keeps the
 * capabilities that needs. The Deployment's {@value ClusterProfile#SECURITY_EXCEPTION}
 * annotation names exactly those two checks ({@code runAsNonRoot}, {@code capabilities}) and why;
 * every other "restricted" check still applies.
 *
 * <p>Objects (ids are public API): {@code deployment}, {@code service}.
 */
public class Dashboard extends Frontend {

    public Dashboard(Construct scope, String id, FrontendProps props) {
        super(scope, id, props, "dashboard", 1);
        if (valid) {
            deployment().addJsonPatch(JsonPatch.add("/metadata/annotations", Map.of(ClusterProfile.SECURITY_EXCEPTION,
                    "runAsNonRoot,capabilities: nginx in the upstream saleor-dashboard image starts as root to bind"
                            + " port 80 and drops to its nginx user; only CHOWN, SETUID, SETGID and NET_BIND_SERVICE"
                            + " are kept")));
        }
    }

    /** Defaults: name {@code saleor-dashboard}, path {@code /dashboard/}, 1 replica, port 80, 50m/64Mi, 200m/128Mi. */
    public static FrontendProps.Builder defaults() {
        return new FrontendProps(null, "saleor-dashboard", "/dashboard/", 1, 80, 0,
                ContainerResources.of("50m", "64Mi", "200m", "128Mi")).toBuilder();
    }

    @Override
    ImageRef image(Environment env) {
        return env.images().dashboard();
    }

    @Override
    List<EnvVar> environment(SaleorApi api) {
        return List.of(
                AppConfig.ref("API_URL", api.configMapName(), AppConfig.API_URI),
                K8s.env("APP_MOUNT_URI", props.path()));
    }

    @Override
    Probe probe(int periodSeconds, int failureThreshold) {
        return Probe.builder()
                .httpGet(HttpGetAction.builder().path(props.path()).port(K8s.intOrString("http")).build())
                .periodSeconds(periodSeconds).timeoutSeconds(3).failureThreshold(failureThreshold).build();
    }

    @Override
    PodSecurityContext podSecurity() {
        return PodSecurityContext.builder()
                .seccompProfile(SeccompProfile.builder().type("RuntimeDefault").build())
                .build();
    }

    @Override
    SecurityContext containerSecurity() {
        return SecurityContext.builder()
                .allowPrivilegeEscalation(false)
                .capabilities(Capabilities.builder().drop(List.of("ALL"))
                        .add(List.of("CHOWN", "SETUID", "SETGID", "NET_BIND_SERVICE")).build())
                .build();
    }
}
