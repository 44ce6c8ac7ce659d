package keyboss.charts.monitoring;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.ImageRef;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.core.NamedPort;
import keyboss.charts.network.NetworkPeer;
import keyboss.charts.model.Size;
import keyboss.charts.core.Workloads;

import java.util.ArrayList;
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
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.KubeRole;
import org.cdk8s.plus25.k8s.KubeRoleBinding;
import org.cdk8s.plus25.k8s.KubeRoleBindingProps;
import org.cdk8s.plus25.k8s.KubeRoleProps;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PolicyRule;
import org.cdk8s.plus25.k8s.Probe;
import org.cdk8s.plus25.k8s.RoleRef;
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.Subject;
import org.cdk8s.plus25.k8s.TcpSocketAction;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/** What the monitoring components share: their single-replica servers and their API permissions. */
final class MonitoringPods {

    /** The user of the images that run as nobody. */
    static final int NOBODY = 65534;
    /** The component label of every monitoring object. */
    static final String COMPONENT = "monitoring";

    private MonitoringPods() {
    }

    /** The labels of the monitoring component {@code name}. */
    static Map<String, String> labels(String name) {
        return Labels.of(name, COMPONENT);
    }

    /** The pods of the monitoring component {@code name}, standing for {@code deployment}. */
    static NetworkPeer peer(String name, KubeDeployment deployment) {
        return NetworkPeer.pods(name, Labels.selector(name), deployment);
    }

    /** A server's pod: what {@link #server} runs. */
    record Server(String name, NamedPort port, ImageRef image, String readyPath, String livePath, int uid,
            List<String> args, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts, String serviceAccount,
            ContainerResources resources, List<Size> scratch) {
    }

    /**
     * A single-replica Deployment (id {@code <name>-deployment}) and its Service
     * ({@code <name>-service}) on {@code port}. Ready: {@code readyPath} answers. Alive:
     * {@code livePath} answers, or (null) the port accepts connections: a cheaper check than
     * readiness, so a server waiting for a dependency is not restarted. The root file system is
     * read-only; {@code scratch} are the sizes of the disk emptyDirs among {@code volumes}, which
     * its ephemeral-storage limit covers. The pod gets a service account token only with
     * {@code serviceAccount} (a server that calls the Kubernetes API).
     */
    static KubeDeployment server(Construct scope, Server s) {
        Map<String, String> labels = labels(s.name());
        String portName = s.port().name();
        Probe ready = Probe.builder().httpGet(HttpGetAction.builder().path(s.readyPath()).port(K8s.intOrString(portName)).build())
                .periodSeconds(10).timeoutSeconds(5).failureThreshold(3).build();
        Probe.Builder alive = Probe.builder().periodSeconds(20).timeoutSeconds(5).failureThreshold(3);
        if (s.livePath() != null) {
            alive.httpGet(HttpGetAction.builder().path(s.livePath()).port(K8s.intOrString(portName)).build());
        } else {
            alive.tcpSocket(TcpSocketAction.builder().port(K8s.intOrString(portName)).build());
        }
        Container c = Container.builder().name(s.name()).image(s.image().image()).imagePullPolicy(s.image().pullPolicy().value())
                .args(s.args()).env(s.env())
                .ports(List.of(ContainerPort.builder().name(portName).containerPort(s.port().number()).build()))
                .readinessProbe(ready).livenessProbe(alive.build())
                .resources(K8s.resources(s.resources(), s.scratch().toArray(Size[]::new)))
                .securityContext(K8s.restrictedContainer()).volumeMounts(s.mounts()).build();
        PodSpec.Builder pod = PodSpec.builder().securityContext(K8s.restrictedPod(s.uid(), s.uid())).containers(List.of(c))
                .volumes(s.volumes());
        if (s.serviceAccount() != null) {
            // Prometheus discovers pods and kube-state-metrics lists objects through the API.
            pod.serviceAccountName(s.serviceAccount()).automountServiceAccountToken(true);
        } else {
            pod.automountServiceAccountToken(false);
        }
        KubeDeployment deployment = Workloads.deployment(scope, s.name() + "-deployment", s.name(), labels, 1, pod.build());
        Workloads.service(scope, s.name() + "-service", s.name(), labels, portName, s.port().number());
        return deployment;
    }

    static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return PolicyRule.builder().apiGroups(groups).resources(resources).verbs(verbs).build();
    }

    /**
     * A ServiceAccount and its permissions: a ClusterRole where the cluster allows it (named with
     * the namespace, as cluster-scoped names are shared), otherwise a Role in the namespace.
     * {@code clusterOnly} are granted only cluster-wide.
     */
    static void account(Construct scope, String namespace, String name, List<PolicyRule> rules, List<PolicyRule> clusterOnly,
            boolean clusterWide) {
        Map<String, String> labels = labels(name);
        new KubeServiceAccount(scope, name + "-sa", KubeServiceAccountProps.builder().metadata(K8s.meta(name, labels)).build());
        Subject subject = Subject.builder().kind("ServiceAccount").name(name).namespace(namespace).build();
        if (clusterWide) {
            String clusterName = namespace + "-" + name;
            List<PolicyRule> all = new ArrayList<>(rules);
            all.addAll(clusterOnly);
            new KubeClusterRole(scope, name + "-clusterrole", KubeClusterRoleProps.builder()
                    .metadata(K8s.meta(clusterName, labels)).rules(List.copyOf(all)).build());
            new KubeClusterRoleBinding(scope, name + "-clusterrolebinding", KubeClusterRoleBindingProps.builder()
                    .metadata(K8s.meta(clusterName, labels))
                    .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("ClusterRole").name(clusterName).build())
                    .subjects(List.of(subject)).build());
        } else {
            new KubeRole(scope, name + "-role", KubeRoleProps.builder().metadata(K8s.meta(name, labels)).rules(rules).build());
            new KubeRoleBinding(scope, name + "-rolebinding", KubeRoleBindingProps.builder()
                    .metadata(K8s.meta(name, labels))
                    .roleRef(RoleRef.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(name).build())
                    .subjects(List.of(subject)).build());
        }
    }

    /** A Secret volume {@code volume} holding one key as the file {@code file}, readable by the pod's group only. */
    static Volume secretFile(String volume, String secretName, String key, String file) {
        return Volume.builder().name(volume).secret(SecretVolumeSource.builder().secretName(secretName).defaultMode(0440)
                .items(List.of(KeyToPath.builder().key(key).path(file).build())).build()).build();
    }
}
