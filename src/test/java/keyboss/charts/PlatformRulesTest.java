package keyboss.charts;

import keyboss.charts.validation.ClusterRules;
import keyboss.charts.model.Labels;
import keyboss.charts.model.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules of ../shared/PLATFORM.md, written out here independently of {@link ClusterRules}
 * and checked on every object of the committed dist/ (what Argo CD would apply).
 */
class PlatformRulesTest {

    private static final List<Manifest> DETI = Fixtures.readYaml(Fixtures.DIST.resolve("deti"));
    private static final List<Manifest> LOCAL = Fixtures.readYaml(Fixtures.DIST.resolve("local"));
    private static final long GI = 1L << 30;
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass", "IngressClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");
    private static final Pattern CDK8S_HASH = Pattern.compile(".*-c8[0-9a-f]{6}$");

    private static void each(List<Manifest> manifests, String rule, java.util.function.Function<Manifest, String> check) {
        List<String> broken = new ArrayList<>();
        for (Manifest m : manifests) {
            String problem = check.apply(m);
            if (problem != null) {
                broken.add(m.file() + " " + m.id() + ": " + problem);
            }
        }
        assertEquals(List.of(), broken, rule);
    }

    /** Every claim of an object: a PVC's spec or each volumeClaimTemplate's spec. */
    private static List<Map<String, Object>> claims(Manifest m) {
        List<Map<String, Object>> specs = new ArrayList<>();
        if ("PersistentVolumeClaim".equals(m.kind())) {
            specs.add(Manifest.map(m.object().get("spec")));
        }
        for (Object t : Manifest.list(m.at("spec.volumeClaimTemplates"))) {
            specs.add(Manifest.map(Manifest.map(t).get("spec")));
        }
        return specs;
    }

    private static long bytes(String quantity) {
        assertTrue(quantity.matches("[0-9]+(Mi|Gi)"), "volume sizes are written in Mi or Gi: " + quantity);
        long n = Long.parseLong(quantity.substring(0, quantity.length() - 2));
        return quantity.endsWith("Gi") ? n * GI : n << 20;
    }

    @Test
    void detiObjectsAllLiveInTheTenantNamespace() {
        assertFalse(DETI.isEmpty());
        each(DETI, "namespace tenant-keyboss on every object", m ->
                "tenant-keyboss".equals(m.namespace()) ? null : "namespace is " + m.namespace());
        each(DETI, "no Namespace object on deti", m -> "Namespace".equals(m.kind()) ? "creates a Namespace" : null);
    }

    @Test
    void detiHasNothingClusterScoped() {
        each(DETI, "nothing cluster-scoped on deti", m -> CLUSTER_SCOPED.contains(m.kind()) ? "is cluster-scoped" : null);
    }

    @Test
    void detiVolumesAreLonghornAndAtMostOneGi() {
        long claimCount = DETI.stream().mapToLong(m -> claims(m).size()).sum();
        assertTrue(claimCount >= 3, "postgres, redis and backup claims exist: " + claimCount);
        each(DETI, "StorageClass longhorn", m -> claims(m).stream()
                .filter(c -> !"longhorn".equals(c.get("storageClassName"))).findAny()
                .map(c -> "storage class " + c.get("storageClassName")).orElse(null));
        each(DETI, "every PVC and volumeClaimTemplate <= 1Gi", m -> claims(m).stream()
                .map(c -> (String) Manifest.map(Manifest.map(c.get("resources")).get("requests")).get("storage"))
                .filter(s -> bytes(s) > GI).findAny().map(s -> "requests " + s).orElse(null));
    }

    @Test
    void detiHasNoTraefikKinds() {
        each(DETI, "no traefik.io kinds", m -> m.apiVersion().startsWith("traefik.") ? m.apiVersion() : null);
    }

    @Test
    void detiRolesGrantNeitherExecNorScale() {
        assertTrue(DETI.stream().anyMatch(m -> "Role".equals(m.kind())), "Patroni's Role is checked");
        each(DETI, "no pods/exec or deployments/scale in a Role", m -> {
            for (Object r : Manifest.list(m.object().get("rules"))) {
                for (Object resource : Manifest.list(Manifest.map(r).get("resources"))) {
                    String s = String.valueOf(resource);
                    if (Set.of("pods/exec", "deployments/scale", "*", "pods/*", "deployments/*").contains(s)) {
                        return "grants " + s;
                    }
                }
            }
            return null;
        });
    }

