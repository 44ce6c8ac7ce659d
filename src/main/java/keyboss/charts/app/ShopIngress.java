package keyboss.charts.app;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.core.CustomResources;
import keyboss.charts.env.Environment;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Names;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.core.Problems;
import keyboss.charts.core.ServiceBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cdk8s.JsonPatch;
import org.cdk8s.plus25.k8s.HttpIngressPath;
import org.cdk8s.plus25.k8s.HttpIngressRuleValue;
import org.cdk8s.plus25.k8s.IngressBackend;
import org.cdk8s.plus25.k8s.IngressRule;
import org.cdk8s.plus25.k8s.IngressServiceBackend;
import org.cdk8s.plus25.k8s.IngressSpec;
import org.cdk8s.plus25.k8s.IngressTls;
import org.cdk8s.plus25.k8s.KubeIngress;
import org.cdk8s.plus25.k8s.KubeIngressProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import org.cdk8s.plus25.k8s.ServiceBackendPort;
import software.constructs.Construct;

/**
 * The shop's Ingress on the environment's public host (seed 3.3.9): {@code /} to the
 * storefront, {@code /graphql/} to the API, {@code /dashboard/} to the dashboard. Plain
 * networking.k8s.io Ingress paths: each app serves itself under its path. {@link #addPath} routes
 * another path to a {@link ServiceBackend} (Grafana, for example).
 *
 * <p>Where the environment names a TLS Secret ({@link Environment#tls()}) the Ingress serves the
 * host with it, and where the cluster admits Traefik Middlewares
 * ({@link Environment#traefikMiddlewaresAllowed()}) a {@code redirectScheme} Middleware sends
 * plain HTTP to HTTPS permanently. Elsewhere (deti refuses traefik.io objects) HTTP is not
 * redirected: the same routes answer on both ports, and secure cookies keep sessions on HTTPS.
 *
 * <p>Objects (ids are public API): {@code ingress}, {@code https-redirect} (only with TLS where
 * Middlewares are allowed).
 */
public class ShopIngress extends Component implements Connected {

    /** The redirect Middleware's name. */
    public static final String HTTPS_REDIRECT = "https-redirect";
    /** Traefik's Ingress annotation naming the Middlewares of every router the Ingress makes. */
    static final String MIDDLEWARES_ANNOTATION = "traefik.ingress.kubernetes.io/router.middlewares";

    /** One routed path and the Service port it sends requests to. */
    public record Route(String path, ServiceBackend backend) {

        /** The Service's name. */
        public String service() {
            return backend.service();
        }

        /** The Service port's name. */
        public String portName() {
            return backend.portName();
        }
    }

    private final KubeIngress ingress;
    private final List<Route> routes = new ArrayList<>();

    /** Routes the storefront, the API and the dashboard of {@code props} on the public host. */
    public ShopIngress(Construct scope, String id, ShopIngressProps props) {
        super(scope, id);
        java.util.Objects.requireNonNull(props, "ShopIngress props");
        Environment env = environment;
        String publicHost = props.host() == null ? env.publicHost() : props.host();
        if (Names.dnsSubdomainProblem(publicHost) != null) {
            // Reported; the Ingress is still built (with the host as given), so its accessors stay usable.
            Problems.report(this, "host", "'" + publicHost + "'", "a DNS name (dot-separated lower-case labels)",
                    Names.dnsSubdomainProblem(publicHost) + "; or leave host unset to use the environment's");
        }
        boolean complete = Checks.required(this, "api", props.api(), "the chart's SaleorApi")
                & Checks.required(this, "dashboard", props.dashboard(), "the chart's Dashboard")
                & Checks.required(this, "storefront", props.storefront(), "the chart's Storefront");
        if (complete) {
            routes.add(new Route(props.api().path(), props.api().backend()));
            routes.add(new Route(props.dashboard().path(), props.dashboard().backend()));
            routes.add(new Route(props.storefront().path(), props.storefront().backend()));
        }
        Map<String, String> labels = Labels.of("keyboss", "ingress");
        Map<String, String> annotations = Map.of();
        if (env.tls().isPresent() && env.traefikMiddlewaresAllowed()) {
            CustomResources.create(this, HTTPS_REDIRECT, CustomResources.TRAEFIK_MIDDLEWARE, "Middleware", HTTPS_REDIRECT,
                    labels, Map.of(), Map.of("redirectScheme", Map.of("scheme", "https", "permanent", true)));
            // Traefik names a Middleware of the Kubernetes CRD provider <namespace>-<name>@kubernetescrd.
            annotations = Map.of(MIDDLEWARES_ANNOTATION, env.namespace() + "-" + HTTPS_REDIRECT + "@kubernetescrd");
        }
        IngressSpec.Builder spec = IngressSpec.builder()
                .ingressClassName(env.ingressClassName())
                .rules(List.of(IngressRule.builder()
                        .host(publicHost)
                        .http(HttpIngressRuleValue.builder()
                                .paths(routes.stream().map(ShopIngress::path).toList())
                                .build())
                        .build()));
        env.tls().ifPresent(tls -> spec.tls(List.of(IngressTls.builder()
                .hosts(List.of(publicHost)).secretName(tls.secretName()).build())));
        this.ingress = new KubeIngress(this, "ingress", KubeIngressProps.builder()
                .metadata(annotations.isEmpty() ? K8s.meta("keyboss", labels)
                        : ObjectMeta.builder().name("keyboss").labels(labels).annotations(annotations).build())
                .spec(spec.build())
                .build());
    }

    private static HttpIngressPath path(Route r) {
        return HttpIngressPath.builder()
                .path(r.path())
                .pathType("Prefix")
                .backend(IngressBackend.builder()
                        .service(IngressServiceBackend.builder()
                                .name(r.service())
                                .port(ServiceBackendPort.builder().name(r.portName()).build())
                                .build())
                        .build())
                .build();
    }

    /**
     * Routes {@code path} (which must start and end with '/') on the public host to
     * {@code backend}, and returns the route. The Ingress syncs after the backend's workloads. A
     * bad path is reported (synthesis refuses) and not added; the route is returned all the same.
     */
    public Route addPath(String path, ServiceBackend backend) {
        Route route = new Route(path, java.util.Objects.requireNonNull(backend, "ShopIngress.addPath: backend"));
        if (!Checks.path(this, "addPath(path)", path)) {
            return route;
        }
        routes.add(route);
        ingress.addJsonPatch(JsonPatch.add("/spec/rules/0/http/paths/-", K8s.stable(Map.of(
                "path", path, "pathType", "Prefix",
                "backend", Map.of("service", Map.of("name", backend.service(), "port", Map.of("name", backend.portName())))))));
        return route;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public KubeIngress ingress() {
        return ingress;
    }

    /**
     * The cluster's ingress controller opens a connection to each routed Service's pods, on the
     * routed port. It does so for this Ingress, which therefore syncs after the routed workloads.
     */
    @Override
    public List<Connection> connections() {
        NetworkPeer controller = environment.network().ingressController().withObjects(ingress);
        return routes.stream().map(r -> Connection.of(controller, r.backend().pods(), "route " + r.path(),
                NetworkPort.named(r.portName()))).toList();
    }
}
