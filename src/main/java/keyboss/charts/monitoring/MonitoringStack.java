package keyboss.charts.monitoring;

import keyboss.charts.data.BackupCronJob;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.env.ClusterMetrics;
import keyboss.charts.core.Component;
import keyboss.charts.core.Connected;
import keyboss.charts.network.Connection;
import keyboss.charts.env.MetricCatalog;
import keyboss.charts.env.MetricSets;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.core.Problems;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.model.SecretContract;
import keyboss.charts.core.ServiceBackend;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.Storefront;
import keyboss.charts.data.ValkeySentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The seed's observability (section 4), composed of one construct per server: a
 * {@link Prometheus} (15 s scrapes, 15 d retention, alert rules as code), an {@link Alertmanager}
 * (routes by severity, inhibition, receivers from the environment), a {@link Grafana} (three
 * dashboards provisioned from ConfigMaps), {@link KubeStateMetrics}, a {@link PostgresExporter}
 * per database member, a {@link RedisExporter} (which also reads the Sentinels) and the
 * {@link KeybossExporter} probes. Each of them declares its scrape jobs ({@link Scraped}) and
 * Prometheus renders its configuration from what is registered; Patroni's job is declared here
 * from the {@link PostgresHA} it watches. Where the cluster admits cluster-scoped objects,
 * discovery and kube-state-metrics are cluster-wide; elsewhere they are confined to the namespace
 * with Roles, and what only the cluster sees (Traefik, cAdvisor) is federated from the central
 * Prometheus the environment declares. Where the cluster runs the Prometheus Operator,
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
 * <p>Construct ids (public API): {@code prometheus}, {@code alertmanager}, {@code grafana},
 * {@code kube-state-metrics}, {@code postgres-exporter-N}, {@code redis-exporter},
 * {@code keyboss-exporter}; their objects are named after them ({@code prometheus-*},
 * {@code ksm-*} and so on, {@code *-monitor} for ServiceMonitors).
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

    /** Prometheus' external URL ({@link Prometheus#LOCAL_URL}). */
    public static final String PROMETHEUS_LOCAL_URL = Prometheus.LOCAL_URL;
    /** Alertmanager's external URL ({@link Alertmanager#LOCAL_URL}). */
    public static final String ALERTMANAGER_LOCAL_URL = Alertmanager.LOCAL_URL;

    private final Prometheus prometheus;
    private final Alertmanager alertmanager;
    private final Grafana grafana;
    private final KubeStateMetrics kubeStateMetrics;
    /** The exporters, in the order they were added (their connections are listed in it). */
    private final List<Exporter> exporters = new ArrayList<>();
    private final MetricCatalog catalog;
    private final MetricCatalog centralCatalog;

    public MonitoringStack(Construct scope, String id, Props props) {
        super(scope, id);
        String namespace = environment.namespace();
        MonitoringSettings settings = environment.monitoring();
        this.prometheus = new Prometheus(this, "prometheus");
        this.alertmanager = new Alertmanager(this, "alertmanager", AlertmanagerProps.of(props.secrets()));
        prometheus.addAlertmanager(alertmanager);
        this.grafana = new Grafana(this, "grafana", GrafanaProps.of(prometheus, props.secrets()));
        this.kubeStateMetrics = new KubeStateMetrics(this, "kube-state-metrics");
        prometheus.scrape(kubeStateMetrics);
        for (int i = 0; i < props.postgres().replicas(); i++) {
            exporters.add(new PostgresExporter(this, "postgres-exporter-" + i,
                    new PostgresExporterProps(props.postgres(), i, props.secrets())));
        }
        exporters.add(new RedisExporter(this, "redis-exporter", new RedisExporterProps(props.valkey())));
        exporters.add(new KeybossExporter(this, "keyboss-exporter",
                new KeybossExporterProps(props.api(), props.storefront(), props.ingress(), alertmanager)));
        exporters.forEach(prometheus::scrape);
        prometheus.addScrapeTarget(patroni(props.postgres()));

        this.catalog = prometheus.catalog();
        this.centralCatalog = settings.prometheusOperator() ? centralCatalog(settings) : null;
        String probeLabel = probeLabel(catalog);
        if (centralCatalog != null && !probeLabel.equals(probeLabel(centralCatalog))) {
            // One dashboard JSON serves both Prometheuses; the in-namespace scrape mirrors the
            // ServiceMonitor's target labels so that this cannot happen.
            throw new IllegalStateException("the probe label differs between the Prometheuses: " + probeLabel
                    + " vs " + probeLabel(centralCatalog));
        }
        List<AlertRule> rules = new ArrayList<>(AlertRules.forShop(namespace, probeLabel, props.api(), props.storefront(),
                props.workers(), props.postgres(), props.valkey(), props.backup()));
        rules.addAll(props.extraRules());
        for (AlertRule rule : rules) {
            if (rule.problem() != null) {
                Problems.report(this, "rules." + rule.name(), rule.forDuration(), "a valid alerting rule", rule.problem());
            }
        }
        prometheus.addRules(List.copyOf(rules));
        grafana.addDashboards(Dashboards.forShop(namespace, probeLabel, props.api(),
                props.storefront(), props.workers(), props.postgres(), props.valkey(), props.backup()));
        // Grafana only: Prometheus and Alertmanager have no login of their own.
        props.ingress().addPath(Grafana.ROUTE_PREFIX, new ServiceBackend(grafana.serviceName(), Grafana.PORT.name(), grafana.peer()));
    }

    /**
     * Each member's Patroni REST API (who holds the lease, the timeline, whether the manager
     * runs at all), on the port the members' Service names; job {@code patroni}.
     */
    private ScrapeTarget patroni(PostgresHA postgres) {
        ScrapeTarget.Builder job = ScrapeTarget.builder("patroni").order(ScrapeTarget.ORDER_DATABASE + 1)
                .labels(Map.of("namespace", environment.namespace(), "service", postgres.name()))
                .families(MetricSets.patroni()).targetLabels(List.of("job", "instance", "namespace", "service"));
        for (int i = 0; i < postgres.replicas(); i++) {
            job.address(postgres.podHost(i) + ":" + PostgresHA.API_PORT)
                    .reach(postgres.membersPeer(), NetworkPort.tcp(PostgresHA.API_PORT));
        }
        return job.build();
    }

    /** The alerting rules as a Prometheus rule file. */
    public String rulesFile() {
        return prometheus.rulesFile();
    }

    public List<AlertRule> rules() {
        return prometheus.rules();
    }

    public List<GrafanaDashboard> dashboards() {
        return grafana.dashboards();
    }

    public Prometheus prometheus() {
        return prometheus;
    }

    public Alertmanager alertmanager() {
        return alertmanager;
    }

    public Grafana grafana() {
        return grafana;
    }

    public KubeStateMetrics kubeStateMetrics() {
        return kubeStateMetrics;
    }

    public List<Exporter> exporters() {
        return List.copyOf(exporters);
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

    /** The name the probe's {@code endpoint} label has in {@code c}: renamed where the scrape sets its own. */
    private static String probeLabel(MetricCatalog c) {
        return c.families().get("keyboss_probe_success").labels().contains("exported_endpoint") ? "exported_endpoint" : "endpoint";
    }

    /** What the central Prometheus holds of this shop: the ServiceMonitors' targets and what the cluster declares. */
    private MetricCatalog centralCatalog(MonitoringSettings settings) {
        MetricCatalog.Builder c = new MetricCatalog.Builder(environment.name() + " central Prometheus");
        for (Exporter e : exporters) {
            if (e.serviceMonitored()) {
                c.scraped("ServiceMonitor " + e.name(), e.families(), Exporter.SERVICE_MONITOR_TARGET_LABELS);
            }
        }
        for (ClusterMetrics m : settings.clusterMetrics()) {
            c.asIs(m.producer(), m.families());
        }
        return c.build();
    }

    /**
     * Each component's: Prometheus to every target of its jobs, its Alertmanager, the API server
     * and, where it scrapes the cluster, the ingress controller and the kubelets; Grafana to
     * Prometheus; kube-state-metrics to the API server; each exporter to what it exports (the
     * probes to the API, the public URL through the Ingress, and Alertmanager); Alertmanager to
     * its webhook; a central Prometheus Operator to the exporters' ServiceMonitors. Prometheus,
     * Alertmanager and Grafana wait for nothing they watch; each exporter waits for what it reads.
     */
    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>(prometheus.connections());
        out.addAll(grafana.connections());
        out.addAll(kubeStateMetrics.connections());
        exporters.forEach(e -> out.addAll(e.connections()));
        out.addAll(alertmanager.connections());
        exporters.forEach(e -> out.addAll(e.serviceMonitorConnections()));
        return List.copyOf(out);
    }
}
