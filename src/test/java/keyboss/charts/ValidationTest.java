package keyboss.charts;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.cli.Main;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;
import keyboss.charts.validation.SchemaValidator;
import keyboss.charts.validation.Validator;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict schemas, Pod Security "restricted", resources, and the validate command, each rule both ways. */
class ValidationTest {

    private static final ClusterProfile DETI = Environment.builtIn("deti").profile();

    /**
     * A Deployment of one container, hardened as the profile wants (read-only root file system
     * unless {@code containerContext} says otherwise, ephemeral storage, no token) so that each
     * test sees only the problems it provokes.
     */
    private static Map<String, Object> deployment(Map<String, Object> podContext, Map<String, Object> containerContext) {
        Map<String, Object> container = new LinkedHashMap<>(Map.of("name", "web", "image", "nginx:1.27.0",
                "resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi", "ephemeral-storage", "32Mi"),
                        "limits", Map.of("cpu", "1", "memory", "64Mi", "ephemeral-storage", "64Mi"))));
        if (containerContext != null) {
            Map<String, Object> context = new LinkedHashMap<>(containerContext);
            context.putIfAbsent("readOnlyRootFilesystem", true);
            container.put("securityContext", context);
        }
        Map<String, Object> pod = new LinkedHashMap<>(Map.of("containers", List.of(container),
                "automountServiceAccountToken", false));
        if (podContext != null) {
            pod.put("securityContext", podContext);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", "apps/v1");
        o.put("kind", "Deployment");
        o.put("metadata", new LinkedHashMap<>(Map.of("name", "web", "namespace", "tenant-keyboss")));
        o.put("spec", Map.of("selector", Map.of("matchLabels", Map.of("app", "web")),
                "template", Map.of("metadata", Map.of("labels", Map.of("app", "web")), "spec", pod)));
        return o;
    }

    private static final Map<String, Object> RESTRICTED_POD = Map.of("runAsNonRoot", true, "runAsUser", 1000,
            "seccompProfile", Map.of("type", "RuntimeDefault"));
    private static final Map<String, Object> RESTRICTED_CONTAINER = Map.of("allowPrivilegeEscalation", false,
            "capabilities", Map.of("drop", List.of("ALL")));

    private static List<Problem> rules(Map<String, Object> object) {
        return ClusterRules.check(DETI, List.of(new Manifest("web.yaml", object)));
    }

    @Test
    void unknownFieldsMissingRequiredFieldsAndWrongTypesAreRejected() {
        Map<String, Object> typo = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        ((Map<String, Object>) Manifest.map(typo.get("metadata"))).put("lables", Map.of());
        assertContainsAll(SchemaValidator.errors(new Manifest("f", typo)).toString(), "`lables`", "V1ObjectMeta");
        Map<String, Object> noSelector = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        noSelector.put("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "c", "image", "i:1"))))));
        assertContainsAll(SchemaValidator.errors(new Manifest("f", noSelector)).toString(), "required field `selector`");
        Map<String, Object> wrongType = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        Map<String, Object> spec = new LinkedHashMap<>(Manifest.map(wrongType.get("spec")));
        spec.put("replicas", "two");
        wrongType.put("spec", spec);
        assertContainsAll(SchemaValidator.errors(new Manifest("f", wrongType)).toString(), "wrong type", "two");
        assertEquals(List.of(), SchemaValidator.errors(new Manifest("f", deployment(RESTRICTED_POD, RESTRICTED_CONTAINER))));
    }

    @Test
    void customResourcesNeedASchema() {
        Manifest monitor = new Manifest("f", Map.of("apiVersion", "example.com/v1", "kind", "Widget", "metadata", Map.of("name", "w")));
        assertContainsAll(SchemaValidator.errors(monitor).toString(), "no schema is known for example.com/v1 Widget");
        SchemaValidator.customResource("example.com/v1", "Widget",
                o -> o.containsKey("spec") ? List.of() : List.of("Widget needs a spec"));
        assertEquals(List.of("Widget needs a spec"), SchemaValidator.errors(monitor));
    }

    @Test
    void restrictedPodSecurityPassesAndEachBreachIsNamed() {
        assertEquals(List.of(), rules(deployment(RESTRICTED_POD, RESTRICTED_CONTAINER)));
        assertContainsAll(only(rules(deployment(Map.of("runAsUser", 1000, "seccompProfile", Map.of("type", "RuntimeDefault")),
                RESTRICTED_CONTAINER))), "containers[0].securityContext.runAsNonRoot", "Pod Security \"restricted\"");
        assertContainsAll(only(rules(deployment(RESTRICTED_POD, Map.of("capabilities", Map.of("drop", List.of("ALL")))))),
                "allowPrivilegeEscalation = null", "must be false");
        assertContainsAll(only(rules(deployment(RESTRICTED_POD, Map.of("allowPrivilegeEscalation", false)))),
                "capabilities.drop", "drop ALL");
        assertContainsAll(only(rules(deployment(RESTRICTED_POD, Map.of("allowPrivilegeEscalation", false,
                "capabilities", Map.of("drop", List.of("ALL"), "add", List.of("SYS_ADMIN")))))), "capabilities.add = SYS_ADMIN");
        assertEquals(List.of(), rules(deployment(RESTRICTED_POD, Map.of("allowPrivilegeEscalation", false,
                "capabilities", Map.of("drop", List.of("ALL"), "add", List.of("NET_BIND_SERVICE"))))));
        assertContainsAll(only(rules(deployment(Map.of("runAsNonRoot", true), RESTRICTED_CONTAINER))), "seccompProfile");
        assertContainsAll(only(rules(deployment(Map.of("runAsNonRoot", true, "runAsUser", 0,
                "seccompProfile", Map.of("type", "RuntimeDefault")), RESTRICTED_CONTAINER))), "runAsUser = 0");
    }

    @Test
    void aDocumentedExceptionExemptsOnlyTheChecksItNames() {
        Map<String, Object> rootNginx = deployment(Map.of("seccompProfile", Map.of("type", "RuntimeDefault")),
                Map.of("allowPrivilegeEscalation", false, "capabilities", Map.of("drop", List.of("ALL"), "add", List.of("CHOWN"))));
        assertEquals(2, rules(rootNginx).size(), rules(rootNginx).toString());
        Manifest.map(rootNginx.get("metadata")).put("annotations", Map.of(ClusterProfile.SECURITY_EXCEPTION, " "));
        assertEquals(3, rules(rootNginx).size(), "a blank exception is a problem and no exception");
        Manifest.map(rootNginx.get("metadata")).put("annotations", Map.of(ClusterProfile.SECURITY_EXCEPTION, "nginx binds 80 as root"));
        assertEquals(3, rules(rootNginx).size(), "a reason without the checks it covers exempts nothing");
        Manifest.map(rootNginx.get("metadata")).put("annotations", Map.of(ClusterProfile.SECURITY_EXCEPTION,
                "runAsNonRoot,capabilities: nginx binds 80 as root"));
        assertEquals(List.of(), rules(rootNginx));
        Manifest.map(rootNginx.get("metadata")).put("annotations", Map.of(ClusterProfile.SECURITY_EXCEPTION,
                "runAsNonRoot: nginx binds 80 as root"));
        assertContainsAll(only(rules(rootNginx)), "capabilities.add = CHOWN", "(capabilities)");
    }

    /** The fuzzer found `2c56` crashing the client's parser; `1Gx` it parsed although the API server refuses it. */
    @Test
    void aQuantityTheApiServerCannotParseIsAProblemNotACrash() {
        for (String bad : List.of("1Gx", "2c56", "1.2.3", "Gi", "1 Gi")) {
            Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
            Map<String, Object> c = Manifest.map(Manifest.list(new Manifest("", d).at("spec.template.spec.containers")).get(0));
            c.put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"), "limits", Map.of("cpu", "1", "memory", bad)));
            assertContainsAll(SchemaValidator.errors(new Manifest("f", d)).toString(), "`limits`", bad, "a quantity");
            List<Problem> all = Validator.check(DETI, List.of(new Manifest("web.yaml", d)), List.of(KeybossChart.SECRETS));
            assertTrue(all.stream().anyMatch(p -> p.toString().contains("limits.memory")), bad + ": " + all);
        }
        for (String good : List.of("1Gi", "1.5G", "500m", "2e3", "1E3", ".5Gi")) {
            Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
            Map<String, Object> c = Manifest.map(Manifest.list(new Manifest("", d).at("spec.template.spec.containers")).get(0));
            c.put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"), "limits", Map.of("cpu", "1", "memory", good)));
            assertEquals(List.of(), SchemaValidator.errors(new Manifest("f", d)), good);
        }
    }

    @Test
    void everyContainerStatesItsResources() {
        Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        Map<String, Object> c = Manifest.map(Manifest.list(new Manifest("", d).at("spec.template.spec.containers")).get(0));
        c.put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi", "ephemeral-storage", "32Mi"),
                "limits", Map.of("cpu", "1", "ephemeral-storage", "64Mi")));
        assertContainsAll(only(rules(d)), "containers[0].resources.limits.memory", "cpu and memory requests and limits");
    }

    private static Map<String, Object> podOf(Map<String, Object> deployment) {
        return Manifest.map(new Manifest("", deployment).at("spec.template.spec"));
    }

    private static Map<String, Object> containerOf(Map<String, Object> deployment) {
        return Manifest.map(Manifest.list(podOf(deployment).get("containers")).get(0));
    }

    @Test
    void everyContainerRunsWithAReadOnlyRootFileSystemInitContainersToo() {
        Map<String, Object> d = deployment(RESTRICTED_POD, Map.of("allowPrivilegeEscalation", false,
                "capabilities", Map.of("drop", List.of("ALL")), "readOnlyRootFilesystem", false));
        assertContainsAll(only(rules(d)), "[deti/web.yaml Deployment/web]",
                "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false",
                "container web runs with a read-only root file system", "Fix: set readOnlyRootFilesystem: true",
                "mount an emptyDir with a sizeLimit");
        Map<String, Object> init = new LinkedHashMap<>(containerOf(deployment(RESTRICTED_POD, RESTRICTED_CONTAINER)));
        init.put("name", "init");
        init.put("securityContext", RESTRICTED_CONTAINER);
        Map<String, Object> withInit = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        podOf(withInit).put("initContainers", List.of(init));
        assertContainsAll(only(rules(withInit)), "initContainers[0].securityContext.readOnlyRootFilesystem = null",
                "container init");
        // The local profile hardens pods too.
        assertTrue(ClusterRules.check(Environment.builtIn("local").profile(), List.of(new Manifest("web.yaml", d))).stream()
                .anyMatch(p -> p.toString().contains("readOnlyRootFilesystem")));
    }

    @Test
    void everyContainerStatesItsEphemeralStorage() {
        Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        containerOf(d).put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi", "ephemeral-storage", "32Mi"),
                "limits", Map.of("cpu", "1", "memory", "64Mi")));
        assertContainsAll(only(rules(d)), "[deti/web.yaml Deployment/web]",
                "containers[0].resources.limits.ephemeral-storage = null", "states its ephemeral-storage limits",
                "Fix: set resources.limits.ephemeral-storage");
        containerOf(d).put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"),
                "limits", Map.of("cpu", "1", "memory", "64Mi", "ephemeral-storage", "64Mi")));
        assertContainsAll(only(rules(d)), "containers[0].resources.requests.ephemeral-storage = null");
    }

    @Test
    void everyEmptyDirHasASizeLimitThatThePodsEphemeralStorageLimitCovers() {
        Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        podOf(d).put("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of())));
        containerOf(d).put("volumeMounts", List.of(Map.of("name", "tmp", "mountPath", "/tmp")));
        assertContainsAll(only(rules(d)), "[deti/web.yaml Deployment/web]", "spec.template.spec.volumes[0].emptyDir.sizeLimit = null",
                "every emptyDir states its sizeLimit (volume tmp)", "Fix: set emptyDir.sizeLimit");
        podOf(d).put("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "48Mi"))));
        assertEquals(List.of(), rules(d), "48Mi fits in the container's 64Mi limit");
        podOf(d).put("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "1Gi"))));
        assertContainsAll(only(rules(d)), "spec.template.spec.volumes = 1024Mi of disk emptyDirs",
                "fit in the pod's ephemeral-storage limit (64Mi", "Fix: raise the ephemeral-storage limit");
        // Memory-backed folders count against memory, not the node's disk.
        podOf(d).put("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "1Gi", "medium", "Memory"))));
        assertEquals(List.of(), rules(d));
    }

    @Test
    void livenessIsNotReadiness() {
        Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        Map<String, Object> ready = Map.of("httpGet", Map.of("path", "/ready", "port", 8080), "periodSeconds", 5);
        containerOf(d).put("readinessProbe", ready);
        // Other timings do not make it another check.
        containerOf(d).put("livenessProbe", Map.of("httpGet", Map.of("path", "/ready", "port", 8080), "periodSeconds", 20,
                "failureThreshold", 6));
        assertContainsAll(only(rules(d)), "[deti/web.yaml Deployment/web]", "containers[0].livenessProbe",
                "liveness probe is not its readiness probe", "Fix: give livenessProbe a cheaper check");
        containerOf(d).put("livenessProbe", Map.of("tcpSocket", Map.of("port", 8080), "periodSeconds", 20));
        assertEquals(List.of(), rules(d));
        containerOf(d).remove("readinessProbe");
        assertEquals(List.of(), rules(d), "a liveness probe alone is not the same as readiness");
    }

    @Test
    void aPodGetsATokenOnlyWhereItSaysSoWithAnAccountOfItsOwn() {
        Map<String, Object> d = deployment(RESTRICTED_POD, RESTRICTED_CONTAINER);
        podOf(d).remove("automountServiceAccountToken");
        assertContainsAll(only(rules(d)), "[deti/web.yaml Deployment/web]", "spec.template.spec.automountServiceAccountToken = null",
                "states whether it gets a service account token", "Fix: set automountServiceAccountToken: false");
        podOf(d).put("automountServiceAccountToken", true);
        assertContainsAll(only(rules(d)), "automountServiceAccountToken = true", "a service account of its own");
        podOf(d).put("serviceAccountName", "default");
        assertContainsAll(only(rules(d)), "automountServiceAccountToken = true", "'default' account");
        podOf(d).put("serviceAccountName", "web");
        assertEquals(List.of(), rules(d));
    }

    @Test
    void aProfileWithoutHardenedPodsAdmitsThem() {
        ClusterProfile soft = new ClusterProfile(DETI.name(), DETI.namespace(), DETI.createNamespace(), DETI.storageClass(),
                DETI.maxVolumeSize(), DETI.clusterScopedAllowed(), DETI.forbiddenApiGroups(), DETI.deniedPermissions(),
                DETI.podSecurity(), DETI.requireResources(), false, DETI.otherNamespaces(), DETI.argoProject(), DETI.imagePolicy());
        Map<String, Object> d = deployment(RESTRICTED_POD, Map.of("allowPrivilegeEscalation", false,
                "capabilities", Map.of("drop", List.of("ALL")), "readOnlyRootFilesystem", false));
        podOf(d).remove("automountServiceAccountToken");
        assertEquals(List.of(), ClusterRules.check(soft, List.of(new Manifest("web.yaml", d))));
        assertEquals(2, rules(d).size(), rules(d).toString());
    }

    private static String only(List<Problem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0).toString();
    }

    private static int validate(List<String> args, StringBuilder out) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("validate"));
            all.addAll(args);
            return Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
            out.append(buffer.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void validateCommandPassesDistAndReportsOtherProfilesProblems() throws IOException {
        StringBuilder ok = new StringBuilder();
        assertEquals(0, validate(List.of("--profile", "deti", "dist/deti"), ok), ok.toString());
        assertContainsAll(ok.toString(), "objects checked against profile deti: no problems");
        StringBuilder json = new StringBuilder();
        assertEquals(1, validate(List.of("--profile", "deti", "--json", "dist/local"), json));
        Map<?, ?> report = new ObjectMapper().readValue(json.toString(), Map.class);
        assertEquals("deti", report.get("profile"));
        List<?> problems = (List<?>) report.get("problems");
        assertTrue(problems.size() > 10, problems.toString());
        assertTrue(problems.toString().contains("Namespace/keyboss"), "the local Namespace is reported");
        assertEquals(List.of("where", "field", "value", "rule", "fix"), new ArrayList<>(((Map<?, ?>) problems.get(0)).keySet()));
    }

    @Test
    void validateCommandWorksOnManifestsThisLibraryDidNotWrite(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.yml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: tenant-keyboss}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: tenant-keyboss}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: nginx:latest
                          env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}]
                """);
        StringBuilder out = new StringBuilder();
        assertEquals(1, validate(List.of("--profile", "deti", dir.toString()), out));
        assertContainsAll(out.toString(), "floating tag 'latest'", "targetPort = http", "app-secret/password",
                "runAsNonRoot", "resources.requests.cpu", "2 objects checked against profile deti");
        StringBuilder declared = new StringBuilder();
        validate(List.of("--profile", "deti", "--secret", "app-secret=password", dir.toString()), declared);
        assertTrue(!declared.toString().contains("app-secret/password"), "a declared Secret resolves");
    }

    @Test
    void validateUsageErrorsExitTwo() {
        assertEquals(2, validate(List.of("dist/deti"), new StringBuilder()));
        assertEquals(2, validate(List.of("--profile", "prod", "dist/deti"), new StringBuilder()));
        assertEquals(2, validate(List.of("--profile", "deti", "no-such-dir"), new StringBuilder()));
    }
}
