package keyboss.charts;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.network.Connection;
import keyboss.charts.validation.CrossReferences;
import keyboss.charts.env.Environment;
import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.env.GitOps;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.network.ObjectRef;
import keyboss.charts.model.Problem;
import keyboss.charts.validation.SchemaValidator;
import keyboss.charts.env.SecretSource;
import keyboss.charts.core.Secrets;
import keyboss.charts.core.SecretsProps;
import keyboss.charts.core.SyncWaves;
import keyboss.charts.model.SynthesisException;
import keyboss.charts.cli.Synthesizer;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Argo CD delivery: Applications, derived sync waves, hooks, the kustomization, and no secret in git. */
class GitOpsTest {

    private static List<Manifest> synced(String env) {
        return Fixtures.readYaml(Fixtures.DIST.resolve(env)).stream()
                .filter(m -> !m.file().contains("/")).toList();
    }

    private static int wave(List<Manifest> all, String kind, String name) {
        return wave(find(all, kind, name));
    }

    private static int wave(Manifest m) {
        Object w = Manifest.map(m.metadata().get("annotations")).get(SyncWaves.WAVE);
        if (w == null) {
            throw new AssertionError(m.id() + " has no sync wave");
        }
        return Integer.parseInt(w.toString());
    }

    @Test
    void everySyncedObjectHasAWave() {
        for (String env : List.of("local", "deti")) {
            for (Manifest m : synced(env)) {
                wave(m);
            }
        }
    }

    @Test
    void nothingDependsOnAnObjectOfALaterWave() {
        for (String env : List.of("local", "deti")) {
            List<Manifest> all = synced(env);
            List<String> broken = new ArrayList<>();
            for (Manifest m : all) {
                Map<String, Object> pod = CrossReferences.podSpec(m);
                if (pod == null) {
                    continue;
                }
                for (Object v : Manifest.list(pod.get("volumes"))) {
                    Map<String, Object> volume = Manifest.map(v);
                    Object cm = Manifest.map(volume.get("configMap")).get("name");
                    Object claim = Manifest.map(volume.get("persistentVolumeClaim")).get("claimName");
                    if (cm != null && wave(all, "ConfigMap", cm.toString()) >= wave(m)) {
                        broken.add(m.id() + " mounts ConfigMap " + cm + " of a later or equal wave");
                    }
                    if (claim != null && wave(all, "PersistentVolumeClaim", claim.toString()) >= wave(m)) {
                        broken.add(m.id() + " mounts claim " + claim + " of a later or equal wave");
                    }
                }
                String env0 = pod.toString();
                if (env0.contains("configMapKeyRef") || env0.contains("configMapRef")) {
                    if (wave(all, "ConfigMap", "keyboss-config") >= wave(m)) {
                        broken.add(m.id() + " reads keyboss-config of a later or equal wave");
                    }
                }
            }
            for (Manifest m : all) {
                if ("HorizontalPodAutoscaler".equals(m.kind())
                        && wave(all, "Deployment", (String) m.at("spec.scaleTargetRef.name")) >= wave(m)) {
                    broken.add(m.id() + " comes no later than its Deployment");
                }
            }
            assertEquals(List.of(), broken, env);
            // The seed's phases: configuration, data layer, migrations, then the API and what uses it.
            String migrate = all.stream().filter(m -> m.name().startsWith("saleor-migrate-")).findFirst().orElseThrow().name();
            int config = wave(all, "ConfigMap", "keyboss-config");
            int data = Math.max(wave(all, "StatefulSet", "postgres"), wave(all, "StatefulSet", "redis"));
            int migrations = wave(all, "Job", migrate);
            int api = wave(all, "Deployment", "saleor-api");
            assertTrue(config < data && data < migrations && migrations < api, config + " " + data + " " + migrations + " " + api);
            // What connects to the API comes after it; the workers need the migrations, not the API.
            assertTrue(wave(all, "Deployment", "saleor-storefront") > api, "the storefront renders with the API");
            int workers = wave(all, "Deployment", "celery-worker");
            assertTrue(workers > migrations && workers > data, "the workers after the migrations and the data layer");
            assertTrue(wave(all, "HorizontalPodAutoscaler", "saleor-api-hpa") > api);
            for (String routed : List.of("saleor-api", "saleor-storefront", "saleor-dashboard")) {
                assertTrue(wave(all, "Ingress", "keyboss") > wave(all, "Deployment", routed), "the Ingress after " + routed);
            }
            for (String exporter : List.of("postgres-exporter-0", "redis-exporter")) {
                assertTrue(wave(all, "Deployment", exporter) > data, exporter + " after what it reads");
            }
            assertTrue(wave(all, "Deployment", "keyboss-exporter") > wave(all, "Ingress", "keyboss"), "the probes after the Ingress");
            // Monitoring watches the sync: it waits for nothing it scrapes.
            for (String watcher : List.of("prometheus", "alertmanager", "grafana")) {
                assertEquals(1, wave(all, "Deployment", watcher), watcher);
            }
            assertTrue(wave(all, "CronJob", "postgres-backup") > wave(all, "StatefulSet", "postgres"));
            Manifest seed = all.stream().filter(m -> m.name().startsWith("saleor-seed-")).findFirst().orElseThrow();
            assertTrue(wave(seed) > migrations);
        }
    }

