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
import org.cdk8s.plus25.k8s.KubeDeployment;
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
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.SecurityContext;
import org.cdk8s.plus25.k8s.Subject;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * The seed's observability (section 4) as one construct: Prometheus (15 s scrapes, 15 d
 * retention, the seed's scrape jobs, alert rules as code), Alertmanager (routes by severity,
 * inhibition, receivers from the environment), Grafana (three dashboards provisioned from
 * ConfigMaps), kube-state-metrics, two PostgreSQL exporters, a Valkey exporter (which also reads
 * the Sentinels) and the keyboss probe exporter. Where the cluster admits cluster-scoped
 * objects, discovery and kube-state-metrics are cluster-wide; elsewhere they are confined to the
 * namespace with Roles, and what only the cluster sees (Traefik, cAdvisor) is federated from the
 * central Prometheus the environment declares. Where the cluster runs the Prometheus Operator,
 * ServiceMonitors with its labels feed the central Prometheus too. Only Grafana (with its login,
 * anonymous access and sign-up off) is routed on the public host, under /grafana/; Prometheus
 * and Alertmanager are reached inside the cluster or through {@code kubectl port-forward}, at
 * {@link #PROMETHEUS_LOCAL_URL} and {@link #ALERTMANAGER_LOCAL_URL}. Each UI serves itself under
 * its path prefix (no Traefik Middleware).
 *
 * <p>Provenance: every scrape job and ServiceMonitor records the metric families it produces and
 * the labels they carry there ({@link #catalog()}, {@link #centralCatalog()}); the tests check
 * every rule and dashboard query against the catalog of the Prometheus that evaluates it.
 *
 * <p>Objects (ids are public API) are named after the component: {@code prometheus-*},
 * {@code alertmanager-*}, {@code grafana-*}, {@code ksm-*}, {@code postgres-exporter-N-*},
 * {@code redis-exporter-*}, {@code keyboss-exporter-*}, {@code *-monitor}.
 */
public class MonitoringStack extends Component implements Connected {

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
    /** Labels the in-namespace scrape gives an exporter target: those a ServiceMonitor scrape gives, but pod and container. */
    static final List<String> EXPORTER_TARGET_LABELS = List.of("job", "instance", "namespace", "service", "endpoint");
    /** Labels a Prometheus Operator scrape of a ServiceMonitor endpoint gives each target. */
    static final List<String> SERVICE_MONITOR_TARGET_LABELS = List.of("job", "instance", "namespace", "service", "pod",
            "container", "endpoint");
    /** The port name of every exporter's Service, and so the value of their {@code endpoint} target label. */
    static final String METRICS_PORT = "metrics";
    /**
     * Prometheus's external URL: where {@code kubectl port-forward svc/prometheus 9090} serves it
     * (it is not routed on the public host), so links in alerts lead somewhere that exists.
     */
    public static final String PROMETHEUS_LOCAL_URL = "http://localhost:9090/prometheus/";
    /** Alertmanager's external URL: {@code kubectl port-forward svc/alertmanager 9093} (not routed publicly). */
    public static final String ALERTMANAGER_LOCAL_URL = "http://localhost:9093/alertmanager/";
    /** Alertmanager's readiness path under its route prefix; the probe exporter asks it through the Service. */
    static final String ALERTMANAGER_READY = "/alertmanager/-/ready";
    /** The kubelet's authenticated HTTPS port, where Prometheus reads node and cAdvisor metrics. */
    static final int KUBELET_PORT = 10250;
    /** Where Alertmanager's container finds the Secret keys its receivers read. */
    private static final String RECEIVER_SECRETS_VOLUME = "receiver-secrets";
    /** Where an exporter finds its password file. */
    static final String EXPORTER_SECRETS_DIR = "/etc/exporter";
    /** Where Grafana finds its admin password file. */
    static final String GRAFANA_SECRETS_DIR = "/etc/grafana/secrets";
    private static final Size ALERTMANAGER_DATA = Size.mi(64);
    private static final Size GRAFANA_DATA = Size.mi(128);
    private static final Size GRAFANA_TMP = Size.mi(16);

    private final List<AlertRule> rules;
    private final List<GrafanaDashboard> dashboards;
    private final String namespace;
    private final MetricCatalog catalog;
    private final MetricCatalog centralCatalog;
    private final List<Object> scrapeJobs = new ArrayList<>();
    /** The Deployments of the stack by name: what the peers of its connections stand for. */
    private final Map<String, KubeDeployment> workloads = new LinkedHashMap<>();
    private final Props props;

    public MonitoringStack(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        this.namespace = environment.namespace();
        MonitoringSettings settings = environment.monitoring();
        boolean clusterWide = environment.clusterScopedAllowed();
        this.catalog = scrapeJobs(props, clusterWide, settings);
        this.centralCatalog = settings.prometheusOperator() ? centralCatalog(settings) : null;
        String probeLabel = probeLabel(catalog);
        if (centralCatalog != null && !probeLabel.equals(probeLabel(centralCatalog))) {
            // One dashboard JSON serves both Prometheuses; the in-namespace scrape mirrors the
            // ServiceMonitor's target labels so that this cannot happen.
            throw new IllegalStateException("the probe label differs between the Prometheuses: " + probeLabel
                    + " vs " + probeLabel(centralCatalog));
        }
        List<AlertRule> all = new ArrayList<>(AlertRules.forShop(namespace, probeLabel, props.api(), props.storefront(),
                props.workers(), props.postgres(), props.valkey(), props.backup()));
        all.addAll(props.extraRules());
        this.rules = List.copyOf(all);
        this.dashboards = Dashboards.forShop(namespace, probeLabel, props.api(),
                props.storefront(), props.workers(), props.postgres(), props.valkey(), props.backup());
        for (AlertRule rule : rules) {
            if (rule.problem() != null) {
                Problems.report(this, "rules." + rule.name(), rule.forDuration(), "a valid alerting rule", rule.problem());
            }
        }
        for (String key : settings.receiverSecretKeys()) {
            if (!props.secrets().keyNames().contains(key)) {
                Problems.report(this, "monitoring.receivers", key, "a key of Secret " + props.secrets().name() + " "
                        + props.secrets().keyNames(), "add the key to the Secret contract, or name one it declares");
            }
        }
        if (hasProblems()) {
            return;
        }
        MonitoringImages images = environment.images().monitoring();

        // Prometheus
        Map<String, String> promLabels = Labels.of("prometheus", "monitoring");
        account("prometheus", promLabels, List.of(
                rule(List.of(""), List.of("pods", "services", "endpoints"), List.of("get", "list", "watch"))),
                // nodes/metrics lets it read the kubelets directly; nodes/proxy (the API server's
                // proxy to any kubelet endpoint, exec included) is not granted.
                clusterWide ? List.of(rule(List.of(""), List.of("nodes", "nodes/metrics"),
                        List.of("get", "list", "watch"))) : List.of(), clusterWide);
        new KubeConfigMap(this, "prometheus-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("prometheus-config", promLabels))
                .data(Map.of("prometheus.yml", Rendering.toYaml(prometheusConfig())))
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
        // Prometheus writes only its database (the claim at /prometheus, queries.active included).
        web("prometheus", "prometheus", images.prometheus(), 9090, "/prometheus/-/ready", "/prometheus/-/healthy", NOBODY, List.of(
                "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
                "--storage.tsdb.retention.time=15d", "--storage.tsdb.retention.size=" + retentionMb + "MB",
                "--web.external-url=" + PROMETHEUS_LOCAL_URL, "--web.route-prefix=/prometheus/"),
                List.of(), List.of(K8s.configMapVolume("config", "prometheus-config"), K8s.configMapVolume("rules", "prometheus-rules"),
                        K8s.claimVolume("data", "prometheus-data")),
                List.of(K8s.readOnlyMount("config", "/etc/prometheus"), K8s.readOnlyMount("rules", "/etc/prometheus/rules"),
                        K8s.mount("data", "/prometheus")), "prometheus", ContainerResources.of("200m", "512Mi", "1", "1Gi"),
                List.of());

        // Alertmanager: receivers read their URLs and passwords from the Secret, mounted read-only.
        Map<String, String> amLabels = Labels.of("alertmanager", "monitoring");
        new KubeConfigMap(this, "alertmanager-config", KubeConfigMapProps.builder()
                .metadata(K8s.meta("alertmanager-config", amLabels))
                .data(Map.of("alertmanager.yml", Rendering.toYaml(alertmanagerConfig(settings))))
                .build());
        List<KeyToPath> receiverKeys = settings.receiverSecretKeys().stream()
                .map(k -> KeyToPath.builder().key(props.secrets().key(k)).path(k).build()).toList();
        web("alertmanager", "alertmanager", images.alertmanager(), 9093, ALERTMANAGER_READY, "/alertmanager/-/healthy",
                NOBODY, List.of(
                "--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
                "--web.external-url=" + ALERTMANAGER_LOCAL_URL, "--web.route-prefix=/alertmanager/"),
                // Alertmanager's silences and notification log (--storage.path), kept while the pod lives.
                List.of(), List.of(K8s.configMapVolume("config", "alertmanager-config"), K8s.scratchVolume("data", ALERTMANAGER_DATA),
                        Volume.builder().name(RECEIVER_SECRETS_VOLUME).secret(SecretVolumeSource.builder()
                                .secretName(props.secrets().name()).items(receiverKeys).build()).build()),
                List.of(K8s.readOnlyMount("config", "/etc/alertmanager"), K8s.mount("data", "/alertmanager"),
                        K8s.readOnlyMount(RECEIVER_SECRETS_VOLUME, AlertReceiver.SECRETS_DIR)), null,
                ContainerResources.of("20m", "32Mi", "200m", "128Mi"), List.of(ALERTMANAGER_DATA));

        // Grafana
        Map<String, String> grafanaLabels = Labels.of("grafana", "monitoring");
        new KubeConfigMap(this, "grafana-provisioning", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-provisioning", grafanaLabels))
                .data(Map.of(
                        "datasources.yaml", Rendering.toYaml(Map.of("apiVersion", 1, "datasources", List.of(Map.of(
                                "name", "Prometheus", "uid", "prometheus", "type", "prometheus", "access", "proxy",
                                "url", "http://prometheus:9090/prometheus", "isDefault", true)))),
                        "dashboards.yaml", Rendering.toYaml(Map.of("apiVersion", 1, "providers", List.of(Map.of(
                                "name", "keyboss", "type", "file", "folder", "KeyBoss", "allowUiUpdates", false,
                                "options", Map.of("path", "/var/lib/grafana/dashboards")))))))
                .build());
        Map<String, String> dashboardLabels = new LinkedHashMap<>(grafanaLabels);
        if (environment.monitoring().centralGrafana()) {
            dashboardLabels.put("grafana_dashboard", "1");
        }
        Map<String, String> dashboardFiles = new LinkedHashMap<>();
        for (GrafanaDashboard d : dashboards) {
            dashboardFiles.put(d.uid() + ".json", Rendering.toJson(d.toJson("prometheus")));
        }
        new KubeConfigMap(this, "grafana-dashboards", KubeConfigMapProps.builder()
                .metadata(K8s.meta("grafana-dashboards", Map.copyOf(dashboardLabels)))
                .data(Map.copyOf(dashboardFiles))
                .build());
        // Ready: /api/health answers (it checks Grafana's database). Alive: the server accepts connections.
        web("grafana", "grafana", images.grafana(), 3000, "/grafana/api/health", null, 472, List.of(),
                List.of(
                        // Grafana reads any setting from a file named by <VARIABLE>__FILE: the password stays out of the environment.
                        K8s.env("GF_SECURITY_ADMIN_PASSWORD__FILE", GRAFANA_SECRETS_DIR + "/admin-password"),
                        // Logs to the container's output only (the image's default also writes /var/log/grafana, read-only here).
                        K8s.env("GF_LOG_MODE", "console"),
                        K8s.env("GF_SERVER_ROOT_URL", environment.publicUrl() + "/grafana/"),
                        K8s.env("GF_SERVER_SERVE_FROM_SUB_PATH", "true"),
                        K8s.env("GF_ANALYTICS_REPORTING_ENABLED", "false"),
                        // Grafana is public: stated explicitly, so a changed default cannot open it.
                        K8s.env("GF_AUTH_ANONYMOUS_ENABLED", "false"),
                        K8s.env("GF_AUTH_DISABLE_LOGIN_FORM", "false"),
                        K8s.env("GF_USERS_ALLOW_SIGN_UP", "false"),
                        K8s.env("GF_USERS_ALLOW_ORG_CREATE", "false"),
                        K8s.env("GF_SNAPSHOTS_EXTERNAL_ENABLED", "false"),
                        K8s.env("GF_SECURITY_COOKIE_SECURE", Boolean.toString(environment.secureCookies()))),
                List.of(Volume.builder().name("provisioning").configMap(ConfigMapVolumeSource.builder().name("grafana-provisioning")
                                .items(List.of(KeyToPath.builder().key("datasources.yaml").path("datasources/datasources.yaml").build(),
                                        KeyToPath.builder().key("dashboards.yaml").path("dashboards/dashboards.yaml").build()))
                                .build()).build(),
                        K8s.configMapVolume("dashboards", "grafana-dashboards"),
                        // Grafana's data path: its SQLite database, sessions and plugin folder.
                        K8s.scratchVolume("data", GRAFANA_DATA),
                        // Temporary files of the server (rendered images, uploads).
                        K8s.scratchVolume("tmp", GRAFANA_TMP),
                        Volume.builder().name("admin-password").secret(SecretVolumeSource.builder()
                                .secretName(props.secrets().name()).defaultMode(0440)
                                .items(List.of(KeyToPath.builder().key(props.secrets().key("GRAFANA_ADMIN_PASSWORD"))
                                        .path("admin-password").build())).build()).build()),
                List.of(K8s.readOnlyMount("provisioning", "/etc/grafana/provisioning"),
                        K8s.readOnlyMount("dashboards", "/var/lib/grafana/dashboards"), K8s.mount("data", "/var/lib/grafana"),
                        K8s.mount("tmp", "/tmp"), K8s.readOnlyMount("admin-password", GRAFANA_SECRETS_DIR)),
                null, ContainerResources.of("50m", "128Mi", "500m", "256Mi"), List.of(GRAFANA_DATA, GRAFANA_TMP));

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
        web("kube-state-metrics", "http-metrics", images.kubeStateMetrics(), 8080, "/healthz", null, NOBODY, ksmArgs, List.of(),
                List.of(), List.of(), "kube-state-metrics", ContainerResources.of("20m", "64Mi", "200m", "256Mi"), List.of());

        // Exporters
        for (int i = 0; i < 2; i++) {
            String name = "postgres-exporter-" + i;
            exporter(name, images.postgresExporter(), 9187, NOBODY, List.of(
                    K8s.env("DATA_SOURCE_URI", props.postgres().podHost(i) + ":" + props.postgres().port() + "/"
                            + props.postgres().database() + "?sslmode=disable"),
                    K8s.env("DATA_SOURCE_USER", props.postgres().monitorUser()),
                    // postgres_exporter reads the password from the file DATA_SOURCE_PASS_FILE names.
                    K8s.env("DATA_SOURCE_PASS_FILE", EXPORTER_SECRETS_DIR + "/password")),
                    secretFile(props.secrets().name(), props.secrets().key(props.postgres().monitorPasswordKey())));
        }
        exporter("redis-exporter", images.redisExporter(), 9121, 59000, List.of(
                K8s.env("REDIS_ADDR", "redis://" + props.valkey().hosts().get(0)),
                // An environment variable: redis_exporter's password file is a JSON map of target URI to
                // password, and the Secret holds the bare password shared by Valkey and every Sentinel target.
                K8s.envFromSecret("REDIS_PASSWORD", props.valkey().secretName(), props.valkey().passwordKey())), null);
        exporter("keyboss-exporter", images.keybossExporter(), 9100, 1000, List.of(
                K8s.env("PROBE_TARGETS", probeTargets(props)),
                K8s.env("PROBE_INTERVAL_SECONDS", "15"),
                K8s.env("PROBE_TIMEOUT_SECONDS", "10"),
                K8s.env("GRAPHQL_URL", props.api().internalUrl()),
                // Where it runs, for keyboss_build_info (the namespace: charts never read the environment's name).
                K8s.env("KEYBOSS_ENVIRONMENT", namespace)), null);

        // Grafana only: Prometheus and Alertmanager have no login of their own.
        props.ingress().addPath("/grafana/", new ServiceBackend("grafana", "grafana", pods("grafana")));
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

    /**
     * A single-replica Deployment and its Service. Ready: {@code readyPath} answers. Alive:
     * {@code livePath} answers, or (null) the port accepts connections: a cheaper check than
     * readiness, so a server waiting for a dependency is not restarted. The root file system is
     * read-only; {@code scratch} are the sizes of the disk emptyDirs among {@code volumes}, which
     * its ephemeral-storage limit covers. The pod gets a service account token only with
     * {@code serviceAccount} (a server that calls the Kubernetes API).
     */
    private void web(String name, String portName, ImageRef image, int port, String readyPath, String livePath, int uid,
            List<String> args, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts, String serviceAccount,
            ContainerResources resources, List<Size> scratch) {
        Map<String, String> labels = Labels.of(name, "monitoring");
        Probe ready = Probe.builder().httpGet(HttpGetAction.builder().path(readyPath).port(K8s.intOrString(portName)).build())
                .periodSeconds(10).timeoutSeconds(5).failureThreshold(3).build();
        Probe.Builder alive = Probe.builder().periodSeconds(20).timeoutSeconds(5).failureThreshold(3);
        if (livePath != null) {
            alive.httpGet(HttpGetAction.builder().path(livePath).port(K8s.intOrString(portName)).build());
        } else {
            alive.tcpSocket(TcpSocketAction.builder().port(K8s.intOrString(portName)).build());
        }
        Container c = Container.builder().name(name).image(image.image()).imagePullPolicy(image.pullPolicy().value())
                .args(args).env(env)
                .ports(List.of(ContainerPort.builder().name(portName).containerPort(port).build()))
                .readinessProbe(ready).livenessProbe(alive.build())
                .resources(K8s.resources(resources, scratch.toArray(Size[]::new)))
                .securityContext(K8s.restrictedContainer()).volumeMounts(mounts).build();
        PodSpec.Builder pod = PodSpec.builder().securityContext(K8s.restrictedPod(uid, uid)).containers(List.of(c)).volumes(volumes);
        if (serviceAccount != null) {
            // Prometheus discovers pods and kube-state-metrics lists objects through the API.
            pod.serviceAccountName(serviceAccount).automountServiceAccountToken(true);
        } else {
            pod.automountServiceAccountToken(false);
        }
        workloads.put(name, Workloads.deployment(this, name + "-deployment", name, labels, 1, pod.build()));
        Workloads.service(this, name + "-service", name, labels, portName, port);
    }

    /** A Secret volume holding one key as the file {@code password}, readable by the pod's group only. */
    private static Volume secretFile(String secretName, String key) {
        return Volume.builder().name("secrets").secret(SecretVolumeSource.builder().secretName(secretName).defaultMode(0440)
                .items(List.of(KeyToPath.builder().key(key).path("password").build())).build()).build();
    }

    /**
     * An exporter: Deployment, Service on port "metrics", and a ServiceMonitor where the
     * Prometheus Operator runs. Ready: /metrics answers; alive: the port accepts connections.
     * Exporters write nothing (the root file system is read-only, no scratch folder);
     * {@code secret}, where given, is mounted at {@link #EXPORTER_SECRETS_DIR}.
     */
    private void exporter(String name, ImageRef image, int port, int uid, List<EnvVar> env, Volume secret) {
        web(name, METRICS_PORT, image, port, "/metrics", null, uid, List.of(), env,
                secret == null ? List.of() : List.of(secret),
                secret == null ? List.of() : List.of(K8s.readOnlyMount(secret.getName(), EXPORTER_SECRETS_DIR)), null,
                ContainerResources.of("10m", "32Mi", "100m", "128Mi"), List.of());
        if (environment.monitoring().prometheusOperator()) {
            Map<String, String> labels = new LinkedHashMap<>(Labels.of(name, "monitoring"));
            labels.putAll(environment.monitoring().serviceMonitorLabels());
            CustomResources.create(this, name + "-monitor", CustomResources.SERVICE_MONITOR, "ServiceMonitor", name,
                    Map.copyOf(labels), Map.of(), Map.of(
                            "selector", Map.of("matchLabels", Labels.selector(name)),
                            "endpoints", List.of(Map.of("port", METRICS_PORT, "interval", "15s"))));
        }
    }

    /** The exporters the central Prometheus scrapes through ServiceMonitors, with what each produces. */
    private static Map<String, Map<String, List<String>>> serviceMonitored() {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        out.put("postgres-exporter-0", MetricSets.postgresExporter());
        out.put("postgres-exporter-1", MetricSets.postgresExporter());
        out.put("redis-exporter", MetricSets.redisExporter());
        out.put("keyboss-exporter", MetricSets.keybossExporter());
        return out;
    }

    /**
     * The five endpoints the probe exporter requests (seed 4.7.3), named as its dashboards show
     * them: the public routes through the public URL, Alertmanager (not routed) through its Service.
     */
    private String probeTargets(Props props) {
        String url = environment.publicUrl();
        return String.join(",",
                "storefront=" + url + props.storefront().path(),
                "graphql_api=" + props.api().internalUrl(),
                "dashboard=" + url + "/dashboard/",
                "grafana=" + url + "/grafana/api/health",
                "alertmanager=" + alertmanagerInternalUrl() + ALERTMANAGER_READY);
    }

    /** Alertmanager's Service inside the cluster, without a trailing slash. */
    private static String alertmanagerInternalUrl() {
        return "http://alertmanager:9093";
    }

    /** The name the probe's {@code endpoint} label has in {@code c}: renamed where the scrape sets its own. */
    private static String probeLabel(MetricCatalog c) {
        return c.families().get("keyboss_probe_success").labels().contains("exported_endpoint") ? "exported_endpoint" : "endpoint";
    }

    /** What the central Prometheus holds of this shop: the ServiceMonitors' targets and what the cluster declares. */
    private MetricCatalog centralCatalog(MonitoringSettings settings) {
        MetricCatalog.Builder c = new MetricCatalog.Builder(environment.name() + " central Prometheus");
        serviceMonitored().forEach((name, families) ->
                c.scraped("ServiceMonitor " + name, families, SERVICE_MONITOR_TARGET_LABELS));
        for (ClusterMetrics m : settings.clusterMetrics()) {
            c.asIs(m.producer(), m.families());
        }
        return c.build();
    }

    /** A static scrape job of exporter Services, labelled as a ServiceMonitor scrape labels them. */
    private Map<String, Object> exporterJob(String job, List<String> services, int port) {
        return Map.of("job_name", job,
                "static_configs", List.of(Map.of(
                        "targets", services.stream().map(s -> s + ":" + port).toList(),
                        "labels", Map.of("namespace", namespace, "endpoint", METRICS_PORT))),
                "relabel_configs", List.of(Map.of("source_labels", List.of("__address__"), "regex", "([^:]+):.*",
                        "target_label", "service", "replacement", "$1")));
    }

    /**
     * The scrape jobs of the in-namespace Prometheus, and the catalog of what they produce: the
     * seed's jobs (table 7), the exporters (labelled like ServiceMonitor targets, so the probe's
     * {@code endpoint} arrives as {@code exported_endpoint} here too), the Sentinels through the
     * Valkey exporter, and either the cluster-wide jobs or a federation of what the cluster declares.
     */
    private MetricCatalog scrapeJobs(Props props, boolean clusterWide, MonitoringSettings settings) {
        MetricCatalog.Builder c = new MetricCatalog.Builder(environment.name() + " in-namespace Prometheus");
        scrapeJobs.add(Map.of("job_name", "prometheus", "metrics_path", "/prometheus/metrics",
                "static_configs", List.of(Map.of("targets", List.of("localhost:9090")))));
        c.scraped("job prometheus", Map.of(), List.of("job", "instance"));
        scrapeJobs.add(Map.of("job_name", "kube-state-metrics", "static_configs", List.of(Map.of("targets", List.of("kube-state-metrics:8080")))));
        c.scraped("job kube-state-metrics", MetricSets.kubeStateMetrics(), List.of("job", "instance"));
        scrapeJobs.add(exporterJob("postgres-exporter", List.of("postgres-exporter-0", "postgres-exporter-1"), 9187));
        c.scraped("job postgres-exporter", MetricSets.postgresExporter(), EXPORTER_TARGET_LABELS);
        // Each member's Patroni: who holds the lease, the timeline, whether the manager runs at all.
        List<String> members = new ArrayList<>();
        for (int i = 0; i < props.postgres().replicas(); i++) {
            members.add(props.postgres().podHost(i) + ":" + PostgresHA.API_PORT);
        }
        scrapeJobs.add(Map.of("job_name", "patroni",
                "static_configs", List.of(Map.of("targets", List.copyOf(members),
                        "labels", Map.of("namespace", namespace, "service", props.postgres().name())))));
        c.scraped("job patroni", MetricSets.patroni(), List.of("job", "instance", "namespace", "service"));
        scrapeJobs.add(exporterJob("redis-exporter", List.of("redis-exporter"), 9121));
        c.scraped("job redis-exporter", MetricSets.redisExporter(), EXPORTER_TARGET_LABELS);
        scrapeJobs.add(exporterJob("keyboss-exporter", List.of("keyboss-exporter"), 9100));
        c.scraped("job keyboss-exporter", MetricSets.keybossExporter(), EXPORTER_TARGET_LABELS);
        // The Valkey exporter's multi-target endpoint reads each Sentinel (instance = the Sentinel).
        scrapeJobs.add(Map.of("job_name", "redis-sentinel", "metrics_path", "/scrape",
                "static_configs", List.of(Map.of("targets", props.valkey().sentinelHosts(), "labels", Map.of("namespace", namespace))),
                "relabel_configs", List.of(
                        Map.of("source_labels", List.of("__address__"), "target_label", "__param_target", "replacement", "redis://$1"),
                        Map.of("source_labels", List.of("__address__"), "target_label", "instance"),
                        Map.of("target_label", "__address__", "replacement", "redis-exporter:9121"))));
        c.scraped("job redis-sentinel", MetricSets.redisExporterSentinel(), List.of("job", "instance", "namespace"));

        Map<String, Object> podsSd = new LinkedHashMap<>(Map.of("role", "pod"));
        if (!clusterWide) {
            podsSd.put("namespaces", Map.of("names", List.of(namespace)));
        }
        scrapeJobs.add(Map.of("job_name", "kubernetes-pods", "kubernetes_sd_configs", List.of(podsSd), "relabel_configs", List.of(
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"), "action", "keep", "regex", "true"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"), "action", "replace",
                        "target_label", "__metrics_path__", "regex", "(.+)"),
                Map.of("source_labels", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                        "action", "replace", "regex", "([^:]+)(?::\\d+)?;(\\d+)", "replacement", "$1:$2", "target_label", "__address__"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "target_label", "job"),
                Map.of("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"),
                Map.of("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"))));
        // Whatever annotated pods expose is not known here, so the catalog lists only their up.
        c.scraped("job kubernetes-pods", Map.of(), List.of("job", "instance", "namespace", "pod"));
        if (clusterWide) {
            Map<String, Object> tls = Map.of("ca_file", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
            String token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
            scrapeJobs.add(Map.of("job_name", "kubernetes-apiserver", "scheme", "https", "tls_config", tls,
                    "authorization", Map.of("credentials_file", token),
                    "kubernetes_sd_configs", List.of(Map.of("role", "endpoints")), "relabel_configs", List.of(Map.of(
                            "source_labels", List.of("__meta_kubernetes_namespace", "__meta_kubernetes_service_name",
                                    "__meta_kubernetes_endpoint_port_name"), "action", "keep", "regex", "default;kubernetes;https"))));
            c.scraped("job kubernetes-apiserver", Map.of(), List.of("job", "instance"));
            // Straight to each kubelet (the node role's address is its InternalIP:10250), which
            // authorises the token for nodes/metrics; no detour through the API server's nodes/proxy.
            for (String[] job : new String[][] {{"kubernetes-nodes", "/metrics"}, {"kubernetes-cadvisor", "/metrics/cadvisor"}}) {
                scrapeJobs.add(Map.of("job_name", job[0], "scheme", "https", "tls_config", tls,
                        "authorization", Map.of("credentials_file", token), "metrics_path", job[1],
                        "kubernetes_sd_configs", List.of(Map.of("role", "node"))));
            }
            c.scraped("job kubernetes-nodes", Map.of(), List.of("job", "instance"));
            c.scraped("job kubernetes-cadvisor", MetricSets.cadvisor(), List.of("job", "instance"));
            scrapeJobs.add(Map.of("job_name", "traefik", "kubernetes_sd_configs", List.of(Map.of("role", "pod",
                    "namespaces", Map.of("names", List.of("kube-system")))), "relabel_configs", List.of(
                    Map.of("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"), "action", "keep", "regex", "traefik"),
                    Map.of("source_labels", List.of("__address__"), "regex", "([^:]+)(?::\\d+)?", "replacement", "$1:9100",
                            "target_label", "__address__"))));
            c.scraped("job traefik", MetricSets.traefik(), List.of("job", "instance"));
        }
        if (settings.centralPrometheusUrl() != null) {
            // What only the cluster sees comes from the central Prometheus, this tenant's series only.
            MetricCatalog own = c.build();
            List<String> match = new ArrayList<>();
            for (ClusterMetrics m : settings.clusterMetrics()) {
                Map<String, List<String>> federated = new java.util.TreeMap<>(m.families());
                federated.keySet().removeIf(own::holds);
                federated.keySet().forEach(f -> match.add(m.federationMatch(f, namespace)));
                c.asIs("job central-federation (" + m.producer() + ")", federated);
            }
            if (!match.isEmpty()) {
                java.net.URI central = java.net.URI.create(settings.centralPrometheusUrl());
                int port = central.getPort() != -1 ? central.getPort() : central.getScheme().equals("https") ? 443 : 80;
                String prefix = central.getPath() == null ? "" : central.getPath().replaceAll("/+$", "");
                scrapeJobs.add(Map.of("job_name", "central-federation", "honor_labels", true, "scheme", central.getScheme(),
                        "metrics_path", prefix + "/federate", "params", Map.of("match[]", List.copyOf(match)),
                        "scrape_interval", "30s", "static_configs", List.of(Map.of("targets", List.of(central.getHost() + ":" + port)))));
            }
        }
        return c.build();
    }

    /** prometheus.yml: 15 s scrapes and evaluation, the rules, Alertmanager, and the scrape jobs. */
    private Map<String, Object> prometheusConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("global", Map.of("scrape_interval", "15s", "evaluation_interval", "15s"));
        c.put("rule_files", List.of("/etc/prometheus/rules/*.yml"));
        c.put("alerting", Map.of("alertmanagers", List.of(Map.of("path_prefix", "/alertmanager/",
                "static_configs", List.of(Map.of("targets", List.of("alertmanager:9093")))))));
        c.put("scrape_configs", List.copyOf(scrapeJobs));
        return c;
    }

    /**
     * alertmanager.yml: critical and warning routes, grouping by alert and service, warnings
     * inhibited by a critical of the same service, each route to the environment's receiver.
     */
    private static Map<String, Object> alertmanagerConfig(MonitoringSettings settings) {
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
        Map<String, Object> critical = new LinkedHashMap<>(Map.of("name", "critical"));
        critical.putAll(settings.critical().toAlertmanager());
        Map<String, Object> warning = new LinkedHashMap<>(Map.of("name", "warning"));
        warning.putAll(settings.warning().toAlertmanager());
        c.put("receivers", List.of(critical, warning));
        return c;
    }

    /** The alerting rules as a Prometheus rule file. */
    public String rulesFile() {
        return Rendering.toYaml(Map.of("groups", List.of(Map.of("name", "keyboss", "rules",
                rules.stream().map(r -> (Object) r.toPrometheus()).toList()))));
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public List<GrafanaDashboard> dashboards() {
        return dashboards;
    }

    /** What the in-namespace Prometheus holds, by producer: it evaluates every rule and feeds this Grafana. */
    public MetricCatalog catalog() {
        return catalog;
    }

    /**
     * What the central Prometheus holds of this shop (ServiceMonitors and the cluster's declared
     * metrics), or null where no Prometheus Operator runs. Where a central Grafana reads the
     * dashboards, it reads them from here.
     */
    public MetricCatalog centralCatalog() {
        return centralCatalog;
    }

    private NetworkPeer pods(String name) {
        return NetworkPeer.pods(name, Labels.selector(name), workloads.get(name));
    }

    /**
     * Prometheus to every target of its static scrape jobs (read from the jobs themselves, the
     * address a relabelling sets included), to Alertmanager and, where it discovers or scrapes
     * the cluster, to the API server, the ingress controller and the kubelets; Grafana to Prometheus; each
     * exporter to what it exports; the probe exporter to the API, Alertmanager's Service and the
     * public URL (served by the ingress controller); Alertmanager to its webhook, whose URL is a Secret value and so
     * any address on 443/80; a central Prometheus Operator to the exporters' ServiceMonitors.
     * Prometheus, Alertmanager and Grafana wait for nothing they watch
     * ({@link Connection#withoutWaiting()}): they start first and watch the rest of the sync; each
     * exporter waits for what it reads, and the probes for the Ingress they go through.
     */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        ClusterNetwork network = environment.network();
        NetworkPeer prometheus = pods("prometheus");
        Map<String, NetworkPeer> services = new LinkedHashMap<>();
        services.put(props.postgres().membersServiceName(), props.postgres().membersPeer());
        services.put(props.valkey().sentinelName(), props.valkey().sentinelPeer());
        services.put(props.valkey().name(), props.valkey().dataPeer());
        for (Object o : scrapeJobs) {
            Map<?, ?> job = (Map<?, ?>) o;
            List<String> targets = new ArrayList<>();
            for (Object sc : Manifest.list(job.get("static_configs"))) {
                Manifest.list(((Map<?, ?>) sc).get("targets")).forEach(t -> targets.add(String.valueOf(t)));
            }
            for (Object r : Manifest.list(job.get("relabel_configs"))) {
                Map<?, ?> relabel = (Map<?, ?>) r;
                if ("__address__".equals(relabel.get("target_label")) && relabel.get("source_labels") == null) {
                    targets.replaceAll(t -> String.valueOf(relabel.get("replacement")));
                }
            }
            for (String target : new java.util.LinkedHashSet<>(targets)) {
                String host = target.substring(0, target.lastIndexOf(':'));
                int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                String[] labels = host.split("\\.");
                String why = "scrape job " + job.get("job_name");
                if (host.equals("localhost")) {
                    continue;
                } else if (labels.length >= 3 && labels[2].equals("svc") && !labels[1].equals(namespace)) {
                    out.add(Connection.of(prometheus, NetworkPeer.inNamespace("central-prometheus", labels[1], Map.of()), why,
                            NetworkPort.tcp(port)).withoutWaiting());
                } else {
                    // service, service.namespace.svc, or pod.service (a StatefulSet member).
                    String service = labels.length == 2 || (labels.length > 2 && !labels[2].equals("svc")) ? labels[1] : labels[0];
                    out.add(Connection.of(prometheus, services.getOrDefault(service, pods(service)), why, NetworkPort.tcp(port))
                            .withoutWaiting());
                }
            }
        }
        out.add(Connection.of(prometheus, pods("alertmanager"), "alerts", NetworkPort.tcp(9093)).withoutWaiting());
        // kubernetes_sd (the kubernetes-pods job everywhere; the cluster-wide jobs where allowed).
        out.addAll(network.toKubeApi(prometheus, "service discovery and the API server's own metrics"));
        if (environment.clusterScopedAllowed()) {
            out.add(Connection.of(prometheus, network.ingressController(), "scrape job traefik", NetworkPort.tcp(9100)).withoutWaiting());
            out.add(Connection.of(prometheus, network.kubelets(), "scrape jobs kubernetes-nodes and kubernetes-cadvisor",
                    NetworkPort.tcp(KUBELET_PORT)).withoutWaiting());
        }
        out.add(Connection.of(pods("grafana"), prometheus, "Grafana's datasource", NetworkPort.tcp(9090)).withoutWaiting());
        out.addAll(network.toKubeApi(pods("kube-state-metrics"), "kube-state-metrics lists and watches objects"));
        for (int i = 0; i < props.postgres().replicas(); i++) {
            out.add(Connection.of(pods("postgres-exporter-" + i), props.postgres().membersPeer(),
                    "postgres-exporter reads its member", NetworkPort.tcp(PostgresHA.PORT)));
        }
        out.addAll(props.valkey().clientConnections(pods("redis-exporter"), "redis-exporter reads"));
        NetworkPeer probe = pods("keyboss-exporter");
        out.add(Connection.of(probe, props.api().peer(), "probe of the API's internal URL", NetworkPort.tcp(props.api().port())));
        // The public URLs reach the shop through its Ingress: the probes wait for it.
        out.add(new Connection(probe, network.ingressController().withObjects(props.ingress().ingress()),
                network.ingressPortsFor(environment.publicUrl()), "probes of the public URLs"));
        out.add(Connection.of(probe, pods("alertmanager"), "probe of Alertmanager's Service", NetworkPort.tcp(9093)));
        out.add(Connection.of(pods("alertmanager"), NetworkPeer.addresses("alert-webhook", "0.0.0.0/0"),
                "the alert webhook (its URL is a Secret value)", NetworkPort.tcp(443), NetworkPort.tcp(80)));
        if (environment.monitoring().prometheusOperator() && environment.monitoring().centralPrometheusUrl() != null) {
            String[] host = java.net.URI.create(environment.monitoring().centralPrometheusUrl()).getHost().split("\\.");
            if (host.length >= 2) {
                NetworkPeer central = NetworkPeer.inNamespace("central-prometheus", host[1], Map.of());
                for (String exporter : serviceMonitored().keySet()) {
                    out.add(Connection.of(central, pods(exporter), "ServiceMonitor " + exporter, NetworkPort.named(METRICS_PORT))
                            .withoutWaiting());
                }
            }
        }
        return List.copyOf(out);
    }
}
