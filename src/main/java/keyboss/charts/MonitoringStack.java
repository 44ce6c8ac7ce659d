package keyboss.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.ContainerPort;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.HttpGetAction;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeClusterRole;
import org.cdk8s.plus25.k8s.KubeClusterRoleBinding;
import org.cdk8s.plus25.k8s.KubeClusterRoleBindingProps;
import org.cdk8s.plus25.k8s.KubeClusterRoleProps;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaim;
import org.cdk8s.plus25.k8s.KubePersistentVolumeClaimProps;
import org.cdk8s.plus25.k8s.KubeRole;
import org.cdk8s.plus25.k8s.KubeRoleBinding;
import org.cdk8s.plus25.k8s.KubeRoleBindingProps;
import org.cdk8s.plus25.k8s.KubeRoleProps;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ConfigMapVolumeSource;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PolicyRule;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.RoleRef;
import org.cdk8s.plus25.k8s.Subject;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * The seed's observability (section 4) as one construct: Prometheus (15 s scrapes, 15 d
 * retention, the seed's scrape jobs, alert rules as code), Alertmanager (routes by severity,
 * inhibition), Grafana (three dashboards provisioned from ConfigMaps), kube-state-metrics, two
 * PostgreSQL exporters, a Valkey exporter and the keyboss probe exporter. Where the cluster
 * admits cluster-scoped objects, discovery and kube-state-metrics are cluster-wide; elsewhere
 * they are confined to the namespace with Roles. Where the cluster runs the Prometheus Operator,
 * ServiceMonitors with its labels feed the central Prometheus too. UIs are served under
 * /prometheus/, /alertmanager/ and /grafana/ by their own settings (no Traefik Middleware).
 *
 * <p>Objects (ids are public API) are named after the component: {@code prometheus-*},
 * {@code alertmanager-*}, {@code grafana-*}, {@code ksm-*}, {@code postgres-exporter-N-*},
 * {@code redis-exporter-*}, {@code keyboss-exporter-*}, {@code *-monitor}.
 */
public class MonitoringStack extends Component {

    /** What the stack watches. All required. */
    public record Props(SaleorApi api, CeleryWorkers workers, Storefront storefront, PostgresHA postgres,
            ValkeySentinel valkey, BackupCronJob backup, ShopIngress ingress, SecretContract secrets,
            List<AlertRule> extraRules) {

        /** The stack with only the shop's own rules. */
        public Props(SaleorApi api, CeleryWorkers workers, Storefront storefront, PostgresHA postgres,
                ValkeySentinel valkey, BackupCronJob backup, ShopIngress ingress, SecretContract secrets) {
            this(api, workers, storefront, postgres, valkey, backup, ingress, secrets, List.of());
        }
    }

    static final int NOBODY = 65534;
    private static final List<String> KSM_RESOURCES = List.of("pods", "deployments", "statefulsets", "replicasets",
            "jobs", "cronjobs", "horizontalpodautoscalers", "poddisruptionbudgets", "services", "endpoints",
            "persistentvolumeclaims");

    private final List<AlertRule> rules;
    private final List<GrafanaDashboard> dashboards;
    private final String namespace;