    @Test
    void migrationsAreASyncHookRecreatedEachSyncAndTheSeedRunsOnce() {
        for (String env : List.of("local", "deti")) {
            for (Manifest m : synced(env)) {
                Map<String, Object> a = Manifest.map(m.metadata().get("annotations"));
                if (a.containsKey(SyncWaves.HOOK)) {
                    assertEquals("BeforeHookCreation", a.get(SyncWaves.HOOK_DELETE_POLICY), m.id() + " hook without delete policy");
                }
            }
            Manifest migrate = synced(env).stream().filter(m -> m.name().startsWith("saleor-migrate-")).findFirst().orElseThrow();
            assertEquals("Sync", Manifest.map(migrate.metadata().get("annotations")).get(SyncWaves.HOOK));
            Manifest seed = synced(env).stream().filter(m -> m.name().startsWith("saleor-seed-")).findFirst().orElseThrow();
            assertFalse(Manifest.map(seed.metadata().get("annotations")).containsKey(SyncWaves.HOOK), "the seed is no hook");
            assertEquals(null, seed.at("spec.ttlSecondsAfterFinished"), "the finished seed Job stays, so it never re-runs");
        }
    }

    @Test
    void applicationsSyncEachEnvironmentFromGit() {
        for (Environment env : Environment.builtIn()) {
            List<Manifest> all = Fixtures.readYaml(Fixtures.DIST.resolve(env.name()));
            Manifest app = find(all, "Application", "keyboss");
            assertEquals("argocd/keyboss.k8s.yaml", app.file());
            assertEquals(env.gitOps().applicationNamespace(env.namespace()), app.namespace());
            assertEquals("dist/" + env.name(), app.at("spec.source.path"));
            assertEquals(GitOps.REPO, app.at("spec.source.repoURL"));
            assertEquals(env.namespace(), app.at("spec.destination.namespace"));
            assertEquals(Map.of("prune", true, "selfHeal", true), app.at("spec.syncPolicy.automated"));
            List<Object> options = Manifest.list(app.at("spec.syncPolicy.syncOptions"));
            assertTrue(options.contains("ServerSideApply=true"));
            assertEquals(env.createNamespace(), options.contains("CreateNamespace=true"), env.name());
            Manifest root = find(all, "Application", "keyboss-root");
            assertEquals("dist/" + env.name() + "/argocd", root.at("spec.source.path"));
            assertEquals(List.of(), SchemaValidator.check(env.name(), List.of(app, root)));
        }
    }

