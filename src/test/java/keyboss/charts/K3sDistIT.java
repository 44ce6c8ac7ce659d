package keyboss.charts;

import keyboss.charts.model.Rendering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * dist/ on a real k3s: the API server admits every object (server-side dry run), and the
 * objects that need no application image are really applied. Needs Docker: skipped, with the
 * reason reported, where no Docker engine runs (this machine); the GitHub workflow runs it.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sDistIT {

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.32.2-k3s1"));

    /** Kinds that start no container, so they can be applied for real without pulling app images. */
    private static final Set<String> INERT = Set.of("Namespace", "ConfigMap", "Service", "ServiceAccount", "Role",
            "RoleBinding", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "PersistentVolumeClaim");

    private static ExecResult kubectl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "kubectl";
        System.arraycopy(args, 0, command, 1, args.length);
        return K3S.execInContainer(command);
    }

    private static void apply(Path file, String target) throws IOException, InterruptedException {
        K3S.copyFileToContainer(MountableFile.forHostPath(file), target);
        ExecResult r = kubectl("apply", "-f", target);
        assertEquals(0, r.getExitCode(), r.getStdout() + r.getStderr());
    }

    @Test
    void apiServerAdmitsEveryObjectOfBothEnvironments(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("namespaces.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: keyboss}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: tenant-keyboss}
                """);
        apply(tmp.resolve("namespaces.yaml"), "/tmp/namespaces.yaml");
        for (String env : List.of("local", "deti")) {
            // Every object but the custom resources whose controllers (Argo CD, the Prometheus
            // Operator) this bare k3s lacks; their schemas are checked offline.
            String objects = Fixtures.readYaml(Path.of("dist", env)).stream()
                    .filter(m -> !Set.of("Application", "ServiceMonitor", "SealedSecret", "ExternalSecret").contains(m.kind()))
                    .map(m -> "---\n" + Rendering.toYaml(m.object()))
                    .collect(Collectors.joining());
            Path file = tmp.resolve(env + ".yaml");
            Files.writeString(file, objects);
            K3S.copyFileToContainer(MountableFile.forHostPath(file), "/tmp/" + env + ".yaml");
            ExecResult r = kubectl("apply", "--dry-run=server", "-f", "/tmp/" + env + ".yaml");
            assertEquals(0, r.getExitCode(), env + ": " + r.getStdout() + r.getStderr());
        }
    }

    @Test
    void objectsWithoutImagesApplyForReal(@TempDir Path tmp) throws Exception {
        String inert = Fixtures.readYaml(Path.of("dist", "local")).stream()
                .filter(m -> INERT.contains(m.kind()))
                .map(m -> "---\n" + Rendering.toYaml(m.object()))
                .collect(Collectors.joining());
        Files.writeString(tmp.resolve("inert.yaml"), inert);
        apply(tmp.resolve("inert.yaml"), "/tmp/inert.yaml");
        ExecResult config = kubectl("get", "configmap", "keyboss-config", "-n", "keyboss", "-o", "jsonpath={.data.POSTGRES_HOST}");
        assertEquals("postgres", config.getStdout().trim());
        ExecResult ingress = kubectl("get", "ingress", "keyboss", "-n", "keyboss", "-o", "jsonpath={.spec.rules[0].http.paths[*].path}");
        assertTrue(ingress.getStdout().contains("/graphql/"), ingress.getStdout());
    }
}
