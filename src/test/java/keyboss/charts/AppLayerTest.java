package keyboss.charts;

import keyboss.charts.app.AppConfig;
import keyboss.charts.app.AppConfigProps;
import keyboss.charts.core.Autoscaling;
import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.app.CeleryWorkers;
import keyboss.charts.app.CeleryWorkersProps;
import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.app.Dashboard;
import keyboss.charts.core.DatabaseLogin;
import keyboss.charts.env.Environment;
import keyboss.charts.data.ExternalDatabase;
import keyboss.charts.env.Images;
import keyboss.charts.env.IngressTls;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.core.NetworkPolicies;
import keyboss.charts.core.NetworkPoliciesProps;
import keyboss.charts.network.ObjectRef;
import keyboss.charts.validation.PodSecurity;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.SaleorApiProps;
import keyboss.charts.validation.SchemaValidator;
import keyboss.charts.model.Scheme;
import keyboss.charts.core.Scripts;
import keyboss.charts.core.ServiceBackend;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.ShopIngressProps;
import keyboss.charts.model.Size;
import keyboss.charts.app.Storefront;
import keyboss.charts.core.SyncWaves;
import keyboss.charts.data.ValkeySentinel;
import keyboss.charts.data.ValkeySentinelProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application layer of the built-in charts: API, workers, storefront, dashboard, config, ingress, jobs. */
class AppLayerTest {

    private static final List<Manifest> DETI = Fixtures.builtIn("deti");
    private static final List<Manifest> LOCAL = Fixtures.builtIn("local");

    private static Map<String, Object> valueFrom(Map<String, Object> container, String var) {
        for (Object e : Manifest.list(container.get("env"))) {
            if (var.equals(Manifest.map(e).get("name"))) {
                return Manifest.map(Manifest.map(e).get("valueFrom"));
            }
        }
        throw new AssertionError("no env var " + var);
    }

