package keyboss.charts.app;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.env.Images;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.Size;

import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.Capabilities;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.SecurityContext;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * The Saleor dashboard under {@code /dashboard/}, served by an unprivileged nginx, so that no
 * ingress rewrite is needed (the restricted cluster rejects Traefik Middleware) and the pod meets
 * Pod Security "restricted" without an exception.
 *
 * <p>The upstream image's own nginx starts as root, so its files are copied out instead: an init
 * container from that image runs {@code scripts/dashboard/prepare.sh} as user 101, which copies
 * the built files into an emptyDir and writes the API's address into {@code index.html}; then
 * {@link Images#dashboardServer()} serves them with {@code scripts/dashboard/nginx.conf} on port
 * 8080. Every root file system is read-only; nginx writes only to an emptyDir at {@code /tmp}.
 *
 * <p>Objects (ids are public API): {@code deployment}, {@code service}, {@code files} (the
 * ConfigMap holding the script and the nginx configuration).
 */
public class Dashboard extends Frontend {

    /** The user of the unprivileged nginx image, which also runs the copy. */
    public static final int USER = 101;
    private static final String SOURCE = "/app/dashboard";
    private static final String SERVED = "/srv";
    private static final Size SERVED_SIZE = Size.mi(64);
    private static final Size TMP_SIZE = Size.mi(16);

    public Dashboard(Construct scope, String id, FrontendProps props) {
        super(scope, id, props, defaults().build(), "dashboard", 1);
        if (valid) {
            new KubeConfigMap(this, "files", KubeConfigMapProps.builder()
                    .metadata(K8s.meta(filesConfigMap(), Labels.of(props.name(), "dashboard")))
                    .data(Map.of(Scripts.COMMON, Scripts.read(Scripts.COMMON),
                            "prepare.sh", Scripts.read("dashboard/prepare.sh"),
                            "default.conf", Scripts.read("dashboard/nginx.conf")))
                    .build());
        }
    }

    /** Defaults: name {@code saleor-dashboard}, path {@code /dashboard/}, 1 replica, port 8080, user 101, 50m/64Mi, 200m/128Mi. */
    public static FrontendProps.Builder defaults() {
        return new FrontendProps(null, "saleor-dashboard", "/dashboard/", 1, 8080, USER,
                ContainerResources.of("50m", "64Mi", "200m", "128Mi")).toBuilder();
    }

    private String filesConfigMap() {
        return props.name() + "-files";
    }

    @Override
    ImageRef image(Environment env) {
        return env.images().dashboardServer();
    }

    @Override
    List<EnvVar> environment(SaleorApi api) {
        return List.of();
    }

    /** Ready: nginx serves the dashboard's index (the files are in place). Alive: nginx accepts connections. */
    @Override
    Probe readinessProbe() {
        return Probe.builder()
                .httpGet(HttpGetAction.builder().path(props.path()).port(K8s.intOrString("http")).build())
                .periodSeconds(5).timeoutSeconds(3).failureThreshold(3).build();
    }

    /** The copied files stay in "served" while nginx runs; nginx writes its pid and buffers to /tmp. */
    @Override
    Size[] scratch() {
        return new Size[] {SERVED_SIZE, TMP_SIZE};
    }

    @Override
    SecurityContext containerSecurity() {
        return readOnlyRestricted();
    }

    @Override
    List<Volume> volumes() {
        return List.of(
                K8s.configMapVolume("files", filesConfigMap()),
                // The dashboard's files with the API URL written in (the image's own are read-only).
                K8s.scratchVolume("served", SERVED_SIZE),
                // nginx-unprivileged keeps its pid file and client/proxy temp folders under /tmp.
                K8s.scratchVolume("tmp", TMP_SIZE));
    }

    @Override
    List<VolumeMount> mounts() {
        return List.of(
                VolumeMount.builder().name("files").mountPath("/etc/nginx/conf.d/default.conf")
                        .subPath("default.conf").readOnly(true).build(),
                K8s.readOnlyMount("served", SERVED),
                K8s.mount("tmp", "/tmp"));
    }

    @Override
    List<Container> initContainers(Environment env) {
        ImageRef files = env.images().dashboard();
        return List.of(Container.builder()
                .name("copy-files")
                .image(files.image())
                .imagePullPolicy(files.pullPolicy().value())
                .command(List.of("sh", "/scripts/prepare.sh"))
                .env(List.of(
                        K8s.env("SOURCE", SOURCE),
                        K8s.env("TARGET", SERVED + props.path().replaceAll("/+$", "")),
                        AppConfig.ref("API_URL", props.api().configMapName(), AppConfig.API_URI)))
                .volumeMounts(List.of(K8s.readOnlyMount("files", "/scripts"), K8s.mount("served", SERVED)))
                .resources(K8s.resources(props.resources(), SERVED_SIZE))
                .securityContext(readOnlyRestricted())
                .build());
    }

    private static SecurityContext readOnlyRestricted() {
        return SecurityContext.builder()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .capabilities(Capabilities.builder().drop(List.of("ALL")).build())
                .build();
    }
}
