package keyboss.charts.app;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.env.Environment;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.core.Workloads;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.PodSpec;
import software.constructs.Construct;

/**
 * Celery workers that deliver the keys (CUJ2): the API's image and configuration, reaching
 * Valkey through the Sentinels, autoscaled 2-4 and spread over nodes. The liveness check asks
 * the worker itself, through the broker, to answer a ping, so a worker that is running but cut
 * off from its queue is restarted.
 *
 * <p>Objects (ids are public API): {@code deployment}, {@code hpa}, {@code pdb}.
 */
public class CeleryWorkers extends Component implements Connected {

    /** Extra time, beyond the longest task, for the worker to stop cleanly. */
    static final int SHUTDOWN_MARGIN_SECONDS = 30;

    private final String name;
    private final KubeDeployment deployment;
    private final SaleorApi api;

    public CeleryWorkers(Construct scope, String id, CeleryWorkersProps props) {
        super(scope, id);
        Environment env = environment;
        Objects.requireNonNull(props, "CeleryWorkers props");
        Checks.required(this, "api", props.api(), "the chart's SaleorApi");
        Checks.dnsLabel(this, "name", props.name(), 50, " (the HPA is <name>-hpa and Deployments add pod suffixes)");
        if (Checks.required(this, "autoscaling", props.autoscaling(), "Autoscaling.of(2, 4, 90)")) {
            props.autoscaling().validate(this, "autoscaling");
        }
        Checks.between(this, "concurrency", props.concurrency(), 1, 64, "tasks at once per pod", "use 2");
        Checks.between(this, "maxTaskSeconds", props.maxTaskSeconds(), 1, 3600, "seconds", "use 300");
        Checks.required(this, "resources", props.resources(), "ContainerResources.of(\"200m\", \"384Mi\", \"1\", \"768Mi\")");
        this.name = props.name();
        this.api = props.api();
        if (hasProblems() || props.api().hasProblems()) {
            this.deployment = null;
            return;
        }
        SaleorApi api = props.api();
        Map<String, String> labels = Labels.of(name, "worker");
        String app = "saleor.celeryconf:app";
        Container worker = Container.builder()
                .name("celery-worker")
                .image(env.images().saleor().image())
                .imagePullPolicy(env.images().saleor().pullPolicy().value())
                .command(List.of("celery", "--app", app, "worker", "--events", "--loglevel", "info",
                        "--concurrency", Integer.toString(props.concurrency()),
                        "--time-limit", Integer.toString(props.maxTaskSeconds())))
                .envFrom(api.environmentFrom())
                .env(api.environment())
                // The worker must answer its own name through the broker within 20 s.
                .livenessProbe(K8s.execProbe(List.of("sh", "-c",
                        "celery --app " + app + " inspect ping --destination celery@$HOSTNAME --timeout 20"),
                        60, 30, 3))
                // Its Saleor tasks write where the API does (exports into the media folder, /tmp).
                .resources(K8s.resources(props.resources(), SaleorApi.SCRATCH))
                .securityContext(K8s.restrictedContainer())
                .volumeMounts(api.mounts())
                .build();
        this.deployment = Workloads.deployment(this, "deployment", name, labels, null, PodSpec.builder()
                .securityContext(K8s.restrictedPod(SaleorApi.SALEOR_UID, SaleorApi.SALEOR_UID))
                .automountServiceAccountToken(false)
                .affinity(Workloads.spreadOverNodes(name))
                .terminationGracePeriodSeconds(props.maxTaskSeconds() + SHUTDOWN_MARGIN_SECONDS)
                .initContainers(List.of(api.container("wait-for-migrations", "wait-for-migrations.sh", env)))
                .containers(List.of(worker))
                .volumes(api.volumes())
                .build());
        // Postgres and Valkey come from the connections; the schema from the migrations, which the pods wait for.
        chart.dependsOn(deployment, api.migrationsJob(), "the workers' pods wait for the migrations (wait-for-migrations)");
        Workloads.autoscaler(this, "hpa", name + "-hpa", name, labels, props.autoscaling());
        Workloads.disruptionBudget(this, "pdb", name, labels, 1);
    }

    public String name() {
        return name;
    }

    /** The Deployment (empty when its input had problems: then it built nothing). */
    public Optional<KubeDeployment> deployment() {
        return Optional.ofNullable(deployment);
    }

    /** The workers' pods. */
    public NetworkPeer peer() {
        return NetworkPeer.pods(name, Labels.selector(name), deployment);
    }

    /** Workers run Saleor's code: the same database and broker as the API. */
    @Override
    public List<Connection> connections() {
        return api == null ? List.of() : List.copyOf(api.backendConnections(peer()));
    }
}
