package keyboss.charts;

import java.util.List;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import software.constructs.Construct;

/**
 * The Next.js storefront, served at {@code /}: two pods spread over nodes, with a Service and a
 * disruption budget. Its image and pull policy come from the environment (KeyBoss builds it per
 * cluster). Server-side rendering reaches the API by its in-cluster URL; browsers by the public
 * one (seed 5.2).
 *
 * <p>Objects (ids are public API): {@code deployment}, {@code service}, {@code pdb}.
 */
public class Storefront extends Frontend implements Connected {

    public Storefront(Construct scope, String id, FrontendProps props) {
        super(scope, id, props, "storefront", 2);
    }

    /**
     * Defaults: name {@code saleor-storefront}, path {@code /}, 2 replicas, port 3000, user 1001
     * (the Next.js image's {@code nextjs}), 100m/256Mi requested, 500m/512Mi limit.
     */
    public static FrontendProps.Builder defaults() {
        return new FrontendProps(null, "saleor-storefront", "/", 2, 3000, 1001,
                ContainerResources.of("100m", "256Mi", "500m", "512Mi")).toBuilder();
    }

    @Override
    ImageRef image(Environment env) {
        return env.images().storefront();
    }

    @Override
    List<EnvVar> environment(SaleorApi api) {
        String config = api.configMapName();
        return List.of(
                AppConfig.ref("NEXT_PUBLIC_SALEOR_API_URL", config, AppConfig.NEXT_PUBLIC_API_URI),
                AppConfig.ref("NEXT_PUBLIC_API_URI", config, AppConfig.NEXT_PUBLIC_API_URI),
                AppConfig.ref("SALEOR_API_URL_INTERNAL", config, AppConfig.SALEOR_API_URL_INTERNAL),
                AppConfig.ref("NEXT_PUBLIC_STOREFRONT_URL", config, AppConfig.PUBLIC_URL));
    }

    /** A TCP check: the home page streams with partial prerendering and is too heavy to poll (seed 5.4). */
    @Override
    Probe probe(int periodSeconds, int failureThreshold) {
        return Probe.builder()
                .tcpSocket(TcpSocketAction.builder().port(K8s.intOrString("http")).build())
                .periodSeconds(periodSeconds).timeoutSeconds(3).failureThreshold(failureThreshold).build();
    }

    /** Server-side rendering calls the API inside the cluster. */
    @Override
    public List<Connection> connections() {
        return List.of(Connection.of(peer(), api().peer(), "server-side rendering queries the API",
                NetworkPort.tcp(api().port())));
    }
}