    public MonitoringStack(Construct scope, String id, Props props) {
        super(scope, id);
        this.namespace = environment.namespace();
        List<AlertRule> all = new ArrayList<>(AlertRules.forShop(namespace, props.api(), props.storefront(),
                props.workers(), props.postgres(), props.valkey(), props.backup()));
        all.addAll(props.extraRules());
        this.rules = List.copyOf(all);
        this.dashboards = Dashboards.forShop(namespace, environment.monitoring().endpointLabel(), props.api(),
                props.storefront(), props.workers(), props.postgres(), props.valkey(), props.backup());
        for (AlertRule rule : rules) {
            if (rule.problem() != null) {
                Problems.report(this, "rules." + rule.name(), rule.forDuration(), "a valid alerting rule", rule.problem());
            }
        }
        if (hasProblems()) {
            return;
        }
        MonitoringImages images = environment.images().monitoring();
        boolean clusterWide = environment.clusterScopedAllowed();

        // Prometheus
        Map<String, String> promLabels = Labels.of("prometheus", "monitoring");
        account("prometheus", promLabels, List.of(
                rule(List.of(""), List.of("pods", "services", "endpoints"), List.of("get", "list", "watch"))),
                clusterWide ? List.of(rule(List.of(""), List.of("nodes", "nodes/proxy", "nodes/metrics"),
                        List.of("get", "list", "watch"))) : List.of(), clusterWide);
        new KubeConfigMap(this, "prometheus-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("prometheus-config", promLabels))
                .data(Map.of("prometheus.yml", Synthesizer.toYaml(prometheusConfig(clusterWide))))
                .build());
        new KubeConfigMap(this, "prometheus-rules", KubeConfigMapProps.builder()
                .metadata(K8s.meta("prometheus-rules", promLabels))
                .data(Map.of("keyboss.rules.yml", rulesFile()))
                .build());
        Size storage = environment.defaultVolumeSize();
        new KubePersistentVolumeClaim(this, "prometheus-data", KubePersistentVolumeClaimProps.builder()
                .metadata(K8s.meta("prometheus-data", promLabels))
                .spec(K8s.claimSpec(environment, storage))
                .build());
        // Keep the database under the claim: at most 80% of it.
        long retentionMb = storage.bytes().multiply(java.math.BigDecimal.valueOf(0.8))
                .divide(java.math.BigDecimal.valueOf(1L << 20), java.math.RoundingMode.DOWN).longValue();
        web("prometheus", "prometheus", images.prometheus(), 9090, "/prometheus/-/ready", NOBODY, List.of(
                "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
                "--storage.tsdb.retention.time=15d", "--storage.tsdb.retention.size=" + retentionMb + "MB",
                "--web.external-url=" + environment.publicUrl() + "/prometheus/", "--web.route-prefix=/prometheus/"),
                List.of(), List.of(K8s.configMapVolume("config", "prometheus-config"), K8s.configMapVolume("rules", "prometheus-rules"),
                        K8s.claimVolume("data", "prometheus-data")),
                List.of(K8s.readOnlyMount("config", "/etc/prometheus"), K8s.readOnlyMount("rules", "/etc/prometheus/rules"),
                        K8s.mount("data", "/prometheus")), "prometheus", ContainerResources.of("200m", "512Mi", "1", "1Gi"));

        // Alertmanager
        Map<String, String> amLabels = Labels.of("alertmanager", "monitoring");
        new KubeConfigMap(this, "alertmanager-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("alertmanager-config", amLabels))
                .data(Map.of("alertmanager.yml", Synthesizer.toYaml(alertmanagerConfig())))
                .build());
        web("alertmanager", "alertmanager", images.alertmanager(), 9093, "/alertmanager/-/ready", NOBODY, List.of(
                "--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
                "--web.external-url=" + environment.publicUrl() + "/alertmanager/", "--web.route-prefix=/alertmanager/"),
                List.of(), List.of(K8s.configMapVolume("config", "alertmanager-config"), K8s.emptyDirVolume("data")),
                List.of(K8s.readOnlyMount("config", "/etc/alertmanager"), K8s.mount("data", "/alertmanager")), null,
                ContainerResources.of("20m", "32Mi", "200m", "128Mi"));

        // Grafana
        Map<String, String> grafanaLabels = Labels.of("grafana", "monitoring");
        new KubeConfigMap(this, "grafana-provisioning", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-provisioning", grafanaLabels))
                .data(Map.of(
                        "datasources.yaml", Synthesizer.toYaml(Map.of("apiVersion", 1, "datasources", List.of(Map.of(
                                "name", "Prometheus", "uid", "prometheus", "type", "prometheus", "access", "proxy",
                                "url", "http://prometheus:9090/prometheus", "isDefault", true)))),
                        "dashboards.yaml", Synthesizer.toYaml(Map.of("apiVersion", 1, "providers", List.of(Map.of(
                                "name", "keyboss", "type", "file", "folder", "KeyBoss", "allowUiUpdates", false,
                                "options", Map.of("path", "/var/lib/grafana/dashboards")))))))
                .build());
        Map<String, String> dashboardLabels = new LinkedHashMap<>(grafanaLabels);
        if (environment.monitoring().centralGrafana()) {
            dashboardLabels.put("grafana_dashboard", "1");
        }
        Map<String, String> dashboardFiles = new LinkedHashMap<>();
        for (GrafanaDashboard d : dashboards) {
            dashboardFiles.put(d.uid() + ".json", Synthesizer.toJson(d.toJson("prometheus")));
        }
        new KubeConfigMap(this, "grafana-dashboards", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-dashboards", Map.copyOf(dashboardLabels)))
                .data(Map.copyOf(dashboardFiles))
                .build());
        web("grafana", "grafana", images.grafana(), 3000, "/grafana/api/health", 472, List.of(),
                List.of(K8s.envFromSecret("GF_SECURITY_ADMIN_PASSWORD", props.secrets().name(),
                                props.secrets().key("GRAFANA_ADMIN_PASSWORD")),
                        K8s.env("GF_SERVER_ROOT_URL", environment.publicUrl() + "/grafana/"),
                        K8s.env("GF_SERVER_SERVE_FROM_SUB_PATH", "true"),
                        K8s.env("GF_ANALYTICS_REPORTING_ENABLED", "false")),
                List.of(Volume.builder().name("provisioning").configMap(ConfigMapVolumeSource.builder().name("grafana-provisioning")
                                .items(List.of(KeyToPath.builder().key("datasources.yaml").path("datasources/datasources.yaml").build(),
                                        KeyToPath.builder().key("dashboards.yaml").path("dashboards/dashboards.yaml").build()))
                                .build()).build(),
                        K8s.configMapVolume("dashboards", "grafana-dashboards"), K8s.emptyDirVolume("data")),
                List.of(K8s.readOnlyMount("provisioning", "/etc/grafana/provisioning"),
                        K8s.readOnlyMount("dashboards", "/var/lib/grafana/dashboards"), K8s.mount("data", "/var/lib/grafana")),
                null, ContainerResources.of("50m", "128Mi", "500m", "256Mi"));

        // kube-state-metrics
        Map<String, String> ksmLabels = Labels.of("kube-state-metrics", "monitoring");
        account("kube-state-metrics", ksmLabels, List.of(
                rule(List.of(""), List.of("pods", "services", "endpoints", "persistentvolumeclaims"), List.of("list", "watch")),
                rule(List.of("apps"), List.of("deployments", "statefulsets", "replicasets"), List.of("list", "watch")),
                rule(List.of("batch"), List.of("jobs", "cronjobs"), List.of("list", "watch")),
                rule(List.of("autoscaling"), List.of("horizontalpodautoscalers"), List.of("list", "watch")),
                rule(List.of("policy"), List.of("poddisruptionbudgets"), List.of("list", "watch"))), List.of(), clusterWide);
        List<String> ksmArgs = new ArrayList<>(List.of("--resources=" + String.join(",", KSM_RESOURCES)));
        if (!clusterWide) {
            ksmArgs.add("--namespaces=" + namespace);
        }
        web("kube-state-metrics", "http-metrics", images.kubeStateMetrics(), 8080, "/healthz", NOBODY, ksmArgs, List.of(),
                List.of(), List.of(), "kube-state-metrics", ContainerResources.of("20m", "64Mi", "200m", "256Mi"));

        // Exporters
        for (int i = 0; i < 2; i++) {
            String name = "postgres-exporter-" + i;
            exporter(name, images.postgresExporter(), 9187, NOBODY, List.of(
                    K8s.env("DATA_SOURCE_URI", props.postgres().podHost(i) + ":" + props.postgres().port() + "/"
                            + props.postgres().database() + "?sslmode=disable"),
                    K8s.env("DATA_SOURCE_USER", props.postgres().monitorUser()),
                    K8s.envFromSecret("DATA_SOURCE_PASS", props.secrets().name(), props.secrets().key(props.postgres().monitorPasswordKey()))));
            chart.dependsOn("Deployment/" + name, "StatefulSet/" + props.postgres().name());
        }
        exporter("redis-exporter", images.redisExporter(), 9121, 59000, List.of(
                K8s.env("REDIS_ADDR", "redis://" + props.valkey().hosts().get(0))));
        chart.dependsOn("Deployment/redis-exporter", "StatefulSet/" + props.valkey().name());
        String url = environment.publicUrl();
        exporter("keyboss-exporter", images.keybossExporter(), 9100, 1000, List.of(
                K8s.env("PROBE_TARGETS", String.join(",", url + "/", url + props.api().path(), url + "/dashboard/",
                        url + "/default-channel/products/", props.api().internalUrl())),
                K8s.env("PROBE_INTERVAL_SECONDS", "15")));
        chart.dependsOn("Deployment/keyboss-exporter", "Ingress/keyboss");

        props.ingress().addPath("/prometheus/", "prometheus", "prometheus");
        props.ingress().addPath("/alertmanager/", "alertmanager", "alertmanager");
        props.ingress().addPath("/grafana/", "grafana", "grafana");
    }

