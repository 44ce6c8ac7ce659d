package keyboss.charts.monitoring;

import keyboss.charts.env.ClusterMetrics;
import keyboss.charts.network.ClusterNetwork;
import keyboss.charts.core.Component;
import keyboss.charts.network.Connection;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.env.MetricCatalog;
import keyboss.charts.env.MetricSets;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.model.Rendering;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.JsonPatch;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaim;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import software.constructs.Construct;

/**
 * The shop's own Prometheus: its ServiceAccount and permissions (pods, services and endpoints for
 * discovery; the kubelets' metrics where the cluster admits cluster-scoped objects), its
 * configuration and rules as ConfigMaps, its claim, Deployment and Service (objects
 * {@code prometheus-*}). It scrapes itself, the pods annotated {@code prometheus.io/scrape} and,
 * cluster-wide, the API server, kubelets, cAdvisor and Traefik; where the environment names a
 * central Prometheus, it federates from it what the cluster declares and nothing here produces.
 *
 * <p>Every other job comes from the construct that serves the metrics: {@link #scrape} or
 * {@link #addScrapeTarget} registers it, and prometheus.yml is rendered from the registered
 * targets, sorted by {@link ScrapeTarget#order()} (then registration order). The ConfigMaps keep
 * their place among the objects and follow later registrations: each one replaces the rendered
 * file (a JSON patch, applied at synthesis).
 */
public class Prometheus extends Component {

    /** Its port: the container's, the Service's, Grafana's datasource and the alerting connections'. */
    public static final NamedPort PORT = new NamedPort("prometheus", 9090);
    /** Where it serves everything (it is reached through port-forward or inside the cluster). */
    public static final String ROUTE_PREFIX = "/prometheus/";
    /**
     * Its external URL: where {@code kubectl port-forward svc/prometheus 9090} serves it (it is
     * not routed on the public host), so links in alerts lead somewhere that exists.
     */
    public static final String LOCAL_URL = "http://localhost:" + PORT.number() + ROUTE_PREFIX;
    /** The kubelet's authenticated HTTPS port, where Prometheus reads node and cAdvisor metrics. */
    static final int KUBELET_PORT = 10250;
    static final String NAME = "prometheus";
    private static final String CONFIG_FILE = "prometheus.yml";
    private static final String RULES_FILE = "keyboss.rules.yml";

    private final PrometheusProps props;
    private final boolean clusterWide;
    private final String namespace;
    private final List<ScrapeTarget> targets = new ArrayList<>();
    private final List<Alertmanager> alertmanagers = new ArrayList<>();
    private final List<AlertRule> rules = new ArrayList<>();
    private final KubeConfigMap config;
    private final KubeConfigMap rulesConfig;
    private final KubeDeployment deployment;

    public Prometheus(Construct scope, String id) {
        this(scope, id, PrometheusProps.builder().build());
    }

