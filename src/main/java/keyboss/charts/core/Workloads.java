package keyboss.charts.core;

import keyboss.charts.model.Labels;
import keyboss.charts.env.PodSpread;

import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.Affinity;
import org.cdk8s.plus25.k8s.CrossVersionObjectReferenceV2;
import org.cdk8s.plus25.k8s.DeploymentSpec;
import org.cdk8s.plus25.k8s.HorizontalPodAutoscalerBehaviorV2;
import org.cdk8s.plus25.k8s.HorizontalPodAutoscalerSpecV2;
import org.cdk8s.plus25.k8s.HpaScalingRulesV2;
import org.cdk8s.plus25.k8s.KubeDeployment;
import org.cdk8s.plus25.k8s.KubeDeploymentProps;
import org.cdk8s.plus25.k8s.KubeHorizontalPodAutoscalerV2;
import org.cdk8s.plus25.k8s.KubeHorizontalPodAutoscalerV2Props;
import org.cdk8s.plus25.k8s.KubePodDisruptionBudget;
import org.cdk8s.plus25.k8s.KubePodDisruptionBudgetProps;
import org.cdk8s.plus25.k8s.KubeService;
import org.cdk8s.plus25.k8s.KubeServiceProps;
import org.cdk8s.plus25.k8s.MetricSpecV2;
import org.cdk8s.plus25.k8s.MetricTargetV2;
import org.cdk8s.plus25.k8s.PodAffinityTerm;
import org.cdk8s.plus25.k8s.PodAntiAffinity;
import org.cdk8s.plus25.k8s.PodDisruptionBudgetSpec;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.ResourceMetricSourceV2;
import org.cdk8s.plus25.k8s.ServicePort;
import org.cdk8s.plus25.k8s.ServiceSpec;
import org.cdk8s.plus25.k8s.WeightedPodAffinityTerm;
import software.constructs.Construct;

/** The objects around a stateless workload: Deployment, Service, autoscaler, disruption budget. */
public final class Workloads {

    static final String HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";

    private Workloads() {
    }

    /**
     * Prefer spreading the pods of {@code name} over nodes (weight 100). Preferred, not
     * required, so a cluster with fewer nodes than replicas still schedules them (seed 3.1).
     */
    public static Affinity spreadOverNodes(String name) {
        return Affinity.builder()
                .podAntiAffinity(PodAntiAffinity.builder()
                        .preferredDuringSchedulingIgnoredDuringExecution(List.of(WeightedPodAffinityTerm.builder()
                                .weight(100)
                                .podAffinityTerm(PodAffinityTerm.builder()
                                        .labelSelector(K8s.selector(Labels.selector(name)))
                                        .topologyKey(HOSTNAME_TOPOLOGY)
                                        .build())
                                .build()))
                        .build())
                .build();
    }

    /**
     * Spreads the members of a replicated component {@code name} (any workload whose pods carry
     * its selector labels) over nodes: required (never two on one node) or preferred, as the
     * environment's {@link PodSpread} says.
     */
    public static Affinity spreadMembers(String name, PodSpread spread) {
        PodAffinityTerm term = PodAffinityTerm.builder()
                .labelSelector(K8s.selector(Labels.selector(name)))
                .topologyKey(HOSTNAME_TOPOLOGY)
                .build();
        if (spread == PodSpread.REQUIRED) {
            return Affinity.builder()
                    .podAntiAffinity(PodAntiAffinity.builder()
                            .requiredDuringSchedulingIgnoredDuringExecution(List.of(term))
                            .build())
                    .build();
        }
        return spreadOverNodes(name);
    }

    /**
     * A Deployment of pods labelled {@code labels}. {@code replicas} is null when an autoscaler
     * owns the count, so that re-applying the manifest never resets what the autoscaler chose.
     */
    public static KubeDeployment deployment(Construct scope, String id, String name, Map<String, String> labels,
            Integer replicas, PodSpec pod) {
        DeploymentSpec.Builder spec = DeploymentSpec.builder()
                .selector(K8s.selector(Labels.selector(name)))
                .template(PodTemplateSpec.builder().metadata(K8s.meta(null, labels)).spec(pod).build());
        if (replicas != null) {
            spec.replicas(replicas);
        }
        return new KubeDeployment(scope, id, KubeDeploymentProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(spec.build())
                .build());
    }

    /** A ClusterIP Service in front of the pods of {@code name}, on one named port. */
    public static KubeService service(Construct scope, String id, String name, Map<String, String> labels, String portName,
            int port) {
        return new KubeService(scope, id, KubeServiceProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(ServiceSpec.builder()
                        .selector(Labels.selector(name))
                        .ports(List.of(ServicePort.builder().name(portName).port(port)
                                .targetPort(K8s.intOrString(portName)).build()))
                        .build())
                .build());
    }

    /** An autoscaling/v2 HorizontalPodAutoscaler on CPU and memory utilization. */
    public static KubeHorizontalPodAutoscalerV2 autoscaler(Construct scope, String id, String name, String deployment,
            Map<String, String> labels, Autoscaling a) {
        return new KubeHorizontalPodAutoscalerV2(scope, id, KubeHorizontalPodAutoscalerV2Props.builder()
                .metadata(K8s.meta(name, labels))
                .spec(HorizontalPodAutoscalerSpecV2.builder()
                        .scaleTargetRef(CrossVersionObjectReferenceV2.builder()
                                .apiVersion("apps/v1").kind("Deployment").name(deployment).build())
                        .minReplicas(a.minReplicas())
                        .maxReplicas(a.maxReplicas())
                        .metrics(List.of(utilization("cpu", a.cpuPercent()), utilization("memory", a.memoryPercent())))
                        .behavior(HorizontalPodAutoscalerBehaviorV2.builder()
                                .scaleUp(HpaScalingRulesV2.builder().stabilizationWindowSeconds(a.scaleUpWindowSeconds()).build())
                                .scaleDown(HpaScalingRulesV2.builder().stabilizationWindowSeconds(a.scaleDownWindowSeconds()).build())
                                .build())
                        .build())
                .build());
    }

    private static MetricSpecV2 utilization(String resource, int percent) {
        return MetricSpecV2.builder()
                .type("Resource")
                .resource(ResourceMetricSourceV2.builder()
                        .name(resource)
                        .target(MetricTargetV2.builder().type("Utilization").averageUtilization(percent).build())
                        .build())
                .build();
    }

    /** A PodDisruptionBudget keeping {@code minAvailable} pods of {@code name} through voluntary disruptions. */
    public static KubePodDisruptionBudget disruptionBudget(Construct scope, String id, String name, Map<String, String> labels,
            int minAvailable) {
        return new KubePodDisruptionBudget(scope, id, KubePodDisruptionBudgetProps.builder()
                .metadata(K8s.meta(name, labels))
                .spec(PodDisruptionBudgetSpec.builder()
                        .minAvailable(K8s.intOrString(minAvailable))
                        .selector(K8s.selector(Labels.selector(name)))
                        .build())
                .build());
    }
}