    private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return PolicyRule.builder().apiGroups(groups).resources(resources).verbs(verbs).build();
    }

    /**
     * A ServiceAccount and its permissions: a ClusterRole where the cluster allows it (named with
     * the namespace, as cluster-scoped names are shared), otherwise a Role in the namespace.
     */
    private void account(String name, Map<String, String> labels, List<PolicyRule> rules, List<PolicyRule> clusterOnly,
            boolean clusterWide) {
        new KubeServiceAccount(this, name + "-sa", KubeServiceAccountProps.builder().metadata(K8s.meta(name, labels)).build());
        Subject subject = Subject.builder().kind("ServiceAccount").name(name).namespace(namespace).build();
        if (clusterWide) {
            String clusterName = namespace + "-" + name;
            List<PolicyRule> all = new ArrayList<>(rules);
            all.addAll(clusterOnly);
            new KubeClusterRole(this, name + "-clusterrole", KubeClusterRoleProps.builder()
                    .metadata(K8s.meta(clusterName, labels)).rules(List.copyOf(all)).build());
            new KubeClusterRoleBinding(this, name + "-clusterrolebinding", KubeClusterRoleBindingProps.builder()
                    .metadata(K8s.meta(clusterName, labels))
                    .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("ClusterRole").name(clusterName).build())
                    .subjects(List.of(subject)).build());
        } else {
            new KubeRole(this, name + "-role", KubeRoleProps.builder().metadata(K8s.meta(name, labels)).rules(rules).build());
            new KubeRoleBinding(this, name + "-rolebinding", KubeRoleBindingProps.builder()
                    .metadata(K8s.meta(name, labels))
                    .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(name).build())
                    .subjects(List.of(subject)).build());
        }
    }

    /** A single-replica Deployment and its Service, with an HTTP readiness check. */
    private void web(String name, String portName, ImageRef image, int port, String readyPath, int uid, List<String> args,
            List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts, String serviceAccount, ContainerResources resources) {
        Map<String, String> labels = Labels.of(name, "monitoring");
        Probe ready = Probe.builder().httpGet(HttpGetAction.builder().path(readyPath).port(K8s.intOrString(portName)).build())
                .periodSeconds(10).timeoutSeconds(5).failureThreshold(3).build();
        Container c = Container.builder().name(name).image(image.image()).imagePullPolicy(image.pullPolicy().value())
                .args(args).env(env)
                .ports(List.of(ContainerPort.builder().name(portName).containerPort(port).build()))
                .readinessProbe(ready).livenessProbe(ready)
                .resources(K8s.resources(resources)).securityContext(K8s.restrictedContainer()).volumeMounts(mounts).build();
        PodSpec.Builder pod = PodSpec.builder().securityContext(K8s.restrictedPod(uid, uid)).containers(List.of(c)).volumes(volumes);
        if (serviceAccount != null) {
            pod.serviceAccountName(serviceAccount);
        } else {
            pod.automountServiceAccountToken(false);
        }
        Workloads.deployment(this, name + "-deployment", name, labels, 1, pod.build());
        Workloads.service(this, name + "-service", name, labels, portName, port);
    }

    /** An exporter: Deployment, Service on port "metrics", and a ServiceMonitor where the Prometheus Operator runs. */
    private void exporter(String name, ImageRef image, int port, int uid, List<EnvVar> env) {
        web(name, "metrics", image, port, "/metrics", uid, List.of(), env, List.of(), List.of(), null,
                ContainerResources.of("10m", "32Mi", "100m", "128Mi"));
        if (environment.monitoring().prometheusOperator()) {
            Map<String, String> labels = new LinkedHashMap<>(Labels.of(name, "monitoring"));
            labels.putAll(environment.monitoring().serviceMonitorLabels());
            CustomResources.create(this, name + "-monitor", CustomResources.SERVICE_MONITOR, "ServiceMonitor", name,
                    Map.copyOf(labels), Map.of(), Map.of(
                            "selector", Map.of("matchLabels", Labels.selector(name)),
                            "endpoints", List.of(Map.of("port", "metrics", "interval", "15s"))));
        }
    }

    /** prometheus.yml: 15 s scrapes and evaluation, the rules, Alertmanager, and the seed's scrape jobs. */
    private Map<String, Object> prometheusConfig(boolean clusterWide) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("global", Map.of("scrape_interval", "15s", "evaluation_interval", "15s"));
        c.put("rule_files", List.of("/etc/prometheus/rules/*.yml"));
        c.put("alerting", Map.of("alertmanagers", List.of(Map.of("path_prefix", "/alertmanager/",
                "static_configs", List.of(Map.of("targets", List.of("alertmanager:9093")))))));
        List<Object> jobs = new ArrayList<>();
        jobs.add(Map.of("job_name", "prometheus", "metrics_path", "/prometheus/metrics",
                "static_configs", List.of(Map.of("targets", List.of("localhost:9090")))));
        jobs.add(Map.of("job_name", "kube-state-metrics", "static_configs", List.of(Map.of("targets", List.of("kube-state-metrics:8080")))));
        // The exporters, by their Services; "service" names each one, as the dashboards expect.
        for (String[] exporter : new String[][] {{"postgres-exporter", "postgres-exporter-0:9187", "postgres-exporter-1:9187"},
                {"redis-exporter", "redis-exporter:9121"}, {"keyboss-exporter", "keyboss-exporter:9100"}}) {
            jobs.add(Map.of("job_name", exporter[0],
                    "static_configs", List.of(Map.of("targets", List.of(java.util.Arrays.copyOfRange(exporter, 1, exporter.length)))),
                    "relabel_configs", List.of(Map.of("source_labels", List.of("__address__"), "regex", "([^:]+):.*",
                            "target_label", "service", "replacement", "$1"))));
        }
        Map<String, Object> podsSd = new LinkedHashMap<>(Map.of("role", "pod"));
        if (!clusterWide) {
            podsSd.put("namespaces", Map.of("names", List.of(namespace)));
        }
        jobs.add(Map.of("job_name", "kubernetes-pods", "kubernetes_sd_configs", List.of(podsSd), "relabel_configs", List.of(
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"), "action", "keep", "regex", "true"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"), "action", "replace",
                        "target_label", "__metrics_path__", "regex", "(.+)"),
                Map.of("source_labels", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                        "action", "replace", "regex", "([^:]+)(?::\\d+)?;(\\d+)", "replacement", "$1:$2", "target_label", "__address__"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "target_label", "job"),
                Map.of("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"))));
        if (clusterWide) {
            Map<String, Object> tls = Map.of("ca_file", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
            String token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
            jobs.add(Map.of("job_name", "kubernetes-apiserver", "scheme", "https", "tls_config", tls,
                    "authorization", Map.of("credentials_file", token),
                    "kubernetes_sd_configs", List.of(Map.of("role", "endpoints")), "relabel_configs", List.of(Map.of(
                            "source_labels", List.of("__meta_kubernetes_namespace", "__meta_kubernetes_service_name",
                                    "__meta_kubernetes_endpoint_port_name"), "action", "keep", "regex", "default;kubernetes;https"))));
            for (String[] job : new String[][] {{"kubernetes-nodes", "/metrics"}, {"kubernetes-cadvisor", "/metrics/cadvisor"}}) {
                jobs.add(Map.of("job_name", job[0], "scheme", "https", "tls_config", tls,
                        "authorization", Map.of("credentials_file", token),
                        "kubernetes_sd_configs", List.of(Map.of("role", "node")), "relabel_configs", List.of(
                                Map.of("target_label", "__address__", "replacement", "kubernetes.default.svc:443"),
                                Map.of("source_labels", List.of("__meta_kubernetes_node_name"), "regex", "(.+)",
                                        "target_label", "__metrics_path__", "replacement", "/api/v1/nodes/$1/proxy" + job[1]))));
            }
            jobs.add(Map.of("job_name", "traefik", "kubernetes_sd_configs", List.of(Map.of("role", "pod",
                    "namespaces", Map.of("names", List.of("kube-system")))), "relabel_configs", List.of(
                    Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "action", "keep", "regex", "traefik"),
                    Map.of("source_labels", List.of("__address__"), "regex", "([^:]+)(?::\\d+)?", "replacement", "$1:9100",
                            "target_label", "__address__"))));
        }
        c.put("scrape_configs", jobs);
        return c;
    }

    /** alertmanager.yml: critical and warning routes, grouping by alert and service, warnings inhibited by a critical. */
    private static Map<String, Object> alertmanagerConfig() {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", "warning");
        route.put("group_by", List.of("alertname", "service"));
        route.put("group_wait", "30s");
        route.put("group_interval", "5m");
        route.put("repeat_interval", "4h");
        route.put("routes", List.of(
                Map.of("matchers", List.of("severity=\"critical\""), "receiver", "critical", "group_wait", "10s",
                        "repeat_interval", "1h"),
                Map.of("matchers", List.of("severity=\"warning\""), "receiver", "warning")));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("route", route);
        c.put("inhibit_rules", List.of(Map.of("source_matchers", List.of("severity=\"critical\""),
                "target_matchers", List.of("severity=\"warning\""), "equal", List.of("service"))));
        // Receivers carry no integration in git: add the team's webhook or e-mail per cluster.
        c.put("receivers", List.of(Map.of("name", "critical"), Map.of("name", "warning")));
        return c;
    }

    /** The alerting rules as a Prometheus rule file. */
    public String rulesFile() {
        return Synthesizer.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules",
                rules.stream().map(r -> (Object) r.toPrometheus()).toList()))));
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public List<GrafanaDashboard> dashboards() {
        return dashboards;
    }
}
