package keyboss.charts.shop;

import keyboss.charts.monitoring.AlertRules;
import keyboss.charts.app.AppConfig;
import keyboss.charts.app.AppConfigProps;
import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.data.BaseBackups;
import keyboss.charts.data.BaseBackupsProps;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.app.CeleryWorkersProps;
import keyboss.charts.app.Dashboard;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.monitoring.MonitoringStack;
import keyboss.charts.core.NetworkPolicies;
import keyboss.charts.core.NetworkPoliciesProps;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.data.RestoreDrill;
import keyboss.charts.data.RestoreDrillProps;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.SaleorApiProps;
import keyboss.charts.model.SecretContract;
import keyboss.charts.core.Secrets;
import keyboss.charts.core.SecretsProps;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.ShopIngressProps;
import keyboss.charts.app.Storefront;
import keyboss.charts.data.ValkeyBackup;
import keyboss.charts.data.ValkeyBackupProps;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import org.cdk8s.plus25.k8s.KubeNamespace;
import org.cdk8s.plus25.k8s.KubeNamespaceProps;
import software.constructs.Construct;

/**
 * The KeyBoss shop for one {@link Environment}: what Argo CD syncs into {@code dist/<env>/}.
 * Each child construct becomes one file, named after its id: {@code namespace} (only where the
 * environment may create its namespace), {@code postgres}, {@code valkey}, {@code saleor-api},
 * {@code celery-worker}, {@code storefront}, {@code dashboard}, {@code config}, {@code ingress},
 * {@code seed}, {@code backup} (logical dumps), {@code basebackup} (pgBackRest),
 * {@code restore-drill}, {@code valkey-backup}, {@code monitoring}, {@code network-policies}.
 * Everything is wired through the constructs: the API finds the
 * database and Valkey through them, the ConfigMap is derived from them, the ingress routes to
 * their Services.
 */
public class KeybossChart extends EnvironmentChart {

    /** The Secret every environment must hold; {@code bin/create-secrets} creates it. */
    public static final SecretContract SECRETS = SecretContract.keyboss();

    private final PostgresHA postgres;
    private final ValkeySentinel valkey;
    private final SaleorApi api;
    private final CeleryWorkers workers;
    private final Storefront storefront;
    private final Dashboard dashboard;
    private final AppConfig config;
    private final ShopIngress ingress;
    private final MonitoringStack monitoring;
    private final BackupCronJob backup;
    private final NetworkPolicies networkPolicies;
    private final BaseBackups baseBackups;
    private final RestoreDrill restoreDrill;
    private final ValkeyBackup valkeyBackup;

    public KeybossChart(Construct scope, String id, Environment environment) {
        super(scope, id, environment);
        if (environment.createNamespace()) {
            new KubeNamespace(this, "namespace", KubeNamespaceProps.builder()
                    .metadata(K8s.meta(environment.namespace(), Labels.COMMON))
                    .build());
        }
        new Secrets(this, "secrets", SecretsProps.of(SECRETS));
        this.postgres = new PostgresHA(this, "postgres", PostgresHAProps.builder().secretName(SECRETS.name()).build());
        this.valkey = new ValkeySentinel(this, "valkey", ValkeySentinelProps.builder()
                .secretName(SECRETS.name()).passwordKey(SECRETS.urlKey("VALKEY_PASSWORD")).build());
        this.api = new SaleorApi(this, "saleor-api", SaleorApiProps.builder()
                .database(postgres).cache(valkey).secrets(SECRETS).build());
        this.workers = new CeleryWorkers(this, "celery-worker", CeleryWorkersProps.builder().api(api).build());
        this.storefront = new Storefront(this, "storefront", Storefront.defaults().api(api).build());
        this.dashboard = new Dashboard(this, "dashboard", Dashboard.defaults().api(api).build());
        this.config = new AppConfig(this, "config", AppConfigProps.builder()
                .database(postgres).cache(valkey).api(api).dashboard(dashboard).build());
        this.ingress = new ShopIngress(this, "ingress", ShopIngressProps.builder()
                .storefront(storefront).api(api).dashboard(dashboard).build());
        api.addSeedJob(this, "seed");
        this.backup = new BackupCronJob(this, "backup", BackupCronJobProps.builder().database(postgres).build());
        this.baseBackups = new BaseBackups(this, "basebackup", BaseBackupsProps.builder().database(postgres).build());
        this.restoreDrill = new RestoreDrill(this, "restore-drill", RestoreDrillProps.builder().backups(baseBackups).build());
        this.valkeyBackup = new ValkeyBackup(this, "valkey-backup", ValkeyBackupProps.builder()
                .valkey(valkey).secretName(SECRETS.name()).build());
        this.monitoring = new MonitoringStack(this, "monitoring", new MonitoringStack.Props(api, workers, storefront,
                postgres, valkey, backup, ingress, SECRETS,
                AlertRules.forBackups(environment.namespace(), postgres, baseBackups, restoreDrill, valkeyBackup)));
        // Last: it reads every construct's declared connections, the routes added above included
        // (the same declarations the sync waves and the reference checks read).
        this.networkPolicies = new NetworkPolicies(this, "network-policies", NetworkPoliciesProps.of(connected()));
    }

    public NetworkPolicies networkPolicies() {
        return networkPolicies;
    }

    public MonitoringStack monitoring() {
        return monitoring;
    }

    public SaleorApi api() {
        return api;
    }

    public CeleryWorkers workers() {
        return workers;
    }

    public Storefront storefront() {
        return storefront;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public AppConfig config() {
        return config;
    }

    public ShopIngress ingress() {
        return ingress;
    }

    public PostgresHA postgres() {
        return postgres;
    }

    public ValkeySentinel valkey() {
        return valkey;
    }

    public BackupCronJob backup() {
        return backup;
    }

    public BaseBackups baseBackups() {
        return baseBackups;
    }

    public RestoreDrill restoreDrill() {
        return restoreDrill;
    }

    public ValkeyBackup valkeyBackup() {
        return valkeyBackup;
    }
}
