package keyboss.charts;

import keyboss.charts.validation.ApiServerRules;
import keyboss.charts.model.IpAddresses;
import keyboss.charts.model.Problem;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Yaml.accepts;
import static keyboss.charts.Yaml.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rejection of the API server the offline rules know, caught on a minimal object that
 * breaks only it, next to the valid object it breaks.
 */
class ApiServerRulesTest {

    /** A Deployment whose pod spec has {@code podFields} and whose one container has {@code containerFields} (flow YAML). */
    static String deployment(String podFields, String containerFields) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "nginx:1.27.0"%s}]%s}
                """.formatted(containerFields.isEmpty() ? "" : ", " + containerFields,
                podFields.isEmpty() ? "" : ", " + podFields);
    }

    private static String container(String fields) {
        return deployment("", fields);
    }

    private static String pod(String fields) {
        return deployment(fields, "");
    }

    private static final String C = "spec.template.spec.containers[0]";

    @Test
    void theCommittedDistPassesEveryApiServerRule() {
        for (String env : List.of("local", "deti")) {
            assertEquals(List.of(), ApiServerRules.check(env, Fixtures.readYaml(Fixtures.DIST.resolve(env))), env);
        }
    }

    /** The server admits these with a warning (pods take the name); Argo CD's sync shows it, so it is a problem. */
    @Test
    void aPodMakingWorkloadNameIsALabelNotJustASubdomain() {
        accepts(Yaml::api, deployment("", "").replace("name: web, namespace", "name: " + "d".repeat(63) + ", namespace"));
        rejects(Yaml::api, deployment("", "").replace("name: web, namespace", "name: " + "d".repeat(64) + ", namespace"),
                "metadata.name", "host names");
        rejects(Yaml::api, deployment("", "").replace("name: web, namespace", "name: web.v2, namespace"), "metadata.name",
                "RFC 1123 label");
        rejects(Yaml::api, deployment("", "").replace("kind: Deployment", "kind: DaemonSet").replace("name: web, namespace",
                "name: " + "d".repeat(64) + ", namespace"), "metadata.name", "host names");
    }

    @Test
    void anEnvironmentVariableIsSetOnce() {
        accepts(Yaml::api, container("env: [{name: A, value: '1'}, {name: B, value: '2'}]"));
        assertContainsAll(rejects(Yaml::api, container("env: [{name: A, value: '1'}, {name: B, value: '2'}, {name: A, value: '3'}]"),
                C + ".env[2].name", "already set by env[0]").toString(), "server-side apply", "set it once");
    }

    @Test
    void namesFollowTheFormatOfTheirKind() {
        accepts(Yaml::api, "{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}");
        assertContainsAll(rejects(Yaml::api, "{apiVersion: v1, kind: Service, metadata: {name: 1web}, spec: {ports: [{port: 80}]}}",
                "metadata.name", "DNS-1035 label").toString(), "a Service name must be", "starting with a letter");
        rejects(Yaml::api, "{apiVersion: v1, kind: Service, metadata: {name: web.shop}, spec: {ports: [{port: 80}]}}",
                "metadata.name", "DNS-1035");
        accepts(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: web.config}}");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: Web_Config}}", "metadata.name", "subdomain");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: " + "a".repeat(254) + "}}", "metadata.name",
                "at most 253");
        rejects(Yaml::api, "{apiVersion: v1, kind: Namespace, metadata: {name: shop.prod}}", "metadata.name", "RFC 1123 label");
        rejects(Yaml::api, "{apiVersion: v1, kind: Namespace, metadata: {name: " + "n".repeat(64) + "}}", "metadata.name",
                "at most 63");
        accepts(Yaml::api, "{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: 'system:Reader'}, rules: []}");
        rejects(Yaml::api, "{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: a/b}, rules: []}",
                "metadata.name", "path segment");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {}}", "metadata.name", "metadata.name (or generateName)");
        accepts(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {generateName: web-}}");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {generateName: Web-}}", "metadata.generateName",
                "generateName");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: Shop}}", "metadata.namespace",
                "RFC 1123 label");
        String longSts = deployment("", "").replace("kind: Deployment", "kind: StatefulSet").replace("name: web, namespace",
                "name: " + "s".repeat(53) + ", namespace");
        rejects(Yaml::api, longSts, "metadata.name", "at most 52");
        rejects(Yaml::api, deployment("", "").replace("kind: Deployment", "kind: StatefulSet").replace("name: web, namespace",
                "name: web.db, namespace"), "metadata.name", "RFC 1123 label");
    }

    @Test
    void labelsAndAnnotationsAreWhatTheApiServerStores() {
        accepts(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {app.kubernetes.io/name: web,"
                + " tier: ''}, annotations: {Example.com/Note: free text}}}");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {-app: web}}}", "metadata.labels",
                "qualified name");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {a/b/c: web}}}", "metadata.labels",
                "at most one '/'");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {Example.com/app: web}}}",
                "metadata.labels", "DNS subdomain");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {" + "k".repeat(64) + ": web}}}",
                "metadata.labels", "at most 63");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {app: web server}}}",
                "metadata.labels.app", "label value");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {app: " + "v".repeat(64) + "}}}",
                "metadata.labels.app", "at most 63");
        assertContainsAll(rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: {enabled: true}}}",
                "metadata.labels.enabled", "strings").toString(), "quote the value");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {prometheus.io/port: 9090}}}",
                "metadata.annotations.prometheus.io/port", "strings");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {'bad key': x}}}",
                "metadata.annotations", "qualified name");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {big: " + "x".repeat(256 * 1024)
                + "}}}", "metadata.annotations", "256 KiB");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, finalizers: ['not/a/name']}}",
                "metadata.finalizers", "qualified name");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, ownerReferences: [{apiVersion: v1, kind: Pod,"
                + " name: p}]}}", "metadata.ownerReferences[0].uid", "uid");
    }

    @Test
    void duplicateObjectsAreOneTooMany() {
        String map = "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}";
        Problem duplicate = rejects(Yaml::api, map + "\n---\n" + map, "metadata.name", "defined once");
        assertContainsAll(duplicate.toString(), "ConfigMap/a", "keeps only the last");
        accepts(Yaml::api, map + "\n---\n" + map.replace("shop", "other"));
        accepts(Yaml::api, map + "\n---\n" + map.replace("ConfigMap", "Secret"));
        accepts(Yaml::api, "{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}".replace("Deployment", "ConfigMap")
                + "\n---\n{apiVersion: example.com/v1, kind: ConfigMap, metadata: {name: a}}");
    }

    @Test
    void containerPortsAreInRangeAndNamedAsIana() {
        accepts(Yaml::api, container("ports: [{name: http, containerPort: 8080}, {name: metrics-2, containerPort: 9090,"
                + " protocol: UDP}]"));
        rejects(Yaml::api, container("ports: [{containerPort: 0}]"), C + ".ports[0].containerPort", "1 to 65535");
        rejects(Yaml::api, container("ports: [{containerPort: 65536}]"), C + ".ports[0].containerPort", "1 to 65535");
        rejects(Yaml::api, container("ports: [{name: http}]"), C + ".ports[0].containerPort", "needs containerPort");
        rejects(Yaml::api, container("ports: [{containerPort: 80, hostPort: 70000}]"), C + ".ports[0].hostPort", "1 to 65535");
        rejects(Yaml::api, container("ports: [{containerPort: 80, protocol: HTTP}]"), C + ".ports[0].protocol", "TCP, UDP");
        rejects(Yaml::api, container("ports: [{name: web-http-metrics-port, containerPort: 80}]"), C + ".ports[0].name",
                "at most 15");
        rejects(Yaml::api, container("ports: [{name: '8080', containerPort: 80}]"), C + ".ports[0].name", "at least one letter");
        rejects(Yaml::api, container("ports: [{name: web--http, containerPort: 80}]"), C + ".ports[0].name", "consecutive");
        rejects(Yaml::api, container("ports: [{name: Http, containerPort: 80}]"), C + ".ports[0].name", "lower-case");
        rejects(Yaml::api, container("ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]"),
                C + ".ports[1].name", "unique");
        accepts(Yaml::api, container("ports: [{containerPort: 80, hostPort: 8080}]"));
        rejects(Yaml::api, pod("containers: [{name: a, image: 'x:1', ports: [{containerPort: 80, hostPort: 8080}]}, {name: b,"
                + " image: 'x:1', ports: [{containerPort: 81, hostPort: 8080}]}]"),
                "spec.template.spec.containers[1].ports[0].hostPort", "used once per pod");
    }

    @Test
    void containersAreNamedUniquelyAndReferenceWhatExists() {
        rejects(Yaml::api, pod("initContainers: [{name: web, image: 'busybox:1.36'}]"), "spec.template.spec.initContainers[0].name",
                "unique");
        rejects(Yaml::api, container("name: Web"), C + ".name", "RFC 1123 label");
        rejects(Yaml::api, pod("containers: []"), "spec.template.spec.containers", "at least one container");
        rejects(Yaml::api, container("image: ''"), C + ".image", "names its image");
        rejects(Yaml::api, container("imagePullPolicy: always"), C + ".imagePullPolicy", "[Always, IfNotPresent, Never]");
        rejects(Yaml::api, container("volumeMounts: [{name: data, mountPath: /data}]"), C + ".volumeMounts[0].name",
                "names a valid volume");
        accepts(Yaml::api, deployment("volumes: [{name: data, emptyDir: {}}]", "volumeMounts: [{name: data, mountPath: /data}]"));
        rejects(Yaml::api, deployment("volumes: [{name: data, emptyDir: {}}]", "volumeMounts: [{name: data, mountPath: /d},"
                + " {name: data, mountPath: /d}]"), C + ".volumeMounts[1].mountPath", "unique");
        rejects(Yaml::api, deployment("volumes: [{name: data, emptyDir: {}}]", "volumeMounts: [{name: data, mountPath: /d,"
                + " subPath: ../etc}]"), C + ".volumeMounts[0].subPath", "without '..'");
        rejects(Yaml::api, container("restartPolicy: Always"), C + ".restartPolicy", "only be set on init containers");
        accepts(Yaml::api, pod("initContainers: [{name: proxy, image: 'envoy:1.31', restartPolicy: Always, readinessProbe:"
                + " {tcpSocket: {port: 9901}}}]"));
        rejects(Yaml::api, pod("initContainers: [{name: setup, image: 'busybox:1.36', readinessProbe: {tcpSocket: {port: 1}}}]"),
                "spec.template.spec.initContainers[0].readinessProbe", "init containers without restartPolicy");
        rejects(Yaml::api, pod("ephemeralContainers: [{name: debug, image: 'busybox:1.36'}]"),
                "spec.template.spec.ephemeralContainers[0]", "not allowed in a pod template");
    }

    @Test
    void volumesNameOneSourceEach() {
        rejects(Yaml::api, pod("volumes: [{name: data, emptyDir: {}}, {name: data, emptyDir: {}}]"),
                "spec.template.spec.volumes[1].name", "unique");
        rejects(Yaml::api, pod("volumes: [{name: data}]"), "spec.template.spec.volumes[0]", "exactly one source");
        rejects(Yaml::api, pod("volumes: [{name: data, emptyDir: {}, configMap: {name: c}}]"), "spec.template.spec.volumes[0]",
                "exactly one source");
        rejects(Yaml::api, pod("volumes: [{name: Data, emptyDir: {}}]"), "spec.template.spec.volumes[0].name", "RFC 1123 label");
        rejects(Yaml::api, pod("volumes: [{name: c, configMap: {name: c, defaultMode: 1000}}]"),
                "spec.template.spec.volumes[0].configMap.defaultMode", "0777");
        rejects(Yaml::api, pod("volumes: [{name: c, configMap: {name: c, items: [{key: a, path: /etc/a}]}}]"),
                "spec.template.spec.volumes[0].configMap.items[0].path", "relative");
        rejects(Yaml::api, pod("volumes: [{name: c, secret: {}}]"), "spec.template.spec.volumes[0].secret.secretName",
                "Secret's name");
        rejects(Yaml::api, pod("volumes: [{name: c, persistentVolumeClaim: {}}]"),
                "spec.template.spec.volumes[0].persistentVolumeClaim.claimName", "claim's name");
    }

    @Test
    void environmentVariablesAreStringsFromOneSource() {
        accepts(Yaml::api, container("env: [{name: 'my.var-1', value: 'x'}, {name: POD, valueFrom: {fieldRef: {fieldPath:"
                + " metadata.name}}}]"));
        rejects(Yaml::api, container("env: [{name: 'A=B', value: x}]"), C + ".env[0].name", "other than '='");
        rejects(Yaml::api, container("env: [{value: x}]"), C + ".env[0].name", "must not be empty");
        rejects(Yaml::api, container("env: [{name: PORT, value: 8080}]"), C + ".env[0].value", "is a string");
        rejects(Yaml::api, container("env: [{name: A, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}]"),
                C + ".env[0].valueFrom", "together with a value");
        rejects(Yaml::api, container("env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}, configMapKeyRef: {name: c,"
                + " key: k}}}]"), C + ".env[0].valueFrom", "exactly one source");
        rejects(Yaml::api, container("env: [{name: A, valueFrom: {}}]"), C + ".env[0].valueFrom", "names one of");
        rejects(Yaml::api, container("env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: 'a b'}}}]"),
                C + ".env[0].valueFrom.secretKeyRef.key", "alphanumerics");
        rejects(Yaml::api, container("env: [{name: A, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}]"),
                C + ".env[0].valueFrom.fieldRef.fieldPath", "downward API offers");
        rejects(Yaml::api, container("envFrom: [{configMapRef: {name: c}, secretRef: {name: s}}]"), C + ".envFrom[0]",
                "exactly one of");
    }

    @Test
    void resourcesAreQuantitiesWithRequestsWithinLimits() {
        accepts(Yaml::api, container("resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: 1, memory: 0.5Gi,"
                + " example.com/gpu: 1}}"));
        rejects(Yaml::api, container("resources: {requests: {cpu: '2'}, limits: {cpu: 500m}}"), C + ".resources.requests.cpu",
                "at most its limit");
        rejects(Yaml::api, container("resources: {requests: {memory: 1GB}}"), C + ".resources.requests.memory", "quantity");
        rejects(Yaml::api, container("resources: {requests: {memory: -1Mi}}"), C + ".resources.requests.memory", "not negative");
        rejects(Yaml::api, container("resources: {limits: {gpu: 1}}"), C + ".resources.limits.gpu", "extended resource");
        rejects(Yaml::api, container("resources: {requests: {example.com/gpu: 1}}"), C + ".resources.limits.example.com/gpu",
                "limit must be set");
    }

    @Test
    void probesHaveExactlyOneHandler() {
        accepts(Yaml::api, container("readinessProbe: {httpGet: {path: /, port: http}}, livenessProbe: {tcpSocket: {port: 80},"
                + " successThreshold: 1}, ports: [{name: http, containerPort: 80}]"));
        rejects(Yaml::api, container("readinessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}}"), C + ".readinessProbe",
                "exactly one action");
        rejects(Yaml::api, container("readinessProbe: {periodSeconds: 5}"), C + ".readinessProbe", "exactly one of");
        rejects(Yaml::api, container("livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}"),
                C + ".livenessProbe.successThreshold", "must be 1");
        rejects(Yaml::api, container("readinessProbe: {httpGet: {port: 80, scheme: https}}"), C + ".readinessProbe.httpGet.scheme",
                "HTTP or HTTPS");
        rejects(Yaml::api, container("readinessProbe: {exec: {command: []}}"), C + ".readinessProbe.exec.command",
                "needs a command");
        rejects(Yaml::api, container("readinessProbe: {tcpSocket: {port: 0}}"), C + ".readinessProbe.tcpSocket.port",
                "1 to 65535");
        rejects(Yaml::api, container("readinessProbe: {tcpSocket: {port: 80}, timeoutSeconds: -1}"),
                C + ".readinessProbe.timeoutSeconds", "not negative");
        rejects(Yaml::api, container("lifecycle: {preStop: {sleep: {seconds: 60}}}"), C + ".lifecycle.preStop.sleep.seconds",
                "terminationGracePeriodSeconds (30)");
    }

    @Test
    void podFieldsTakeTheValuesTheServerKnows() {
        rejects(Yaml::api, pod("dnsPolicy: None"), "spec.template.spec.dnsConfig.nameservers", "dnsPolicy None");
        rejects(Yaml::api, pod("dnsPolicy: clusterFirst"), "spec.template.spec.dnsPolicy", "ClusterFirst");
        rejects(Yaml::api, pod("hostname: web.shop"), "spec.template.spec.hostname", "RFC 1123 label");
        rejects(Yaml::api, pod("serviceAccountName: Web"), "spec.template.spec.serviceAccountName", "DNS subdomain");
        rejects(Yaml::api, pod("securityContext: {runAsUser: -1}"), "spec.template.spec.securityContext.runAsUser",
                "0 to 2147483647");
        rejects(Yaml::api, pod("securityContext: {sysctls: [{name: Net.Core}]}"), "spec.template.spec.securityContext.sysctls[0].name",
                "lower-case");
        rejects(Yaml::api, pod("hostNetwork: true, securityContext: {sysctls: [{name: net.ipv4.tcp_syncookies, value: '1'}]}"),
                "spec.template.spec.securityContext.sysctls[0].name", "hostNetwork");
        rejects(Yaml::api, pod("tolerations: [{operator: Equal, value: x}]"), "spec.template.spec.tolerations[0].operator",
                "must use operator Exists");
        rejects(Yaml::api, pod("tolerations: [{key: k, operator: Exists, value: x}]"), "spec.template.spec.tolerations[0].value",
                "takes no value");
        rejects(Yaml::api, pod("affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 101,"
                + " podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]}}"),
                "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", "1 to 100");
        rejects(Yaml::api, pod("affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {}}]}}"),
                "spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
                "topologyKey");
        rejects(Yaml::api, pod("topologySpreadConstraints: [{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]"),
                "spec.template.spec.topologySpreadConstraints[0].maxSkew", "greater than 0");
        rejects(Yaml::api, pod("hostNetwork: true, containers: [{name: web, image: 'nginx:1', ports: [{containerPort: 80,"
                + " hostPort: 81}]}]"), "spec.template.spec.containers[0].ports[0].hostPort", "equals the containerPort");
        rejects(Yaml::api, container("securityContext: {allowPrivilegeEscalation: false, privileged: true}"),
                C + ".securityContext", "cannot be privileged");
        rejects(Yaml::api, container("securityContext: {procMount: Unmasked}"), C + ".securityContext.procMount",
                "user namespace");
        rejects(Yaml::api, container("securityContext: {seccompProfile: {type: Localhost}}"),
                C + ".securityContext.seccompProfile.localhostProfile", "names its localhostProfile");
    }

    @Test
    void workloadsSelectTheirOwnPodsAndRestartAsTheirKindAllows() {
        accepts(Yaml::api, deployment("", ""));
        rejects(Yaml::api, deployment("", "").replace("matchLabels: {app: web}", "matchLabels: {app: api}"), "spec.selector",
                "match its own pod template labels");
        accepts(Yaml::api, deployment("", "").replace("{matchLabels: {app: web}}",
                "{matchExpressions: [{key: app, operator: In, values: [web, api]}]}"));
        rejects(Yaml::api, deployment("", "").replace("{matchLabels: {app: web}}",
                "{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}"), "spec.selector", "match its own");
        rejects(Yaml::api, deployment("", "").replace("{matchLabels: {app: web}}", "{}"), "spec.selector", "empty selector");
        rejects(Yaml::api, deployment("", "").replace("  selector: {matchLabels: {app: web}}\n", ""), "spec.selector",
                "needs spec.selector");
        rejects(Yaml::api, deployment("", "").replace("{matchLabels: {app: web}}",
                "{matchLabels: {app: web}, matchExpressions: [{key: app, operator: Has}]}"),
                "spec.selector.matchExpressions[0].operator", "In, NotIn");
        rejects(Yaml::api, pod("restartPolicy: OnFailure"), "spec.template.spec.restartPolicy", "restartPolicy Always");
        rejects(Yaml::api, deployment("", "").replace("spec:\n  selector", "spec:\n  replicas: -1\n  selector"), "spec.replicas",
                "not negative");
        rejects(Yaml::api, deployment("", "").replace("spec:\n  selector", "spec:\n  strategy: {rollingUpdate: {maxUnavailable:"
                + " 0, maxSurge: 0}}\n  selector"), "spec.strategy.rollingUpdate.maxUnavailable", "cannot both be 0");
        rejects(Yaml::api, deployment("", "").replace("spec:\n  selector", "spec:\n  strategy: {rollingUpdate: {maxUnavailable:"
                + " 120%}}\n  selector"), "spec.strategy.rollingUpdate.maxUnavailable", "at most 100%");
        rejects(Yaml::api, deployment("", "").replace("spec:\n  selector", "spec:\n  minReadySeconds: 700\n  selector"),
                "spec.progressDeadlineSeconds", "greater than minReadySeconds");
        String daemonSet = deployment("", "").replace("kind: Deployment", "kind: DaemonSet");
        accepts(Yaml::api, daemonSet);
        rejects(Yaml::api, daemonSet.replace("spec:\n  selector", "spec:\n  updateStrategy: {rollingUpdate: {maxSurge: 1}}\n"
                + "  selector"), "spec.updateStrategy.rollingUpdate", "exactly one of maxUnavailable");
        String rc = """
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: web, image: 'nginx:1'}]}}
                """;
        rejects(Yaml::api, rc, "spec.template.metadata.labels", "match the template's labels");
        accepts(Yaml::api, rc.replace("app: api", "app: web"));
    }

    private static String job(String specFields, String podFields) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  %s
                  template: {spec: {containers: [{name: migrate, image: 'saleor:3.20'}]%s}}
                """.formatted(specFields.isEmpty() ? "backoffLimit: 3" : specFields, podFields.isEmpty() ? "" : ", " + podFields);
    }

    @Test
    void jobsRunToCompletion() {
        accepts(Yaml::api, job("", "restartPolicy: Never"));
        assertContainsAll(rejects(Yaml::api, job("", ""), "spec.template.spec.restartPolicy", "OnFailure or Never").toString(),
                "defaults to Always");
        rejects(Yaml::api, job("", "restartPolicy: Always"), "spec.template.spec.restartPolicy", "OnFailure or Never");
        rejects(Yaml::api, job("completions: -1", "restartPolicy: Never"), "spec.completions", "not negative");
        rejects(Yaml::api, job("parallelism: -2", "restartPolicy: Never"), "spec.parallelism", "not negative");
        rejects(Yaml::api, job("completionMode: Indexed", "restartPolicy: Never"), "spec.completions", "Indexed Job");
        rejects(Yaml::api, job("selector: {matchLabels: {app: migrate}}", "restartPolicy: Never"), "spec.selector", "generated");
        rejects(Yaml::api, job("backoffLimitPerIndex: 1", "restartPolicy: Never"), "spec.backoffLimitPerIndex",
                "completionMode: Indexed");
        rejects(Yaml::api, job("podFailurePolicy: {rules: []}", "restartPolicy: OnFailure"), "spec.template.spec.restartPolicy",
                "podFailurePolicy");
        rejects(Yaml::api, job("", "restartPolicy: Never").replace("name: migrate}", "name: " + "j".repeat(64) + "}"),
                "metadata.name", "job-name label");
    }

    private static String cronJob(String name, String schedule, String extra) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: %s}
                spec:
                  schedule: "%s"
                  %s
                  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: b, image: 'pg:16'}]}}}}
                """.formatted(name, schedule, extra.isEmpty() ? "concurrencyPolicy: Forbid" : extra);
    }

    @Test
    void cronJobsParseTheirScheduleAndLeaveRoomForJobNames() {
        accepts(Yaml::api, cronJob("backup", "0 2 * * *", ""));
        accepts(Yaml::api, cronJob("backup", "@daily", "timeZone: Europe/Lisbon"));
        assertContainsAll(rejects(Yaml::api, cronJob("backup", "0 2 * *", ""), "spec.schedule", "exactly 5 fields").toString(),
                "'0 2 * * *' (02:00 daily)");
        rejects(Yaml::api, cronJob("backup", "0 25 * * *", ""), "spec.schedule", "above the maximum 23");
        rejects(Yaml::api, cronJob("backup", "0 2 * * *", "timeZone: Lisbon/Europe"), "spec.timeZone", "IANA");
        rejects(Yaml::api, cronJob("backup", "0 2 * * *", "concurrencyPolicy: forbid"), "spec.concurrencyPolicy", "Forbid");
        rejects(Yaml::api, cronJob("backup", "0 2 * * *", "successfulJobsHistoryLimit: -1"), "spec.successfulJobsHistoryLimit",
                "not negative");
        rejects(Yaml::api, cronJob("b".repeat(53), "0 2 * * *", ""), "metadata.name", "at most 52");
        accepts(Yaml::api, cronJob("b".repeat(52), "0 2 * * *", ""));
        rejects(Yaml::api, cronJob("backup", "0 2 * * *", "").replace("restartPolicy: OnFailure", "restartPolicy: Always"),
                "spec.jobTemplate.spec.template.spec.restartPolicy", "OnFailure or Never");
    }

    @Test
    void servicesHaveValidPortsForTheirType() {
        String service = "{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {%s}}";
        accepts(Yaml::api, service.formatted("selector: {app: web}, ports: [{name: http, port: 80, targetPort: http},"
                + " {name: https, port: 443, targetPort: 8443}]"));
        rejects(Yaml::api, service.formatted("ports: []"), "spec.ports", "at least one port");
        accepts(Yaml::api, service.formatted("clusterIP: None, ports: []"));
        rejects(Yaml::api, service.formatted("ports: [{port: 80}, {name: https, port: 443}]"), "spec.ports[0].name", "has a name");
        rejects(Yaml::api, service.formatted("ports: [{port: 0}]"), "spec.ports[0].port", "1 to 65535");
        rejects(Yaml::api, service.formatted("ports: [{port: 80, targetPort: 65536}]"), "spec.ports[0].targetPort", "1 to 65535");
        rejects(Yaml::api, service.formatted("ports: [{port: 80, targetPort: web_http}]"), "spec.ports[0].targetPort",
                "port name");
        rejects(Yaml::api, service.formatted("ports: [{name: a, port: 80}, {name: b, port: 80}]"), "spec.ports[1]",
                "appear once");
        rejects(Yaml::api, service.formatted("ports: [{port: 80, nodePort: 30080}]"), "spec.ports[0].nodePort",
                "NodePort and LoadBalancer");
        rejects(Yaml::api, service.formatted("type: NodePort, ports: [{port: 80, nodePort: 8080}]"), "spec.ports[0].nodePort",
                "30000-32767");
        accepts(Yaml::api, service.formatted("type: NodePort, ports: [{port: 80, nodePort: 30080}]"));
        rejects(Yaml::api, service.formatted("type: Balanced, ports: [{port: 80}]"), "spec.type", "ClusterIP");
        rejects(Yaml::api, service.formatted("type: NodePort, clusterIP: None, ports: [{port: 80}]"), "spec.clusterIP",
                "cannot be headless");
        rejects(Yaml::api, service.formatted("type: ExternalName"), "spec.externalName", "names a DNS host");
        rejects(Yaml::api, service.formatted("externalTrafficPolicy: Local, ports: [{port: 80}]"), "spec.externalTrafficPolicy",
                "only set on NodePort");
    }

    @Test
    void ingressPathsAndBackendsAreWellFormed() {
        String ingress = "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: shop}, spec: {rules: [{host: %s,"
                + " http: {paths: [{path: '%s', pathType: %s, backend: {service: {name: web, port: {%s}}}}]}}]}}";
        accepts(Yaml::api, ingress.formatted("shop.example", "/", "Prefix", "number: 80"));
        accepts(Yaml::api, ingress.formatted("'*.shop.example'", "/api/", "Exact", "name: http"));
        rejects(Yaml::api, ingress.formatted("Shop.Example", "/", "Prefix", "number: 80"), "spec.rules[0].host", "lower-case");
        rejects(Yaml::api, ingress.formatted("10.0.0.1", "/", "Prefix", "number: 80"), "spec.rules[0].host", "not an IP");
        rejects(Yaml::api, ingress.formatted("shop.example", "api", "Prefix", "number: 80"), "spec.rules[0].http.paths[0].path",
                "absolute");
        rejects(Yaml::api, ingress.formatted("shop.example", "/a//b", "Prefix", "number: 80"),
                "spec.rules[0].http.paths[0].path", "'//'");
        rejects(Yaml::api, ingress.formatted("shop.example", "/", "Regex", "number: 80"), "spec.rules[0].http.paths[0].pathType",
                "Exact, Prefix");
        rejects(Yaml::api, ingress.formatted("shop.example", "/", "Prefix", "number: 80, name: http"),
                "spec.rules[0].http.paths[0].backend.service.port", "not both");
        rejects(Yaml::api, ingress.formatted("shop.example", "/", "Prefix", ""), "spec.rules[0].http.paths[0].backend.service.port",
                "by name or number");
    }

    @Test
    void configMapsSecretsClaimsBudgetsAndAutoscalers() {
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {'my key': v}}", "data", "alphanumerics");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {replicas: 3}}", "data.replicas",
                "strings");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: x}, binaryData: {a: eA==}}",
                "data.a", "not both");
        rejects(Yaml::api, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, binaryData: {a: 'not base64!'}}",
                "binaryData.a", "base64");
        Problem secret = rejects(Yaml::api, "{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {password: hunter2}}",
                "data.password", "base64");
        assertTrue(!secret.toString().contains("hunter2"), "a Secret's value is never quoted: " + secret);
        rejects(Yaml::api, "{apiVersion: v1, kind: Secret, metadata: {name: s}, type: kubernetes.io/tls, stringData: {tls.crt: x}}",
                "data.tls.key", "tls.key");
        String claim = "{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: d}, spec: {%s}}";
        accepts(Yaml::api, claim.formatted("accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}"));
        rejects(Yaml::api, claim.formatted("resources: {requests: {storage: 1Gi}}"), "spec.accessModes", "at least one access mode");
        rejects(Yaml::api, claim.formatted("accessModes: [ReadWriteEverywhere], resources: {requests: {storage: 1Gi}}"),
                "spec.accessModes", "access mode is one of");
        rejects(Yaml::api, claim.formatted("accessModes: [ReadWriteOncePod, ReadOnlyMany], resources: {requests: {storage: 1Gi}}"),
                "spec.accessModes", "cannot be combined");
        rejects(Yaml::api, claim.formatted("accessModes: [ReadWriteOnce], resources: {requests: {storage: 0}}"),
                "spec.resources.requests.storage", "positive");
        String budget = "{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: b}, spec: {%s}}";
        accepts(Yaml::api, budget.formatted("minAvailable: 50%, selector: {matchLabels: {app: web}}"));
        rejects(Yaml::api, budget.formatted("minAvailable: 1, maxUnavailable: 1"), "spec", "not both");
        rejects(Yaml::api, budget.formatted("maxUnavailable: 150%"), "spec.maxUnavailable", "at most 100%");
        String hpa = "{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: h}, spec: {scaleTargetRef:"
                + " {apiVersion: apps/v1, kind: Deployment, name: web}, %s}}";
        accepts(Yaml::api, hpa.formatted("minReplicas: 2, maxReplicas: 6, metrics: [{type: Resource, resource: {name: cpu, target:"
                + " {type: Utilization, averageUtilization: 70}}}]"));
        rejects(Yaml::api, hpa.formatted("minReplicas: 4, maxReplicas: 2"), "spec.maxReplicas", "at least minReplicas");
        rejects(Yaml::api, hpa.formatted("minReplicas: 0, maxReplicas: 2"), "spec.minReplicas", "at least 1");
        rejects(Yaml::api, hpa.formatted("maxReplicas: 2, metrics: [{type: Resource, resource: {name: cpu, target: {type:"
                + " Utilization, averageUtilization: 0}}}]"), "spec.metrics[0].resource.target.averageUtilization", "greater than 0");
        rejects(Yaml::api, hpa.formatted("maxReplicas: 2, behavior: {scaleDown: {policies: [{type: Pods, value: 1,"
                + " periodSeconds: 3600}]}}"), "spec.behavior.scaleDown.policies[0].periodSeconds", "1 to 1800");
        rejects(Yaml::api, hpa.replace("apiVersion: apps/v1, ", "").formatted("maxReplicas: 2"), "spec.scaleTargetRef.apiVersion",
                "API group");
    }

    @Test
    void rbacObjectsAreWellFormed() {
        String role = "{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r}, rules: [%s]}";
        accepts(Yaml::api, role.formatted("{apiGroups: [''], resources: [configmaps], verbs: [get]}"));
        rejects(Yaml::api, role.formatted("{apiGroups: [''], resources: [configmaps], verbs: []}"), "rules[0].verbs",
                "at least one verb");
        rejects(Yaml::api, role.formatted("{apiGroups: [''], verbs: [get]}"), "rules[0].resources", "at least one resource");
        rejects(Yaml::api, role.formatted("{resources: [pods], verbs: [get]}"), "rules[0].apiGroups", "at least one API group");
        rejects(Yaml::api, role.formatted("{nonResourceURLs: [/metrics], verbs: [get]}"), "rules[0].nonResourceURLs",
                "cannot grant non-resource URLs");
        String binding = "{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: b}, roleRef: {apiGroup:"
                + " rbac.authorization.k8s.io, kind: %s, name: r}, subjects: [{kind: %s, name: app}]}";
        accepts(Yaml::api, binding.formatted("Role", "ServiceAccount"));
        rejects(Yaml::api, binding.formatted("Deployment", "ServiceAccount"), "roleRef.kind", "Role or ClusterRole");
        rejects(Yaml::api, binding.formatted("Role", "Robot"), "subjects[0].kind", "ServiceAccount, User or Group");
        rejects(Yaml::api, binding.formatted("Role", "ServiceAccount").replace("RoleBinding", "ClusterRoleBinding")
                .replace("kind: Role,", "kind: ClusterRole,"), "subjects[0].namespace", "namespace");
    }

    @Test
    void networkPoliciesAndAddresses() {
        String policy = "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: db}, spec: {podSelector:"
                + " {matchLabels: {app: db}}, policyTypes: [Ingress], ingress: [{from: [%s], ports: [%s]}]}}";
        accepts(Yaml::api, policy.formatted("{podSelector: {matchLabels: {app: api}}, namespaceSelector: {}}",
                "{port: 5432}, {port: 8000, endPort: 8100}, {port: metrics, protocol: TCP}"));
        accepts(Yaml::api, policy.formatted("{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}", "{port: 5432}"));
        rejects(Yaml::api, policy.formatted("{}", "{port: 5432}"), "spec.ingress[0].from[0]", "names a podSelector");
        rejects(Yaml::api, policy.formatted("{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}", "{port: 5432}"),
                "spec.ingress[0].from[0]", "names nothing else");
        rejects(Yaml::api, policy.formatted("{ipBlock: {cidr: 10.0.0.0/33}}", "{port: 5432}"),
                "spec.ingress[0].from[0].ipBlock.cidr", "CIDR");
        rejects(Yaml::api, policy.formatted("{podSelector: {}}", "{port: 8100, endPort: 8000}"),
                "spec.ingress[0].ports[0].endPort", "at least port");
        rejects(Yaml::api, policy.formatted("{podSelector: {}}", "{port: http, endPort: 8000}"),
                "spec.ingress[0].ports[0].endPort", "numeric port");
        rejects(Yaml::api, policy.formatted("{podSelector: {}}", "{port: 5432}").replace("[Ingress]", "[Inbound]"),
                "spec.policyTypes", "Ingress or Egress");
        String service = "{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}], %s}}";
        accepts(Yaml::api, service.formatted("clusterIP: 10.43.0.10, externalIPs: ['192.168.1.10', 'fd00::1']"));
        rejects(Yaml::api, service.formatted("clusterIP: 10.43.0.300"), "spec.clusterIP", "IP address");
        rejects(Yaml::api, service.formatted("externalIPs: [example.com]"), "spec.externalIPs", "IP address");
        rejects(Yaml::api, pod("hostAliases: [{ip: db.local, hostnames: [db]}]"), "spec.template.spec.hostAliases[0].ip",
                "IP address");
        rejects(Yaml::api, pod("dnsConfig: {nameservers: [dns.local]}"), "spec.template.spec.dnsConfig.nameservers",
                "IP address");
        rejects(Yaml::api, "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i, annotations:"
                + " {kubernetes.io/ingress.class: nginx}}, spec: {ingressClassName: traefik, defaultBackend: {service: {name: web,"
                + " port: {number: 80}}}}}", "metadata.annotations.kubernetes.io/ingress.class", "matches spec.ingressClassName");
    }

    @Test
    void addressesParseAsTheServerParsesThem() {
        for (String ip : List.of("10.0.0.1", "010.000.000.001", "::1", "fd00::", "2001:db8::8a2e:370:7334",
                "1:2:3:4:5:6:7:8", "::ffff:192.168.0.1", "::")) {
            assertTrue(IpAddresses.isIp(ip), ip);
        }
        for (String ip : List.of("256.0.0.1", "10.0.0", "10.0.0.1.2", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "g::1",
                "12345::", "example.com", "")) {
            assertTrue(!IpAddresses.isIp(ip), ip);
        }
        assertTrue(IpAddresses.isCidr("10.0.0.0/8") && IpAddresses.isCidr("fd00::/64") && !IpAddresses.isCidr("10.0.0.0")
                && !IpAddresses.isCidr("10.0.0.0/33") && !IpAddresses.isCidr("fd00::/129"));
    }
}
