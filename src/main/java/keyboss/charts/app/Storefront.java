package keyboss.charts.app;

import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.model.Size;

import java.util.List;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
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

    /** A static file of the storefront (Saleor's storefront ships a favicon), served without calling the API. */
    static final String READY_PATH = "/favicon.ico";
    /** Next.js's cache folder in the storefront image (working folder /app). */
    static final String CACHE_DIR = "/app/.next/cache";
    static final Size CACHE_SIZE = Size.mi(128);
    static final Size TMP_SIZE = Size.mi(16);

    public Storefront(Construct scope, String id, FrontendProps props) {
        super(scope, id, props, defaults().build(), "storefront", 2);
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

    /**
     * Ready: Next.js answers HTTP with a static file it serves itself (the home page streams with
     * partial prerendering and is too heavy to poll, seed 5.4; a static file does not call the
     * API). Alive: the server accepts connections (the inherited TCP check).
     */
    @Override
    Probe readinessProbe() {
        return Probe.builder()
                .httpGet(HttpGetAction.builder().path(READY_PATH).port(K8s.intOrString("http")).build())
                .periodSeconds(5).timeoutSeconds(3).failureThreshold(3).build();
    }

    /**
     * Next.js writes its data and image cache under .next/cache in its working folder (/app in
     * the storefront image), and Node's tempfiles to /tmp. Pages revalidated by ISR are also
     * flushed into .next/server, which stays read-only: Next.js logs the failed write and keeps
     * them in memory (build the image with experimental.isrFlushToDisk false to silence it).
     */
    @Override
    List<Volume> volumes() {
        return List.of(K8s.scratchVolume("next-cache", CACHE_SIZE), K8s.scratchVolume("tmp", TMP_SIZE));
    }

    @Override
    List<VolumeMount> mounts() {
        return List.of(K8s.mount("next-cache", CACHE_DIR), K8s.mount("tmp", "/tmp"));
    }

    @Override
    Size[] scratch() {
        return new Size[] {CACHE_SIZE, TMP_SIZE};
    }

    /** Server-side rendering calls the API inside the cluster. */
    @Override
    public List<Connection> connections() {
        return api().map(api -> List.of(Connection.of(peer(), api.peer(), "server-side rendering queries the API",
                NetworkPort.tcp(api.port())))).orElse(List.of());
    }
}