    public Prometheus(Construct scope, String id, PrometheusProps props) {
        super(scope, id);
        this.props = new PrometheusProps(
                props.scrapeInterval() != null ? props.scrapeInterval() : "15s",
                props.retentionTime() != null ? props.retentionTime() : "15d",
                props.storage() != null ? props.storage() : environment.defaultVolumeSize(),
                props.resources() != null ? props.resources() : ContainerResources.of("200m", "512Mi", "1", "1Gi"));
        this.clusterWide = environment.clusterScopedAllowed();
        this.namespace = environment.namespace();
        ownJobs();
        Map<String, String> labels = MonitoringPods.labels(NAME);
        MonitoringPods.account(this, namespace, NAME, List.of(
                MonitoringPods.rule(List.of(""), List.of("pods", "services", "endpoints"), List.of("get", "list", "watch"))),
                // nodes/metrics lets it read the kubelets directly; nodes/proxy (the API server's
                // proxy to any kubelet endpoint, exec included) is not granted.
                clusterWide ? List.of(MonitoringPods.rule(List.of(""), List.of("nodes", "nodes/metrics"),
                        List.of("get", "list", "watch"))) : List.of(), clusterWide);
        this.config = new KubeConfigMap(this, "prometheus-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("prometheus-config", labels))
                .data(Map.of(CONFIG_FILE, Rendering.toYaml(prometheusConfig())))
                .build());
        this.rulesConfig = new KubeConfigMap(this, "prometheus-rules", KubeConfigMapProps.builder()
                .metadata(K8s.meta("prometheus-rules", labels))
                .data(Map.of(RULES_FILE, rulesFile()))
                .build());
        Size storage = this.props.storage();
        new KubePersistentVolumeClaim(this, "prometheus-data", KubePersistentVolumeClaimProps.builder()
                .metadata(K8s.meta("prometheus-data", labels))
                .spec(K8s.claimSpec(environment, storage))
                .build());
        // Keep the database under the claim: at most 80% of it.
        long retentionMb = storage.bytes().multiply(java.math.BigDecimal.valueOf(0.8))
                .divide(java.math.BigDecimal.valueOf(1L << 20), java.math.RoundingMode.DOWN).longValue();
        // Prometheus writes only its database (the claim at /prometheus, queries.active included).
        this.deployment = MonitoringPods.server(this, new MonitoringPods.Server(NAME, PORT, environment.images().monitoring().prometheus(),
                ROUTE_PREFIX + "-/ready", ROUTE_PREFIX + "-/healthy", MonitoringPods.NOBODY, List.of(
                "--config.file=/etc/prometheus/" + CONFIG_FILE, "--storage.tsdb.path=/prometheus",
                "--storage.tsdb.retention.time=" + this.props.retentionTime(), "--storage.tsdb.retention.size=" + retentionMb + "MB",
                "--web.external-url=" + LOCAL_URL, "--web.route-prefix=" + ROUTE_PREFIX),
                List.of(), List.of(K8s.configMapVolume("config", "prometheus-config"), K8s.configMapVolume("rules", "prometheus-rules"),
                        K8s.claimVolume("data", "prometheus-data")),
                List.of(K8s.readOnlyMount("config", "/etc/prometheus"), K8s.readOnlyMount("rules", "/etc/prometheus/rules"),
                        K8s.mount("data", "/prometheus")), NAME, this.props.resources(), List.of()));
    }