    @Test
    void apiAutoscalesOnCpuAndMemoryWithTheSeedsWindows() {
        Manifest hpa = find(DETI, "HorizontalPodAutoscaler", "saleor-api-hpa");
        assertEquals("autoscaling/v2", hpa.apiVersion());
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "saleor-api"), hpa.at("spec.scaleTargetRef"));
        assertEquals(2, hpa.at("spec.minReplicas"));
        assertEquals(6, hpa.at("spec.maxReplicas"));
        assertEquals(List.of(
                Map.of("type", "Resource", "resource", Map.of("name", "cpu", "target", Map.of("type", "Utilization", "averageUtilization", 70))),
                Map.of("type", "Resource", "resource", Map.of("name", "memory", "target", Map.of("type", "Utilization", "averageUtilization", 80)))),
                hpa.at("spec.metrics"));
        assertEquals(60, hpa.at("spec.behavior.scaleUp.stabilizationWindowSeconds"));
        assertEquals(300, hpa.at("spec.behavior.scaleDown.stabilizationWindowSeconds"));
        assertNull(find(DETI, "Deployment", "saleor-api").at("spec.replicas"), "the HPA owns the replica count");
        assertEquals(1, find(DETI, "PodDisruptionBudget", "saleor-api").at("spec.minAvailable"));
    }

    @Test
    void apiPrefersOneNodePerPod() {
        Object term = Manifest.list(find(DETI, "Deployment", "saleor-api")
                .at("spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")).get(0);
        assertEquals(Map.of("weight", 100, "podAffinityTerm", Map.of(
                "labelSelector", Map.of("matchLabels", Map.of(Labels.NAME, "saleor-api")),
                "topologyKey", "kubernetes.io/hostname")), term);
    }

    @Test
    void apiProbesSaleorsHealthEndpointAndWaitsForMigrations() {
        Manifest api = find(DETI, "Deployment", "saleor-api");
        Map<String, Object> c = container(api, "containers", "saleor-api");
        for (String probe : List.of("startupProbe", "readinessProbe")) {
            assertEquals(Map.of("path", "/health/", "port", "http"), Manifest.map(c.get(probe)).get("httpGet"), probe);
        }
        // Alive is cheaper than ready: uvicorn accepts connections.
        assertEquals(Map.of("port", "http"), Manifest.map(c.get("livenessProbe")).get("tcpSocket"));
        Map<String, Object> wait = container(api, "initContainers", "wait-for-migrations");
        assertEquals(List.of("/scripts/wait-for-migrations.sh"), wait.get("command"));
        assertContainsAll(Scripts.read("saleor/wait-for-migrations.sh"), "migrate --check");
        Manifest migrate = find(DETI, "Job", "saleor-migrate-3-20-0");
        assertEquals(List.of("/scripts/migrate.sh"), container(migrate, "containers", "migrate").get("command"));
        assertContainsAll(Scripts.read("saleor/migrate.sh"), "manage.py migrate --no-input");
    }

    @Test
    void apiReachesTheDatabaseThroughThePrimaryService() {
        Map<String, Object> c = container(find(DETI, "Deployment", "saleor-api"), "containers", "saleor-api");
        assertEquals(Map.of("configMapKeyRef", Map.of("name", "keyboss-config", "key", "POSTGRES_HOST")), valueFrom(c, "POSTGRES_HOST"));
        assertEquals("postgres://saleor:$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):5432/saleor", env(c, "DATABASE_URL"));
        assertEquals("keyboss_settings", env(c, "DJANGO_SETTINGS_MODULE"));
        // That host is the primary Service, which selects no pods: Patroni's leader writes its endpoints,
        // so nothing rewrites the ConfigMap or restarts the API on failover.
        assertEquals("postgres", Manifest.map(find(DETI, "ConfigMap", "keyboss-config").object().get("data")).get("POSTGRES_HOST"));
        assertEquals(null, find(DETI, "Service", "postgres").at("spec.selector"));
    }

    @Test
    void configIsDerivedFromTheWiringAndTheEnvironment() {
        Map<String, Object> deti = Manifest.map(find(DETI, "ConfigMap", "keyboss-config").object().get("data"));
        assertEquals("postgres", deti.get("POSTGRES_HOST"));
        assertEquals("https://keyboss.deti/graphql/", deti.get("API_URI"));
        assertEquals("https://keyboss.deti/graphql/", deti.get("NEXT_PUBLIC_API_URI"));
        assertEquals("https://keyboss.deti/", deti.get("PUBLIC_URL"));
        assertEquals("http://saleor-api.tenant-keyboss.svc:8000/graphql/", deti.get("SALEOR_API_URL_INTERNAL"));
        // TLS on the Ingress: the refresh-token cookie is Secure.
        assertEquals("1", deti.get("JWT_COOKIE_SECURE"));
        assertEquals("mymaster", deti.get("REDIS_MASTER_NAME"));
        assertEquals("redis-sentinel-0.redis-sentinel:26379,redis-sentinel-1.redis-sentinel:26379,"
                + "redis-sentinel-2.redis-sentinel:26379", deti.get("CACHE_SENTINELS"));
        // URLs with credentials are not in the ConfigMap; REDIS_URL would break django-cache-url.
        for (String key : List.of("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")) {
            assertFalse(deti.containsKey(key), key);
        }
        assertEquals("keyboss.deti,saleor-api,saleor-api.tenant-keyboss.svc", deti.get("ALLOWED_HOSTS"));
        Map<String, Object> local = Manifest.map(find(LOCAL, "ConfigMap", "keyboss-config").object().get("data"));
        assertEquals("https://localhost/graphql/", local.get("API_URI"));
        assertEquals("http://saleor-api.keyboss.svc:8000/graphql/", local.get("SALEOR_API_URL_INTERNAL"));
    }

    @Test
    void saleorPodsAuthenticateToValkeyWithThePasswordOfTheSecret() {
        for (String name : List.of("saleor-api")) {
            Map<String, Object> c = container(find(DETI, "Deployment", name), "containers", name);
            String env = c.get("env").toString();
            assertContainsAll(env, "name=VALKEY_PASSWORD", "key=VALKEY_PASSWORD", "name=keyboss-secrets");
            assertEquals("sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-0.redis-sentinel:26379/1;"
                    + "sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-1.redis-sentinel:26379/1;"
                    + "sentinel://:$(VALKEY_PASSWORD)@redis-sentinel-2.redis-sentinel:26379/1", env(c, "CELERY_BROKER_URL"));
            assertTrue(env(c, "CELERY_RESULT_BACKEND").endsWith("@redis-sentinel-2.redis-sentinel:26379/2"));
            // Kubernetes expands $(VALKEY_PASSWORD) only from variables defined before it.
            List<String> names = Manifest.list(c.get("env")).stream().map(v -> (String) Manifest.map(v).get("name")).toList();
            assertTrue(names.indexOf("VALKEY_PASSWORD") < names.indexOf("CELERY_BROKER_URL"), names.toString());
        }
        Map<String, Object> worker = container(find(DETI, "Deployment", "celery-worker"), "containers", "celery-worker");
        assertTrue(worker.get("env").toString().contains("name=VALKEY_PASSWORD"));
    }

    @Test
    void sentinelSettingsModuleIsMountedWhereThePythonPathPoints() {
        Map<String, Object> settings = Manifest.map(find(DETI, "ConfigMap", "saleor-api-settings").object().get("data"));
        assertContainsAll((String) settings.get("keyboss_settings.py"), "CELERY_BROKER_TRANSPORT_OPTIONS",
                "master_name", "sentinel_kwargs", "CELERY_TASK_PUBLISH_RETRY_POLICY", "django_redis.client.SentinelClient",
                "IGNORE_EXCEPTIONS", "NOREPLICAS");
        Map<String, Object> c = container(find(DETI, "Deployment", "saleor-api"), "containers", "saleor-api");
        assertEquals("/app/keyboss", env(c, "PYTHONPATH"));
        assertTrue(c.get("volumeMounts").toString().contains("mountPath=/app/keyboss"));
    }

    @Test
    void workersScale2To4AndGetTimeToFinishATask() {
        Manifest hpa = find(DETI, "HorizontalPodAutoscaler", "celery-worker-hpa");
        assertEquals(2, hpa.at("spec.minReplicas"));
        assertEquals(4, hpa.at("spec.maxReplicas"));
        assertEquals(90, hpa.at("spec.behavior.scaleUp.stabilizationWindowSeconds"));
        assertEquals(300, hpa.at("spec.behavior.scaleDown.stabilizationWindowSeconds"));
        Manifest workers = find(DETI, "Deployment", "celery-worker");
        assertEquals(330, workers.at("spec.template.spec.terminationGracePeriodSeconds"));
        Map<String, Object> c = container(workers, "containers", "celery-worker");
        assertTrue(c.get("command").toString().contains("--time-limit, 300"), c.get("command").toString());
        String liveness = Manifest.list(Manifest.map(Manifest.map(c.get("livenessProbe")).get("exec")).get("command")).get(2).toString();
        assertContainsAll(liveness, "inspect ping", "--destination celery@$HOSTNAME");
        assertTrue(workers.at("spec.template.spec.affinity").toString().contains("kubernetes.io/hostname"));
    }

    @Test
    void storefrontTakesImageAndUrlsFromTheEnvironment() {
        Manifest deti = find(DETI, "Deployment", "saleor-storefront");
        assertEquals(2, deti.at("spec.replicas"));
        Map<String, Object> c = container(deti, "containers", "saleor-storefront");
        assertEquals(Images.STOREFRONT_DETI, c.get("image"));
        assertEquals("IfNotPresent", c.get("imagePullPolicy"), "a version tag is pulled once per node");
        assertEquals(Map.of("configMapKeyRef", Map.of("name", "keyboss-config", "key", "SALEOR_API_URL_INTERNAL")),
                valueFrom(c, "SALEOR_API_URL_INTERNAL"));
        assertEquals(Map.of("configMapKeyRef", Map.of("name", "keyboss-config", "key", "NEXT_PUBLIC_API_URI")),
                valueFrom(c, "NEXT_PUBLIC_SALEOR_API_URL"));
        Map<String, Object> local = container(find(LOCAL, "Deployment", "saleor-storefront"), "containers", "saleor-storefront");
        assertEquals("keyboss-storefront:m2", local.get("image"));
        assertEquals("IfNotPresent", local.get("imagePullPolicy"));
        assertEquals(1, find(DETI, "PodDisruptionBudget", "saleor-storefront").at("spec.minAvailable"));
    }

    @Test
    void dashboardIsServedUnderItsPathByAnUnprivilegedNginx() {
        Manifest d = find(DETI, "Deployment", "saleor-dashboard");
        Map<String, Object> c = container(d, "containers", "saleor-dashboard");
        assertEquals(Images.DASHBOARD_SERVER, c.get("image"));
        assertEquals("/dashboard/", new Manifest("", c).at("readinessProbe.httpGet.path"));
        Map<String, Object> copy = container(d, "initContainers", "copy-files");
        assertEquals(Images.DASHBOARD, copy.get("image"));
        assertEquals("/srv/dashboard", env(copy, "TARGET"));
        // No exception any more: the pod meets Pod Security "restricted" as it is.
        assertFalse(String.valueOf(d.metadata().get("annotations")).contains(ClusterProfile.SECURITY_EXCEPTION));
        assertEquals(true, d.at("spec.template.spec.securityContext.runAsNonRoot"));
        assertEquals(true, new Manifest("", c).at("securityContext.readOnlyRootFilesystem"));
        assertEquals(true, new Manifest("", copy).at("securityContext.readOnlyRootFilesystem"));
        List<Problem> breaches = new java.util.ArrayList<>();
        PodSecurity.check("deti", d, PodSecurity.Level.RESTRICTED, breaches);
        assertEquals(List.of(), breaches.stream().map(Object::toString).toList());
    }

    @Test
    void ingressRoutesEachPathToItsApp() {
        Manifest ingress = find(DETI, "Ingress", "keyboss");
        assertEquals("traefik", ingress.at("spec.ingressClassName"));
        Map<String, Object> rule = Manifest.map(Manifest.list(ingress.at("spec.rules")).get(0));
        assertEquals("keyboss.deti", rule.get("host"));
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        for (Object p : Manifest.list(Manifest.map(rule.get("http")).get("paths"))) {
            Manifest path = new Manifest("", Manifest.map(p));
            assertEquals("Prefix", path.at("pathType"));
            routes.put((String) path.at("path"), path.at("backend.service.name") + ":" + path.at("backend.service.port.name"));
        }
        // Prometheus and Alertmanager have no login: not routed (port-forward or Grafana).
        assertEquals(Map.of("/", "saleor-storefront:http", "/graphql/", "saleor-api:http",
                "/dashboard/", "saleor-dashboard:http", "/grafana/", "grafana:grafana"), routes);
        assertEquals("localhost", Manifest.map(Manifest.list(find(LOCAL, "Ingress", "keyboss").at("spec.rules")).get(0)).get("host"));
    }

    @Test
    void seedJobIsIdempotentByConstruction() {
        Manifest seed = DETI.stream().filter(m -> "Job".equals(m.kind()) && m.name().startsWith("saleor-seed-"))
                .findFirst().orElseThrow();
        Map<String, Object> c = container(seed, "containers", "seed");
        assertEquals("admin@admin.com", env(c, "ADMIN_EMAIL"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "keyboss-secrets", "key", "ADMIN_PASSWORD")), valueFrom(c, "ADMIN_PASSWORD"));
        String script = Scripts.read("saleor/seed.py");
        assertContainsAll(script, "get_or_create", ".exists()", "Digital Keys", "featured-products", "top-pick");
        assertTrue(!script.contains(".delete("), "the seed never deletes");
    }

    @Test
    void noSecretIsWritten() {
        for (List<Manifest> env : List.of(DETI, LOCAL)) {
            assertTrue(env.stream().noneMatch(m -> "Secret".equals(m.kind())), "dist holds no Secret object");
        }
    }

    private static List<Problem> apiProblems(java.util.function.UnaryOperator<SaleorApiProps.Builder> change) {
        return Fixtures.problems(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            new SaleorApi(c, "api", change.apply(SaleorApiProps.builder().database(db).cache(cache)).build());
        });
    }

    @Test
    void replicaRangesMustBeOrderedAndHighlyAvailable() {
        assertContainsAll(problemFor(apiProblems(b -> b.autoscaling(Autoscaling.of(5, 3, 60))), "autoscaling.maxReplicas")
                .toString(), "[test/api] autoscaling.maxReplicas = 3", "not below minReplicas 5", "Fix: raise maxReplicas");
        assertContainsAll(problemFor(apiProblems(b -> b.autoscaling(Autoscaling.of(1, 1, 60))), "autoscaling.minReplicas")
                .toString(), "minReplicas = 1", "high availability");
        List<Problem> workers = Fixtures.problems(Environment.local(), c -> new CeleryWorkers(c, "workers",
                CeleryWorkersProps.builder().autoscaling(Autoscaling.of(2, 1, 90)).build()));
        assertContainsAll(problemFor(workers, "api").toString(), "[test/workers] api = (missing)");
        assertContainsAll(problemFor(workers, "autoscaling.maxReplicas").toString(), "maxReplicas = 1");
    }

    @Test
    void utilizationTargetsArePercentages() {
        List<Problem> p = apiProblems(b -> b.autoscaling(Autoscaling.of(2, 6, 60).withTargets(0, 101)));
        assertContainsAll(problemFor(p, "autoscaling.cpuPercent").toString(), "cpuPercent = 0", "from 1 to 100");
        assertContainsAll(problemFor(p, "autoscaling.memoryPercent").toString(), "memoryPercent = 101", "from 1 to 100");
    }

    @Test
    void anExternalDatabaseServesTheApiItsConfigAndTheLogicalBackups() {
        // A database the chart does not run: the API, the ConfigMap and the dumps use it through
        // IDatabase as they use PostgresHA, and the policies let them reach its addresses.
        ExternalDatabase external = new ExternalDatabase("managed", "db.example.internal", 6432, "shopdb",
                new DatabaseLogin("shop", "db-credentials", "password"),
                new DatabaseLogin("dumper", "db-credentials", "dumper-password"),
                NetworkPeer.addresses("managed-postgres", "10.20.0.5/32"), Size.gi(4));
        List<Manifest> m = Fixtures.synth(Environment.local(), c -> {
            ValkeySentinel cache = new ValkeySentinel(c, "valkey");
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(external).cache(cache).build());
            Dashboard dashboard = new Dashboard(c, "dashboard", Dashboard.defaults().api(api).build());
            new AppConfig(c, "config", AppConfigProps.builder().database(external).cache(cache).api(api)
                    .dashboard(dashboard).build());
            new BackupCronJob(c, "backup", BackupCronJobProps.builder().database(external)
                    .secretName(KeybossChart.SECRETS.name()).build());
            new NetworkPolicies(c, "policies", NetworkPoliciesProps.of(c.connected()));
        });
        Map<String, Object> config = Manifest.map(find(m, "ConfigMap", AppConfig.NAME).object().get("data"));
        assertEquals("db.example.internal", config.get(AppConfig.POSTGRES_HOST));
        assertEquals("6432", config.get(AppConfig.POSTGRES_PORT));
        assertEquals("shop", config.get(AppConfig.POSTGRES_USER));
        Map<String, Object> api = container(find(m, "Deployment", "saleor-api"), "containers", "saleor-api");
        assertEquals("postgres://shop:$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):6432/shopdb", env(api, "DATABASE_URL"));
        assertContainsAll(api.get("env").toString(), "name=POSTGRES_PASSWORD, valueFrom={secretKeyRef={key=password, name=db-credentials}}");
        Map<String, Object> dump = container(find(m, "CronJob", "postgres-backup"), "containers", "backup");
        assertEquals("db.example.internal:6432", env(dump, "PEERS"));
        assertEquals("dumper", env(dump, "PGUSER"));
        assertEquals("managed", env(dump, "PGBACKREST_STANZA"));
        assertContainsAll(dump.get("env").toString(), "name=PGPASSWORD, valueFrom={secretKeyRef={key=dumper-password, name=db-credentials}}");
        String policies = m.stream().filter(o -> o.kind().equals("NetworkPolicy")).map(o -> o.object().toString()).toList().toString();
        assertContainsAll(policies, "ipBlock={cidr=10.20.0.5/32}", "port=6432");
    }

    @Test
    void pathsAndHostsAreChecked() {
        assertContainsAll(problemFor(apiProblems(b -> b.healthPath("health")), "healthPath").toString(),
                "healthPath = 'health'", "starts and ends with '/'", "Fix: write it as /health/");
        List<Problem> p = Fixtures.problems(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(db).cache(cache).build());
            Storefront storefront = new Storefront(c, "storefront", Storefront.defaults().api(api).build());
            Dashboard dashboard = new Dashboard(c, "dashboard", Dashboard.defaults().api(api).path("/dashboard").build());
            new ShopIngress(c, "ingress", ShopIngressProps.builder().storefront(storefront).api(api).dashboard(dashboard)
                    .host("Shop_Host!").build());
        });
        assertContainsAll(problemFor(p, "path").toString(), "[test/dashboard] path = '/dashboard'", "/dashboard/");
        assertContainsAll(problemFor(p, "host").toString(), "[test/ingress] host = 'Shop_Host!'", "not a DNS name");
    }

    @Test
    void addPathAppendsARouteAndRejectsABadPath() {
        List<Manifest> m = Fixtures.synth(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(db).cache(cache).build());
            ShopIngress ingress = new ShopIngress(c, "ingress", ShopIngressProps.builder()
                    .storefront(new Storefront(c, "storefront", Storefront.defaults().api(api).build())).api(api)
                    .dashboard(new Dashboard(c, "dashboard", Dashboard.defaults().api(api).build())).build());
            ServiceBackend grafana = new ServiceBackend("grafana", "http", NetworkPeer.pods("grafana", Labels.selector("grafana")));
            assertEquals(new ShopIngress.Route("/grafana/", grafana), ingress.addPath("/grafana/", grafana));
            // The API's route comes from its Service object and names its Deployment: the Ingress syncs after it.
            assertEquals(new ServiceBackend("saleor-api", "http", api.peer()), api.backend());
            assertEquals(List.of(ObjectRef.of(api.deployment().orElseThrow())), api.backend().pods().objects());
            assertTrue(SyncWaves.fromConnections(ingress.connections()).stream().anyMatch(e ->
                    e.from().equals(ObjectRef.of(ingress.ingress())) && e.to().name().equals("saleor-api")),
                    SyncWaves.fromConnections(ingress.connections()).toString());
        });
        assertTrue(find(m, "Ingress", "keyboss").at("spec.rules").toString().contains("path=/grafana/"));
        List<Problem> p = Fixtures.problems(Environment.local(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(db).cache(cache).build());
            new ShopIngress(c, "ingress", ShopIngressProps.builder()
                    .storefront(new Storefront(c, "storefront", Storefront.defaults().api(api).build())).api(api)
                    .dashboard(new Dashboard(c, "dashboard", Dashboard.defaults().api(api).build())).build())
                    .addPath("grafana", api.backend());
        });
        assertContainsAll(problemFor(p, "addPath(path)").toString(), "'grafana'", "/grafana/");
    }

    /** The Ingress and what goes with it, in a fresh chart of {@code env}. */
    private static List<Manifest> shopIngress(Environment env) {
        return Fixtures.synth(env, c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            ValkeySentinel cache = new ValkeySentinel(c, "valkey", ValkeySentinelProps.builder().build());
            SaleorApi api = new SaleorApi(c, "api", SaleorApiProps.builder().database(db).cache(cache).build());
            new ShopIngress(c, "ingress", ShopIngressProps.builder()
                    .storefront(new Storefront(c, "storefront", Storefront.defaults().api(api).build())).api(api)
                    .dashboard(new Dashboard(c, "dashboard", Dashboard.defaults().api(api).build())).build());
        });
    }

    @Test
    void tlsFromTheEnvironmentsSecretAndHttpRedirectedWhereMiddlewaresAreAllowed() {
        // local: TLS for the host, and Traefik's redirectScheme Middleware named on the Ingress.
        Manifest local = find(LOCAL, "Ingress", "keyboss");
        assertEquals(List.of(Map.of("hosts", List.of("localhost"), "secretName", "keyboss-tls")), local.at("spec.tls"));
        assertEquals("keyboss-https-redirect@kubernetescrd",
                Manifest.map(local.metadata().get("annotations")).get("traefik.ingress.kubernetes.io/router.middlewares"));
        Manifest redirect = find(LOCAL, "Middleware", "https-redirect");
        assertEquals("traefik.io/v1alpha1", redirect.apiVersion());
        assertEquals(Map.of("redirectScheme", Map.of("scheme", "https", "permanent", true)), redirect.object().get("spec"));
        assertEquals("1", Manifest.map(find(LOCAL, "ConfigMap", "keyboss-config").object().get("data")).get("JWT_COOKIE_SECURE"));
        // deti: TLS, but traefik.io objects are refused there, so no Middleware and no annotation.
        Manifest deti = find(DETI, "Ingress", "keyboss");
        assertEquals(List.of(Map.of("hosts", List.of("keyboss.deti"), "secretName", "keyboss-tls")), deti.at("spec.tls"));
        assertNull(Manifest.map(deti.metadata().get("annotations")).get("traefik.ingress.kubernetes.io/router.middlewares"));
        assertTrue(DETI.stream().noneMatch(m -> "Middleware".equals(m.kind())));
        // Another secret name reaches the Ingress; without TLS there is neither a tls section nor a redirect.
        List<Manifest> other = shopIngress(Environment.local().toBuilder().tls(new IngressTls("shop-cert")).build());
        assertEquals("shop-cert", Manifest.map(Manifest.list(find(other, "Ingress", "keyboss").at("spec.tls")).get(0)).get("secretName"));
        List<Manifest> plain = shopIngress(Environment.local().toBuilder().scheme(Scheme.HTTP).tls(null).build());
        assertNull(find(plain, "Ingress", "keyboss").at("spec.tls"));
        assertTrue(plain.stream().noneMatch(m -> "Middleware".equals(m.kind())), "no redirect without TLS");
        // The validator judges the Middleware by the CRD schema the API-server oracle installs too.
        assertEquals(List.of(), SchemaValidator.check("local", List.of(redirect)));
        Map<String, Object> typo = new java.util.LinkedHashMap<>(redirect.object());
        typo.put("spec", Map.of("redirectScheme", Map.of("scheme", "https", "permanent", "yes")));
        assertContainsAll(SchemaValidator.check("local", List.of(new Manifest("x.yaml", typo))).toString(), "permanent");
    }

    @Test
    void tlsNeedsTheHttpsSchemeAndANamedSecret() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Environment.local().toBuilder().scheme(Scheme.HTTP).build());
        assertContainsAll(e.getMessage(), "Environment 'local'", "tls names Secret keyboss-tls", "scheme is HTTP",
                "scheme(Scheme.HTTPS)");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new IngressTls("Bad_Name"));
        assertContainsAll(e.getMessage(), "IngressTls secretName 'Bad_Name'", "keyboss-tls");
        // HTTPS without a Secret here is allowed: TLS may end before the cluster.
        assertFalse(Environment.local().toBuilder().tls(null).build().tls().isPresent());
    }
}