    @Test
    void applicationSchemaRejectsUnknownAndMissingFields() {
        Manifest app = find(Fixtures.readYaml(Fixtures.DIST.resolve("deti")), "Application", "keyboss");
        Map<String, Object> broken = new java.util.LinkedHashMap<>(app.object());
        Map<String, Object> spec = new java.util.LinkedHashMap<>(Manifest.map(broken.get("spec")));
        spec.put("syncPolicies", Map.of());
        spec.remove("destination");
        broken.put("spec", spec);
        String errors = SchemaValidator.errors(new Manifest("f", broken)).toString();
        assertContainsAll(errors, "`spec.syncPolicies` is not defined", "`spec.destination` is missing");
    }

    @Test
    void kustomizationListsTheSyncedFilesButNotOpsOrArgoCd() throws IOException {
        for (String env : List.of("local", "deti")) {
            String text = Files.readString(Fixtures.DIST.resolve(env).resolve("kustomization.yaml"));
            List<String> listed = text.lines().filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).sorted().toList();
            List<String> files;
            try (Stream<Path> s = Files.list(Fixtures.DIST.resolve(env))) {
                files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".k8s.yaml")).sorted().toList();
            }
            assertEquals(files, listed, env);
            assertTrue(text.contains("kind: Kustomization"));
        }
    }

    @Test
    void noSecretValueIsEverInDist() throws IOException {
        try (Stream<Path> files = Files.walk(Fixtures.DIST)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains("PRIVATE KEY-----"), f + " holds a private key");
            }
        }
        for (String env : List.of("local", "deti")) {
            for (Manifest m : Fixtures.readYaml(Fixtures.DIST.resolve(env))) {
                if ("Secret".equals(m.kind())) {
                    assertTrue(!m.object().containsKey("data") && !m.object().containsKey("stringData"), m.id() + " has values");
                }
                for (Object c : ClusterRules.containers(m).values()) {
                    for (Object e : Manifest.list(Manifest.map(c).get("env"))) {
                        Map<String, Object> var = Manifest.map(e);
                        String name = String.valueOf(var.get("name"));
                        if (name.matches(".*(PASSWORD|SECRET|PRIVATE_KEY).*_FILE")) {
                            // Names the file a program reads its secret from: a path, never the value.
                            assertTrue(String.valueOf(var.get("value")).startsWith("/"), m.id() + " " + name + " is not a path");
                        } else if (name.matches(".*(PASSWORD|SECRET|PRIVATE_KEY).*")) {
                            assertTrue(var.get("value") == null, m.id() + " writes " + name + " as a literal value");
                        }
                    }
                }
            }
        }
    }

    private static List<Manifest> withSecretSource(SecretSource source) {
        Environment env = Environment.deti().toBuilder().secretSource(source).build();
        return Fixtures.synth(env, c -> new Secrets(c, "secrets", SecretsProps.of(KeybossChart.SECRETS)));
    }

    @Test
    void sealedSecretCarriesOnlyCiphertextForEveryKey() {
        Map<String, String> cipher = new java.util.HashMap<>();
        KeybossChart.SECRETS.keyNames().forEach(k -> cipher.put(k, "AgB" + k.hashCode()));
        Manifest sealed = find(withSecretSource(SecretSource.sealed(cipher)), "SealedSecret", "keyboss-secrets");
        assertEquals(KeybossChart.SECRETS.keyNames(), Manifest.map(sealed.at("spec.encryptedData")).keySet());
        assertEquals(List.of(), SchemaValidator.errors(sealed));
        List<Problem> p = Fixtures.problems(Environment.deti().toBuilder()
                .secretSource(SecretSource.sealed(Map.of("POSTGRES_PASSWORD", "AgB"))).build(),
                c -> new Secrets(c, "secrets", SecretsProps.of(KeybossChart.SECRETS)));
        assertContainsAll(problemFor(p, "secretSource.encryptedData").toString(), "exactly the keys of keyboss-secrets",
                "seal every key");
    }

    @Test
    void externalSecretReadsEveryKeyFromANamespacedStore() {
        Manifest external = find(withSecretSource(SecretSource.external("vault", "keyboss/deti")), "ExternalSecret", "keyboss-secrets");
        assertEquals(Map.of("name", "vault", "kind", "SecretStore"), external.at("spec.secretStoreRef"));
        assertEquals("keyboss-secrets", external.at("spec.target.name"));
        assertEquals(KeybossChart.SECRETS.keyNames().size(), Manifest.list(external.at("spec.data")).size());
        assertEquals(List.of(), SchemaValidator.errors(external));
        assertEquals(List.of(), withSecretSource(SecretSource.declared()), "declared: nothing is written");
    }

    // Sync waves from declared connections.

    private static NetworkPeer peer(String name, String... workloads) {
        List<ObjectRef> refs = java.util.Arrays.stream(workloads).map(w -> new ObjectRef(w.split("/")[0], w.split("/")[1])).toList();
        return new NetworkPeer(name, Map.of(Labels.NAME, name), null, null, refs);
    }

    private static Manifest workload(String id) {
        return new Manifest("x.k8s.yaml", Map.of("apiVersion", "apps/v1", "kind", id.split("/")[0],
                "metadata", Map.of("name", id.split("/")[1]), "spec", Map.of()));
    }

    private static Map<String, Integer> waves(List<Connection> connections, String... ids) {
        return SyncWaves.compute(java.util.Arrays.stream(ids).map(GitOpsTest::workload).toList(), SyncWaves.fromConnections(connections));
    }

    @Test
    void aClientSyncsAfterTheWorkloadsItConnectsTo() {
        NetworkPeer db = peer("db", "StatefulSet/db");
        NetworkPeer cache = peer("cache", "StatefulSet/cache");
        NetworkPeer api = peer("api", "Deployment/api");
        NetworkPeer web = peer("web", "Deployment/web");
        Map<String, Integer> waves = waves(List.of(
                Connection.of(api, db, "database", NetworkPort.tcp(5432)),
                Connection.of(api, cache, "cache", NetworkPort.tcp(6379)),
                Connection.of(web, api, "rendering", NetworkPort.tcp(8000))),
                "Deployment/web", "Deployment/api", "StatefulSet/db", "StatefulSet/cache");
        assertEquals(Map.of("StatefulSet/db", 1, "StatefulSet/cache", 1, "Deployment/api", 2, "Deployment/web", 3), waves);
    }

    @Test
    void noOrderWithinAWorkloadBothWaysWithoutWaitingOrWithoutObjects() {
        NetworkPeer members = peer("members", "StatefulSet/db");
        NetworkPeer data = peer("data", "StatefulSet/redis");
        NetworkPeer sentinels = peer("sentinels", "StatefulSet/sentinel");
        NetworkPeer prometheus = peer("prometheus", "Deployment/prometheus");
        NetworkPeer anonymous = peer("anonymous");
        List<Connection> connections = List.of(
                Connection.of(members, members, "replication", NetworkPort.tcp(5432)),
                Connection.of(data, sentinels, "who is master", NetworkPort.tcp(26379)),
                Connection.of(sentinels, data, "watch", NetworkPort.tcp(6379)),
                Connection.of(prometheus, members, "scrape", NetworkPort.tcp(9187)).withoutWaiting(),
                Connection.of(anonymous, members, "someone", NetworkPort.tcp(5432)),
                Connection.of(members, NetworkPeer.addresses("store", "0.0.0.0/0"), "archive", NetworkPort.tcp(443)));
        assertEquals(List.of(), SyncWaves.fromConnections(connections));
        assertEquals(Map.of("StatefulSet/db", 1, "StatefulSet/redis", 1, "StatefulSet/sentinel", 1, "Deployment/prometheus", 1),
                waves(connections, "StatefulSet/db", "StatefulSet/redis", "StatefulSet/sentinel", "Deployment/prometheus"));
        // The same scrape, waiting: Prometheus would come after the database.
        assertEquals(List.of(new SyncWaves.Edge(new ObjectRef("Deployment", "prometheus"), new ObjectRef("StatefulSet", "db"),
                "connection 'scrape'")), SyncWaves.fromConnections(List.of(Connection.of(prometheus, members, "scrape", NetworkPort.tcp(9187)))));
    }

    @Test
    void aRingOfConnectionsIsRefusedNamingEachConnection() {
        NetworkPeer a = peer("a", "Deployment/a");
        NetworkPeer b = peer("b", "Deployment/b");
        NetworkPeer c = peer("c", "Deployment/c");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> waves(List.of(
                Connection.of(a, b, "a asks b", NetworkPort.tcp(80)),
                Connection.of(b, c, "b asks c", NetworkPort.tcp(80)),
                Connection.of(c, a, "c asks a", NetworkPort.tcp(80))), "Deployment/a", "Deployment/b", "Deployment/c"));
        assertContainsAll(e.getMessage(), "dependency cycle", "Deployment/a needs Deployment/b (connection 'a asks b')",
                "needs Deployment/c (connection 'b asks c')", "needs Deployment/a (connection 'c asks a')");
    }

    @Test
    void theShopsWavesComeFromItsConnectionsAndItsFewExplicitDependencies() {
        KeybossChart chart = Fixtures.builtInChart("deti");
        List<SyncWaves.Edge> derived = SyncWaves.fromConnections(chart.connections().values().stream().flatMap(List::stream).toList());
        List<String> edges = derived.stream().map(e -> e.from() + " -> " + e.to()).toList();
        for (String expected : List.of("Deployment/saleor-api -> StatefulSet/postgres", "Deployment/saleor-api -> StatefulSet/redis",
                "Deployment/saleor-api -> StatefulSet/redis-sentinel", "Deployment/celery-worker -> StatefulSet/postgres",
                "Deployment/saleor-storefront -> Deployment/saleor-api", "Ingress/keyboss -> Deployment/saleor-dashboard",
                "Deployment/postgres-exporter-1 -> StatefulSet/postgres", "Deployment/keyboss-exporter -> Ingress/keyboss",
                "CronJob/postgres-basebackup-diff -> StatefulSet/postgres", "CronJob/valkey-backup -> StatefulSet/redis-sentinel")) {
            assertTrue(edges.contains(expected), expected + " in " + edges);
        }
        for (String absent : List.of("StatefulSet/redis -> StatefulSet/redis-sentinel", "StatefulSet/redis-sentinel -> StatefulSet/redis",
                "Deployment/prometheus -> Deployment/postgres-exporter-0", "Deployment/grafana -> Deployment/prometheus")) {
            assertFalse(edges.contains(absent), absent);
        }
        // What no connection says: Saleor's pods wait for the migrations, the seed for them too.
        List<String> explicit = chart.dependencies().stream().map(e -> e.from() + " -> " + e.to()).toList();
        assertEquals(3, explicit.size(), explicit.toString());
        assertTrue(explicit.stream().allMatch(e -> e.contains("-> Job/saleor-migrate-")), explicit.toString());
    }

    @Test
    void aCycleOfExplicitDependenciesIsAProblemNotAStackTrace() {
        EnvironmentChart chart = new EnvironmentChart(new org.cdk8s.App(), "cycle", Environment.local());
        org.cdk8s.ApiObject first = job(chart, "first");
        org.cdk8s.ApiObject second = job(chart, "second");
        chart.dependsOn(first, second, "first needs second");
        chart.dependsOn(second, first, "second needs first");
        List<Manifest> objects = Synthesizer.manifestsOf(chart, "");
        SynthesisException e = org.junit.jupiter.api.Assertions.assertThrows(SynthesisException.class,
                () -> Synthesizer.annotateSyncWaves(chart, objects, Map.of()));
        assertContainsAll(only(e.problems()), "local sync waves", "Job/first needs Job/second (dependsOn: first needs second)",
                "needs Job/first (dependsOn: second needs first)", "dependencies without a cycle",
                "withoutWaiting()", "drop the explicit dependsOn");
    }

    private static org.cdk8s.ApiObject job(EnvironmentChart chart, String name) {
        return new org.cdk8s.ApiObject(chart, name, org.cdk8s.ApiObjectProps.builder().apiVersion("batch/v1").kind("Job")
                .metadata(org.cdk8s.ApiObjectMetadata.builder().name(name).build()).build());
    }

    private static String only(List<Problem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0).toString();
    }
}
