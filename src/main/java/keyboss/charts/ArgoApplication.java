package keyboss.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObject;
import software.constructs.Construct;

/**
 * An Argo CD Application that keeps a folder of this repository synced to a namespace:
 * automated sync with prune and self-heal, server-side apply (large ConfigMaps would not fit
 * the client-side last-applied annotation), and CreateNamespace only where allowed.
 *
 * <p>Objects (ids are public API): {@code application}.
 */
public class ArgoApplication extends Component {

    /**
     * @param name            Application name.
     * @param path            folder of this repository, e.g. {@code dist/deti}.
     * @param namespace       destination namespace.
     * @param createNamespace whether Argo CD may create the destination namespace.
     */
    public record Props(String name, String path, String namespace, boolean createNamespace) {
    }

    private final ApiObject application;

    public ArgoApplication(Construct scope, String id, Props props) {
        super(scope, id);
        GitOps gitOps = environment.gitOps();
        Checks.dnsLabel(this, "name", props.name(), Names.MAX_LABEL, "");
        List<String> syncOptions = new ArrayList<>(List.of("ServerSideApply=true", "PruneLast=true"));
        if (props.createNamespace()) {
            syncOptions.add("CreateNamespace=true");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", gitOps.project());
        spec.put("source", Map.of("repoURL", gitOps.repoUrl(), "targetRevision", gitOps.targetRevision(), "path", props.path()));
        spec.put("destination", Map.of("server", "https://kubernetes.default.svc", "namespace", props.namespace()));
        spec.put("syncPolicy", Map.of(
                "automated", Map.of("prune", true, "selfHeal", true),
                "syncOptions", List.copyOf(syncOptions),
                "retry", Map.of("limit", 5, "backoff", Map.of("duration", "10s", "factor", 2, "maxDuration", "3m"))));
        this.application = CustomResources.create(this, "application", CustomResources.ARGO_APPLICATION, "Application",
                props.name(), Labels.of(props.name(), "gitops"), Map.of(), Map.copyOf(spec));
    }

    public ApiObject application() {
        return application;
    }
}
