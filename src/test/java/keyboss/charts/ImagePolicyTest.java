package keyboss.charts;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.env.Environment;
import keyboss.charts.env.GitOps;
import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.ImageRef;
import keyboss.charts.env.Images;
import keyboss.charts.cli.Main;
import keyboss.charts.model.Manifest;
import keyboss.charts.env.MonitoringImages;
import keyboss.charts.env.ObjectStorage;
import keyboss.charts.model.Problem;
import keyboss.charts.model.PullPolicy;
import keyboss.charts.model.Size;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image references with tag and digest, and deti's rule that every image names a version or a digest. */
class ImagePolicyTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void aReferenceMayCarryATagADigestOrBoth() {
        ImageRef both = ImageRef.of("ghcr.io/saleor/saleor:3.20.0@" + DIGEST);
        assertEquals("ghcr.io/saleor/saleor", both.repository());
        assertEquals("3.20.0", both.tag());
        assertEquals(DIGEST, both.digest());

        ImageRef digestOnly = ImageRef.of("valkey/valkey@" + DIGEST);
        assertNull(digestOnly.tag());
        assertEquals(DIGEST, digestOnly.digest());

        ImageRef withPort = ImageRef.of("localhost:5000/team/app:1.2");
        assertEquals("localhost:5000/team/app", withPort.repository());
        assertEquals("1.2", withPort.tag());
        assertNull(withPort.digest());
        // A registry port is not a tag: "postgres:15" is the repository postgres with the tag 15.
        assertEquals("15", ImageRef.of("postgres:15").tag());