    @Test
    void everyContainerHasAPinnedImageAndResources() {
        for (List<Manifest> env : List.of(DETI, LOCAL)) {
            each(env, "pinned images and resources", m -> {
                for (Object c : ClusterRules.containers(m).values()) {
                    Map<String, Object> container = Manifest.map(c);
                    String image = (String) container.get("image");
                    if (image == null || image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":")) {
                        return "image " + image + " is not pinned";
                    }
                    Map<String, Object> resources = Manifest.map(container.get("resources"));
                    if (Manifest.map(resources.get("requests")).size() < 2 || Manifest.map(resources.get("limits")).size() < 2) {
                        return "container " + container.get("name") + " lacks cpu/memory requests or limits";
                    }
                }
                return null;
            });
        }
    }

    @Test
    void localUsesItsNamespaceAndLocalPathVolumes() {
        each(LOCAL, "namespace keyboss (argocd for the Argo CD Applications)", m -> CLUSTER_SCOPED.contains(m.kind())
                || (m.file().startsWith("argocd") ? "argocd" : "keyboss").equals(m.namespace()) ? null : "namespace is " + m.namespace());
        each(LOCAL, "no namespace on cluster-scoped objects", m -> CLUSTER_SCOPED.contains(m.kind()) && m.namespace() != null
                ? "namespace is " + m.namespace() : null);
        assertNotNull(Fixtures.find(LOCAL, "Namespace", "keyboss"));
        each(LOCAL, "StorageClass local-path, at most 10Gi", m -> claims(m).stream()
                .filter(c -> !"local-path".equals(c.get("storageClassName"))
                        || bytes((String) Manifest.map(Manifest.map(c.get("resources")).get("requests")).get("storage")) > 10 * GI)
                .findAny().map(Object::toString).orElse(null));
    }

    @Test
    void namesAreTheSeedsAndCarryNoHash() {
        for (List<Manifest> env : List.of(DETI, LOCAL)) {
            for (String[] kindName : new String[][] {{"StatefulSet", "postgres"}, {"Service", "postgres"},
                    {"Service", "postgres-replica"}, {"Role", "postgres"}, {"StatefulSet", "redis"}, {"Service", "redis"},
                    {"StatefulSet", "redis-sentinel"}, {"CronJob", "postgres-backup"},
                    {"CronJob", "postgres-basebackup-full"}, {"Deployment", "saleor-api"},
                    {"HorizontalPodAutoscaler", "saleor-api-hpa"}, {"Deployment", "celery-worker"},
                    {"Deployment", "saleor-storefront"}, {"Deployment", "saleor-dashboard"},
                    {"ConfigMap", "keyboss-config"}, {"Ingress", "keyboss"}}) {
                Fixtures.find(env, kindName[0], kindName[1]);
            }
            each(env, "no cdk8s name hashes", m -> CDK8S_HASH.matcher(m.name()).matches() ? "hashed name" : null);
        }
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        for (List<Manifest> env : List.of(DETI, LOCAL)) {
            each(env, "app.kubernetes.io labels", m -> {
                Map<String, Object> labels = Manifest.map(m.metadata().get("labels"));
                if (!"keyboss".equals(labels.get(Labels.PART_OF)) || !"keyboss-charts".equals(labels.get(Labels.MANAGED_BY))) {
                    return "labels " + labels;
                }
                return "Namespace".equals(m.kind()) || labels.containsKey(Labels.NAME) ? null : "no " + Labels.NAME;
            });
        }
    }

    @Test
    void restoreJobsAreOnlyInOps() {
        for (List<Manifest> env : List.of(DETI, LOCAL)) {
            each(env, "ops/ holds only Jobs, and the restore Jobs only live there", m -> {
                boolean inOps = m.file().startsWith("ops" + java.io.File.separator) || m.file().startsWith("ops/");
                // The recovery Job's own new volume is the one other kind there.
                if (inOps && !"Job".equals(m.kind()) && !"PersistentVolumeClaim".equals(m.kind())) {
                    return "non-Job in ops/";
                }
                return !inOps && "Job".equals(m.kind()) && m.name().startsWith("postgres-restore") ? "restore Job outside ops/" : null;
            });
            Fixtures.find(env, "Job", "postgres-restore");
            Fixtures.find(env, "Job", "postgres-pitr");
        }
        assertTrue(Path.of("dist", "deti", "ops", "restore.k8s.yaml").toFile().isFile());
    }
}