    /**
     * Prometheus' own jobs: itself, the annotated pods of the namespace (of the cluster where
     * discovery is cluster-wide) and, cluster-wide, the API server, the kubelets' node and
     * cAdvisor metrics and Traefik.
     */
    private void ownJobs() {
        targets.add(ScrapeTarget.builder("prometheus").order(ScrapeTarget.ORDER_SELF).path(ROUTE_PREFIX + "metrics")
                .address(PORT.address("localhost")).build());
        Map<String, Object> podsSd = new LinkedHashMap<>(Map.of("role", "pod"));
        if (!clusterWide) {
            podsSd.put("namespaces", Map.of("names", List.of(namespace)));
        }
        targets.add(ScrapeTarget.builder("kubernetes-pods").order(ScrapeTarget.ORDER_DISCOVERY)
                .setting("kubernetes_sd_configs", List.of(podsSd)).relabelling(List.of(
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"), "action", "keep", "regex", "true"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"), "action", "replace",
                        "target_label", "__metrics_path__", "regex", "(.+)"),
                Map.of("source_labels", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                        "action", "replace", "regex", "([^:]+)(?::\\d+)?;(\\d+)", "replacement", "$1:$2", "target_label", "__address__"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "target_label", "job"),
                Map.of("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod")))
                // Whatever annotated pods expose is not known here, so the catalog lists only their up.
                .targetLabels(List.of("job", "instance", "namespace", "pod")).build());
        if (!clusterWide) {
            return;
        }
        Map<String, Object> tls = Map.of("ca_file", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
        Map<String, Object> token = Map.of("credentials_file", "/var/run/secrets/kubernetes.io/serviceaccount/token");
        targets.add(ScrapeTarget.builder("kubernetes-apiserver").order(ScrapeTarget.ORDER_DISCOVERY + 1)
                .setting("scheme", "https").setting("tls_config", tls).setting("authorization", token)
                .setting("kubernetes_sd_configs", List.of(Map.of("role", "endpoints"))).relabelling(List.of(Map.of(
                        "source_labels", List.of("__meta_kubernetes_namespace", "__meta_kubernetes_service_name",
                                "__meta_kubernetes_endpoint_port_name"), "action", "keep", "regex", "default;kubernetes;https")))
                .build());
        // Straight to each kubelet (the node role's address is its InternalIP:10250), which
        // authorises the token for nodes/metrics; no detour through the API server's nodes/proxy.
        targets.add(ScrapeTarget.builder("kubernetes-nodes").order(ScrapeTarget.ORDER_DISCOVERY + 2)
                .setting("scheme", "https").setting("tls_config", tls).setting("authorization", token).path("/metrics")
                .setting("kubernetes_sd_configs", List.of(Map.of("role", "node"))).build());
        targets.add(ScrapeTarget.builder("kubernetes-cadvisor").order(ScrapeTarget.ORDER_DISCOVERY + 3)
                .setting("scheme", "https").setting("tls_config", tls).setting("authorization", token).path("/metrics/cadvisor")
                .setting("kubernetes_sd_configs", List.of(Map.of("role", "node"))).families(MetricSets.cadvisor()).build());
        targets.add(ScrapeTarget.builder("traefik").order(ScrapeTarget.ORDER_DISCOVERY + 4)
                .setting("kubernetes_sd_configs", List.of(Map.of("role", "pod", "namespaces", Map.of("names", List.of("kube-system")))))
                .relabelling(List.of(
                        Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "action", "keep", "regex", "traefik"),
                        Map.of("source_labels", List.of("__address__"), "regex", "([^:]+)(?::\\d+)?", "replacement", "$1:9100",
                                "target_label", "__address__")))
                .reach(environment.network().ingressController(), NetworkPort.tcp(9100))
                .families(MetricSets.traefik()).build());
    }

    /** Registers every job of {@code component}; returns them. */
    public List<ScrapeTarget> scrape(Scraped component) {
        List<ScrapeTarget> added = component.scrapeTargets();
        added.forEach(this::addScrapeTarget);
        return added;
    }

    /**
     * Registers {@code target}: prometheus.yml, the catalog and the connections follow. A job
     * already registered under the same name must agree in everything but its addresses (it
     * then renders as one job with all of them).
     */
    public ScrapeTarget addScrapeTarget(ScrapeTarget target) {
        for (ScrapeTarget t : targets) {
            if (t.job().equals(target.job()) && !t.sameJobAs(target)) {
                throw new IllegalArgumentException("Prometheus " + getNode().getPath() + ": scrape job '" + target.job()
                        + "' is registered twice with different settings; give the second one another job name");
            }
        }
        targets.add(target);
        config.addJsonPatch(JsonPatch.replace("/data/" + CONFIG_FILE, Rendering.toYaml(prometheusConfig())));
        return target;
    }

    /** Sends alerts to {@code alertmanager}. */
    public void addAlertmanager(Alertmanager alertmanager) {
        alertmanagers.add(alertmanager);
        config.addJsonPatch(JsonPatch.replace("/data/" + CONFIG_FILE, Rendering.toYaml(prometheusConfig())));
    }

    /** Evaluates {@code more} (after the rules added before). */
    public void addRules(List<AlertRule> more) {
        rules.addAll(more);
        rulesConfig.addJsonPatch(JsonPatch.replace("/data/" + RULES_FILE, rulesFile()));
    }

    /** The registered jobs in their prometheus.yml order (sort key {@link ScrapeTarget#order()}, then registration). */
    public List<ScrapeTarget> scrapeTargets() {
        List<ScrapeTarget> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparingInt(ScrapeTarget::order)); // stable: registration order within a key
        return List.copyOf(sorted);
    }

    /** The alerting rules as a Prometheus rule file. */
    public String rulesFile() {
        return Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules",
                rules.stream().map(r -> (Object) r.toPrometheus()).toList()))));
    }

    public List<AlertRule> rules() {
        return List.copyOf(rules);
    }

    /** Its Service's name (the pods' and the Deployment's too). */
    public String serviceName() {
        return NAME;
    }

    /** Its URL inside the namespace, route prefix included, without a trailing slash. */
    public String internalUrl() {
        return "http://" + PORT.address(NAME) + ROUTE_PREFIX.substring(0, ROUTE_PREFIX.length() - 1);
    }

    /** Its pods, standing for its Deployment. */
    public NetworkPeer peer() {
        return MonitoringPods.peer(NAME, deployment);
    }

    /** The jobs of prometheus.yml, one per job name, in order, the federation last. */
    private List<Object> scrapeConfigs() {
        List<Object> jobs = new ArrayList<>();
        List<ScrapeTarget> sorted = scrapeTargets();
        java.util.Set<String> done = new java.util.HashSet<>();
        for (ScrapeTarget t : sorted) {
            if (done.add(t.job())) {
                jobs.add(t.toPrometheus(addresses(sorted, t.job())));
            }
        }
        Map<String, Object> federation = federationJob();
        if (federation != null) {
            jobs.add(federation);
        }
        return jobs;
    }

    private static List<String> addresses(List<ScrapeTarget> targets, String job) {
        return targets.stream().filter(t -> t.job().equals(job)).flatMap(t -> t.addresses().stream()).toList();
    }

    /** prometheus.yml: scrapes and evaluation at the same interval, the rules, Alertmanager, and the jobs. */
    private Map<String, Object> prometheusConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("global", Map.of("scrape_interval", props.scrapeInterval(), "evaluation_interval", props.scrapeInterval()));
        c.put("rule_files", List.of("/etc/prometheus/rules/*.yml"));
        if (!alertmanagers.isEmpty()) {
            c.put("alerting", Map.of("alertmanagers", alertmanagers.stream().map(a -> (Object) Map.of(
                    "path_prefix", Alertmanager.ROUTE_PREFIX,
                    "static_configs", List.of(Map.of("targets", List.of(Alertmanager.PORT.address(a.serviceName())))))).toList()));
        }
        c.put("scrape_configs", scrapeConfigs());
        return c;
    }

    /** The catalog of the registered jobs alone (what the federation need not bring). */
    private MetricCatalog.Builder ownCatalog() {
        MetricCatalog.Builder c = new MetricCatalog.Builder(environment.name() + " in-namespace Prometheus");
        java.util.Set<String> done = new java.util.HashSet<>();
        for (ScrapeTarget t : scrapeTargets()) {
            if (done.add(t.job())) {
                c.scraped("job " + t.job(), t.families(), t.targetLabels());
            }
        }
        return c;
    }

    /** What the cluster declares and no registered job produces, by producer, as the federation brings it. */
    private Map<ClusterMetrics, Map<String, List<String>>> federated() {
        Map<ClusterMetrics, Map<String, List<String>>> out = new LinkedHashMap<>();
        MonitoringSettings settings = environment.monitoring();
        if (settings.centralPrometheusUrl() == null) {
            return out;
        }
        MetricCatalog own = ownCatalog().build();
        for (ClusterMetrics m : settings.clusterMetrics()) {
            Map<String, List<String>> families = new java.util.TreeMap<>(m.families());
            families.keySet().removeIf(own::holds);
            out.put(m, families);
        }
        return out;
    }

    /** What only the cluster sees comes from the central Prometheus, this tenant's series only. */
    private Map<String, Object> federationJob() {
        List<String> match = new ArrayList<>();
        federated().forEach((m, families) -> families.keySet().forEach(f -> match.add(m.federationMatch(f, namespace))));
        if (match.isEmpty()) {
            return null;
        }
        java.net.URI central = java.net.URI.create(environment.monitoring().centralPrometheusUrl());
        String prefix = central.getPath() == null ? "" : central.getPath().replaceAll("/+$", "");
        return Map.of("job_name", "central-federation", "honor_labels", true, "scheme", central.getScheme(),
                "metrics_path", prefix + "/federate", "params", Map.of("match[]", List.copyOf(match)),
                "scrape_interval", "30s", "static_configs", List.of(Map.of("targets", List.of(central.getHost() + ":" + centralPort(central)))));
    }

    private static int centralPort(java.net.URI central) {
        return central.getPort() != -1 ? central.getPort() : central.getScheme().equals("https") ? 443 : 80;
    }

    /**
     * What it holds, by producer: every registered job (labelled as its scrape labels it) and
     * what the federation brings as it is. It evaluates every rule and feeds its Grafana.
     */
    public MetricCatalog catalog() {
        MetricCatalog.Builder c = ownCatalog();
        federated().forEach((m, families) -> c.asIs("job central-federation (" + m.producer() + ")", families));
        return c.build();
    }

    /**
     * To every target of its jobs (as each job declares it), to its Alertmanagers, the API
     * server (discovery), the central Prometheus it federates from and, cluster-wide, the
     * kubelets. It waits for none of them ({@link Connection#withoutWaiting()}): it starts first
     * and watches the rest of the sync.
     */
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        NetworkPeer self = peer();
        List<ScrapeTarget> sorted = scrapeTargets();
        java.util.Set<String> done = new java.util.HashSet<>();
        for (ScrapeTarget t : sorted) {
            if (!done.add(t.job())) {
                continue;
            }
            // Declared by the job's own kind: discovery jobs' reaches come after the API server below.
            if (t.order() >= ScrapeTarget.ORDER_DISCOVERY && t.order() < ScrapeTarget.ORDER_DEFAULT) {
                continue;
            }
            for (ScrapeTarget same : sorted.stream().filter(s -> s.job().equals(t.job())).toList()) {
                for (ScrapeTarget.Reach r : same.reaches()) {
                    out.add(Connection.of(self, r.peer(), "scrape job " + t.job(), r.port()).withoutWaiting());
                }
            }
        }
        if (federationJob() != null) {
            java.net.URI central = java.net.URI.create(environment.monitoring().centralPrometheusUrl());
            String[] labels = central.getHost().split("\\.");
            NetworkPeer peer = labels.length >= 3 && labels[2].equals("svc") && !labels[1].equals(namespace)
                    ? NetworkPeer.inNamespace("central-prometheus", labels[1], Map.of())
                    : NetworkPeer.pods(labels[0], Labels.selector(labels[0]));
            out.add(Connection.of(self, peer, "scrape job central-federation", NetworkPort.tcp(centralPort(central))).withoutWaiting());
        }
        for (Alertmanager a : alertmanagers) {
            out.add(Connection.of(self, a.peer(), "alerts", Alertmanager.PORT.tcp()).withoutWaiting());
        }
        // kubernetes_sd (the kubernetes-pods job everywhere; the cluster-wide jobs where allowed).
        ClusterNetwork network = environment.network();
        out.addAll(network.toKubeApi(self, "service discovery and the API server's own metrics"));
        for (ScrapeTarget t : sorted) {
            if (t.order() >= ScrapeTarget.ORDER_DISCOVERY && t.order() < ScrapeTarget.ORDER_DEFAULT) {
                for (ScrapeTarget.Reach r : t.reaches()) {
                    out.add(Connection.of(self, r.peer(), "scrape job " + t.job(), r.port()).withoutWaiting());
                }
            }
        }
        if (clusterWide) {
            out.add(Connection.of(self, network.kubelets(), "scrape jobs kubernetes-nodes and kubernetes-cadvisor",
                    NetworkPort.tcp(KUBELET_PORT)).withoutWaiting());
        }
        return List.copyOf(out);
    }
}
