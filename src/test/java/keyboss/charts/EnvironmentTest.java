package keyboss.charts;

import keyboss.charts.network.ClusterNetwork;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.ImageRef;
import keyboss.charts.env.IngressTls;
import keyboss.charts.model.Manifest;
import keyboss.charts.network.NetworkPort;
import keyboss.charts.model.Permission;
import keyboss.charts.model.PullPolicy;
import keyboss.charts.model.Scheme;
import keyboss.charts.model.Size;
import keyboss.charts.cli.Synthesizer;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void localMatchesThePlatform() {
        Environment local = Environment.local();
        assertEquals("keyboss", local.namespace());
        assertTrue(local.createNamespace());
        assertEquals("local-path", local.storageClass());
        assertEquals(Size.gi(5), local.defaultVolumeSize());
        assertEquals(Size.gi(10), local.maxVolumeSize());
        assertEquals("https://localhost", local.publicUrl());
        assertEquals(java.util.Optional.of(new IngressTls("keyboss-tls")), local.tls());
        assertTrue(local.traefikMiddlewaresAllowed(), "k3d runs Traefik with its CRDs");
        assertEquals("keyboss-storefront:m2", local.images().storefront().image());
        assertTrue(local.clusterScopedAllowed());
        assertEquals(List.of(), local.deniedPermissions());
    }

    @Test
    void detiMatchesThePlatform() {
        Environment deti = Environment.deti();
        assertEquals("tenant-keyboss", deti.namespace());
        assertFalse(deti.createNamespace());
        assertEquals("longhorn", deti.storageClass());
        assertEquals(Size.gi(1), deti.maxVolumeSize());
        assertEquals("https://keyboss.deti", deti.publicUrl());
        assertTrue(deti.secureCookies());
        assertEquals(java.util.Optional.of(new IngressTls("keyboss-tls")), deti.tls());
        assertFalse(deti.traefikMiddlewaresAllowed(), "deti rejects traefik.io objects");
        assertEquals("tenant-keyboss.svc", deti.serviceDomain());
        assertEquals(new ImageRef("registry.deti/tenant-keyboss/storefront:1.0.0", PullPolicy.IF_NOT_PRESENT),
                deti.images().storefront());
        assertEquals(ImagePolicy.VERSIONED, deti.imagePolicy());
        assertFalse(deti.clusterScopedAllowed());
        assertTrue(deti.forbiddenApiGroups().contains("traefik.io"));
        assertTrue(deti.deniedPermissions().contains(Permission.of("", "pods/exec", Permission.ANY_VERB)));
        assertTrue(deti.deniedPermissions().contains(Permission.of("apps", "deployments/scale", Permission.ANY_VERB)));
    }

    @Test
    void aThirdEnvironmentTakesAFewLines() {
        Environment staging = Environment.deti().toBuilder()
                .name("staging").namespace("keyboss-staging").publicHost("staging.keyboss.example")
                .scheme(Scheme.HTTPS).build();
        List<Manifest> manifests = Synthesizer.synthesize(List.of(staging)).get(0).manifests();
        assertTrue(manifests.stream().allMatch(m -> "keyboss-staging".equals(m.namespace())));
        assertEquals("https://staging.keyboss.example", staging.publicUrl());
        assertTrue(staging.secureCookies());
    }

    @Test
    void chartsNeverBranchOnTheEnvironmentsName() {
        // Same values under another name must give the same objects.
        Environment twin = Environment.deti().toBuilder().name("twin").build();
        List<Synthesizer.Output> outputs = Synthesizer.synthesize(List.of(Environment.deti(), twin));
        // Only the Argo CD Applications differ: they name the environment's folder, dist/<name>.
        java.util.function.Function<Synthesizer.Output, List<Manifest>> workload = o -> o.manifests().stream()
                .filter(m -> !m.file().startsWith("argocd")).toList();
        assertEquals(workload.apply(outputs.get(0)), workload.apply(outputs.get(1)));
    }

    @Test
    void invalidValuesAreAllReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environment.local().toBuilder()
                .name("Staging").namespace("keyboss_staging").defaultVolumeSize(Size.gi(20)).build());
        assertContainsAll(e.getMessage(), "Environment 'Staging' is invalid", "name: 'Staging' is not a DNS label",
                "namespace: 'keyboss_staging'", "defaultVolumeSize 20Gi is above maxVolumeSize 10Gi");
    }

    @Test
    void imagesMustBePinned() {
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ImageRef.of("postgres:latest")).getMessage(),
                "'latest'", "pin a version tag");
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> ImageRef.of("postgres")).getMessage(),
                "not pinned");
        assertEquals("localhost:5000/team/app:1.2", ImageRef.of("localhost:5000/team/app:1.2").image());
        ImageRef.of("valkey/valkey@sha256:" + "a".repeat(64));
    }

    @Test
    void sizesCompareAcrossUnits() {
        assertTrue(Size.parse("1536Mi").isGreaterThan(Size.gi(1)));
        assertFalse(Size.parse("1G").isGreaterThan(Size.gi(1)));
        assertEquals(0, Size.parse("1024Mi").compareTo(Size.gi(1)));
        assertContainsAll(assertThrows(IllegalArgumentException.class, () -> Size.parse("1 GB")).getMessage(),
                "not a storage quantity", "1Gi");
    }

    @Test
    void permissionsMatchWildcards() {
        Permission exec = Permission.of("", "pods/exec", Permission.ANY_VERB);
        assertTrue(exec.grantedBy("", "pods/exec", "create"));
        assertTrue(exec.grantedBy("*", "*", "get"));
        assertTrue(exec.grantedBy("", "*/exec", "create"));
        assertFalse(exec.grantedBy("", "pods/*", "create"), "Kubernetes RBAC has no pods/* wildcard");
        assertFalse(exec.grantedBy("", "pods", "get"));
        assertFalse(exec.grantedBy("apps", "pods/exec", "create"));
        assertEquals(Set.of("traefik.containo.us", "traefik.io"), Environment.deti().forbiddenApiGroups());
    }

    @Test
    void theKubeletsAndTheIngressPortsComeFromTheClusterNetwork() {
        ClusterNetwork k3s = ClusterNetwork.k3s();
        assertEquals(List.of(NetworkPort.tcp(8443)), k3s.ingressPortsFor("https://keyboss.deti"));
        assertEquals(List.of(NetworkPort.tcp(8000)), k3s.ingressPortsFor("http://keyboss.deti"));
        assertEquals("0.0.0.0/0", k3s.kubelets().cidr());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ClusterNetwork(k3s.ingressController(), k3s.ingressWebPorts(), k3s.ingressTlsPorts(), k3s.dns(),
                        k3s.kubeApi(), "nodes"));
        assertTrue(e.getMessage().contains("'kubelets' cidr 'nodes'"), e.getMessage());
    }
}