        assertEquals("ghcr.io/saleor/saleor:3.20.0@" + DIGEST,
                ImageRef.of(Images.SALEOR).withDigest(DIGEST).image());
        assertEquals(PullPolicy.ALWAYS, ImageRef.of(Images.SALEOR).withPullPolicy(PullPolicy.ALWAYS).withDigest(DIGEST)
                .pullPolicy());
    }

    @Test
    void unpinnedOrMalformedReferencesAreRefused() {
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ImageRef.of("postgres")).getMessage(),
                "'postgres' is not pinned", "name:tag@sha256:");
        assertContainsAll(assertThrows(IllegalArgumentException.class,
                () -> ImageRef.of("postgres:latest@" + DIGEST)).getMessage(), "floating tag 'latest'");
        assertContainsAll(assertThrows(IllegalArgumentException.class,
                () -> ImageRef.of("postgres:16@sha256:abc")).getMessage(), "not pinned");
        assertContainsAll(assertThrows(IllegalArgumentException.class,
                () -> ImageRef.of("postgres@sha256:" + "A".repeat(64))).getMessage(), "not pinned");
    }

    @Test
    void versionedTagsAndDigestsMeetTheRuleMutableTagsDoNot() {
        for (String ok : List.of("a/b:1.2.3", "a/b:v1.62.0", "a/b:15.13-patroni4.1.5-1", "a/b:8.1.1-alpine",
                "a/b:1.2", "a/b:1.0.0_build.5", "a/b:keyboss@" + DIGEST, "a/b@" + DIGEST, "a:5000/b:2.0")) {
            assertNull(ImageRef.versionProblem(ok), ok);
        }
        for (String mutable : List.of("main", "keyboss", "m2", "7-alpine", "stable", "v2", "1", "alpine-3.19",
                "1.x", "edge")) {
            String problem = ImageRef.versionProblem("registry.deti/team/app:" + mutable);
            assertContainsAll(problem, "'registry.deti/team/app:" + mutable + "'", "mutable tag '" + mutable + "'",
                    "MAJOR.MINOR", "@sha256 digest", "registry.deti/team/app:1.0.0",
                    "registry.deti/team/app:" + mutable + "@sha256:<digest>");
        }
        assertContainsAll(ImageRef.versionProblem("app:latest"), "floating tag 'latest'");
        assertContainsAll(ImageRef.versionProblem(null), "missing");
        assertNull(ImagePolicy.EXPLICIT_TAG.problemWith("keyboss-storefront:m2"));
        assertContainsAll(ImagePolicy.VERSIONED.problemWith("keyboss-storefront:m2"), "mutable tag 'm2'");
    }

    @Test
    void everyPinnedDefaultButTheLocallyBuiltStorefrontNamesAVersion() {
        Images defaults = Images.defaults();
        assertEquals(14, defaults.all().size(), defaults.all().toString());
        defaults.all().forEach((role, image) -> {
            String problem = ImageRef.versionProblem(image.image());
            assertEquals(!role.equals("storefront"), problem == null, role + ": " + problem);
        });
        assertNull(ImageRef.versionProblem(Images.STOREFRONT_DETI));
    }

    @Test
    void detiRefusesAMutableTagWhenTheEnvironmentIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environment.deti().toBuilder()
                .images(Environment.deti().images().withStorefront(new ImageRef(
                        "registry.deti/tenant-keyboss/storefront:keyboss", PullPolicy.ALWAYS)))
                .build());
        assertContainsAll(e.getMessage(), "Environment 'deti' is invalid",
                "images.storefront (image policy VERSIONED)", "'registry.deti/tenant-keyboss/storefront:keyboss'",
                "mutable tag 'keyboss'", "MAJOR.MINOR", "@sha256", "Images.withStorefront(...)");

        MonitoringImages m = MonitoringImages.defaults();
        IllegalArgumentException grafana = assertThrows(IllegalArgumentException.class, () -> Environment.deti().toBuilder()
                .images(Environment.deti().images().withMonitoring(new MonitoringImages(m.prometheus(), m.alertmanager(),
                        ImageRef.of("grafana/grafana:main"), m.kubeStateMetrics(), m.postgresExporter(), m.redisExporter(),
                        m.keybossExporter())))
                .build());
        assertContainsAll(grafana.getMessage(), "images.monitoring.grafana", "mutable tag 'main'",
                "Images.withMonitoring(new MonitoringImages(...))");

        // The same tag pinned by digest is admitted: the digest decides what runs.
        Environment pinned = Environment.deti().toBuilder().images(Environment.deti().images().withStorefront(
                ImageRef.of("registry.deti/tenant-keyboss/storefront:keyboss@" + DIGEST))).build();
        assertEquals(DIGEST, pinned.images().storefront().digest());
    }

    @Test
    void localAdmitsItsLocallyBuiltImageAndAStricterLocalDoesNot() {
        assertEquals(ImagePolicy.EXPLICIT_TAG, Environment.local().imagePolicy());
        assertEquals("keyboss-storefront:m2", Environment.local().images().storefront().image());
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> Environment.local().toBuilder()
                .imagePolicy(ImagePolicy.VERSIONED).build()).getMessage(), "images.storefront", "'keyboss-storefront:m2'",
                "imagePolicy(ImagePolicy.EXPLICIT_TAG)");
        // A new environment starts strict.
        Environment.Builder fresh = Environment.builder().name("fresh").namespace("fresh").storageClass("standard")
                .defaultVolumeSize(Size.gi(1)).maxVolumeSize(Size.gi(1)).publicHost("shop.example")
                .gitOps(GitOps.main("argocd")).objectStorage(ObjectStorage.localMinio());
        assertContainsAll(assertThrows(IllegalArgumentException.class, fresh::build).getMessage(),
                "images.storefront (image policy VERSIONED)", "mutable tag 'm2'");
        assertEquals(ImagePolicy.VERSIONED, fresh.images(Images.defaults().withStorefront(
                ImageRef.of("registry.example/shop/storefront:2.4.1"))).build().imagePolicy());
    }

    @Test
    void theProfilesCarryTheEnvironmentsPolicy() {
        assertEquals(ImagePolicy.VERSIONED, Environment.builtIn("deti").profile().imagePolicy());
        assertEquals(ImagePolicy.EXPLICIT_TAG, Environment.builtIn("local").profile().imagePolicy());
    }

    @Test
    void theValidatorRefusesMutableTagsInManifestsReadFromDisk(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("storefront.yaml"), deployment("registry.deti/tenant-keyboss/storefront:keyboss"));
        StringBuilder deti = new StringBuilder();
        assertEquals(1, validate(List.of("--profile", "deti", dir.toString()), deti));
        assertContainsAll(deti.toString(), "Deployment/storefront", "spec.template.spec.containers[0].image",
                "environment 'deti' admits only images pinned to a version or digest", "MAJOR.MINOR",
                "registry.deti/tenant-keyboss/storefront:1.0.0", "storefront:keyboss@sha256:<digest>");

        StringBuilder local = new StringBuilder();
        validate(List.of("--profile", "local", dir.toString()), local);
        assertFalse(local.toString().contains(".image"), local.toString());

        Files.writeString(dir.resolve("storefront.yaml"), deployment("registry.deti/tenant-keyboss/storefront:keyboss@"
                + DIGEST));
        StringBuilder digest = new StringBuilder();
        validate(List.of("--profile", "deti", dir.toString()), digest);
        assertFalse(digest.toString().contains(".image"), digest.toString());
    }

    @Test
    void theCommittedDetiManifestsNameAVersionOrDigestForEveryImage() {
        List<Problem> problems = ClusterRules.check(Environment.builtIn("deti").profile(),
                Fixtures.readYaml(Fixtures.DIST.resolve("deti")));
        assertTrue(problems.stream().noneMatch(p -> p.property().endsWith(".image")), problems.toString());
        long images = Fixtures.readYaml(Fixtures.DIST.resolve("deti")).stream()
                .flatMap(m -> ClusterRules.containers(m).values().stream())
                .map(c -> Manifest.map(c).get("image")).filter(Images.STOREFRONT_DETI::equals).count();
        assertEquals(1, images, "the storefront's one container");
    }

    private static String deployment(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: storefront, namespace: tenant-keyboss}
                spec:
                  selector: {matchLabels: {app: storefront}}
                  template:
                    metadata: {labels: {app: storefront}}
                    spec:
                      containers:
                        - name: storefront
                          image: %s
                """.formatted(image);
    }

    private static int validate(List<String> args, StringBuilder out) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new java.util.ArrayList<>(List.of("validate"));
            all.addAll(args);
            return Main.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
            out.append(buffer.toString(StandardCharsets.UTF_8));
        }
    }
}
