package keyboss.charts.gitops;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.CustomResources;
import keyboss.charts.env.GitOps;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Names;

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

    private final ApiObject application;

    public ArgoApplication(Construct scope, String id, ArgoApplicationProps props) {
        super(scope, id);
        java.util.Objects.requireNonNull(props, "ArgoApplication props");
        GitOps gitOps = environment.gitOps();
        Checks.dnsLabel(this, "name", props.name(), Names.MAX_LABEL, "");
        Checks.required(this, "path", props.path(), "\"dist/deti\"");
        Checks.required(this, "namespace", props.namespace(), "\"tenant-keyboss\"");
        if (hasProblems()) {
            this.application = null;
            return;
        }
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

    /** The Application (empty when its input had problems: then it built nothing). */
    public java.util.Optional<ApiObject> application() {
        return java.util.Optional.ofNullable(application);
    }
}
