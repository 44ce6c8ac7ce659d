// apicheck runs the Kubernetes 1.34 API server's own create path on test objects: decoding with
// defaults (the legacy scheme), then the resource's registry strategy (PrepareForCreate and
// Validate, through rest.BeforeCreate), exactly the code a real kube-apiserver runs before
// admission and storage. It reads one JSON line per case on stdin ({"yaml": ..., "expected": ...},
// as ApiServerRulesTest records them) and writes each case back with the verdict of every YAML
// document: "accept", "reject: <errors>" or "decode: <error>" (the server refuses those too).
//
// A case with "mode": "psa" is judged instead by the pod-security-admission library (policy
// version 1.34, at the case's "level"): its verdict lists the checks the pods fail, each under
// the name the offline rules and the exception annotation use.
//
// ApiServerValidationIT builds and runs it to compare the offline rules with the server's.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	"k8s.io/kubernetes/pkg/apis/apps"
	"k8s.io/kubernetes/pkg/apis/autoscaling"
	"k8s.io/kubernetes/pkg/apis/batch"
	api "k8s.io/kubernetes/pkg/apis/core"
	"k8s.io/kubernetes/pkg/apis/networking"
	"k8s.io/kubernetes/pkg/apis/policy"
	"k8s.io/kubernetes/pkg/apis/rbac"
	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/replicaset"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	"k8s.io/kubernetes/pkg/registry/core/pod"
	"k8s.io/kubernetes/pkg/registry/core/podtemplate"
	"k8s.io/kubernetes/pkg/registry/core/replicationcontroller"
	"k8s.io/kubernetes/pkg/registry/core/secret"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/networking/ingress"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
	"k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrole"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrolebinding"
	"k8s.io/kubernetes/pkg/registry/rbac/role"
	"k8s.io/kubernetes/pkg/registry/rbac/rolebinding"
	psaadmission "k8s.io/pod-security-admission/admission"
	psaapi "k8s.io/pod-security-admission/api"
	psapolicy "k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

// The offline rules name a check once where upstream has a baseline and a restricted variant.
var checkNames = map[string]string{
	"capabilities_baseline": "capabilities", "capabilities_restricted": "capabilities",
	"seccompProfile_baseline": "seccompProfile", "seccompProfile_restricted": "seccompProfile",
	"procMount_restricted": "procMount",
}

// podSecurity lists the checks the pods of doc fail at level, as pod-security-admission 1.34
// evaluates them: each check on its own, baseline checks a restricted check overrides left out.
func podSecurity(doc []byte, level string) string {
	jsonDoc, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return "decode: " + err.Error()
	}
	obj, _, err := legacyscheme.Codecs.UniversalDecoder(corev1.SchemeGroupVersion, appsv1.SchemeGroupVersion,
		batchv1.SchemeGroupVersion).Decode(jsonDoc, nil, nil)
	if err != nil {
		return "decode: " + err.Error()
	}
	podMeta, podSpec, err := psaadmission.DefaultPodSpecExtractor{}.ExtractPodSpec(obj)
	if err != nil || podSpec == nil {
		return "no pod spec"
	}
	version := psaapi.MajorMinorVersion(1, 34)
	lv := psaapi.LevelVersion{Level: psaapi.Level(level), Version: version}
	applicable := func(c psapolicy.Check) *psapolicy.VersionedCheck {
		var found *psapolicy.VersionedCheck
		for i := range c.Versions {
			if !version.Older(c.Versions[i].MinimumVersion) {
				found = &c.Versions[i]
			}
		}
		return found
	}
	overridden := map[psapolicy.CheckID]bool{}
	if lv.Level == psaapi.LevelRestricted {
		for _, c := range psapolicy.DefaultChecks() {
			if v := applicable(c); v != nil && c.Level == psaapi.LevelRestricted {
				for _, id := range v.OverrideCheckIDs {
					overridden[id] = true
				}
			}
		}
	}
	failed := map[string]bool{}
	for _, c := range psapolicy.DefaultChecks() {
		if applicable(c) == nil || overridden[c.ID] || (c.Level == psaapi.LevelRestricted && lv.Level != psaapi.LevelRestricted) {
			continue
		}
		evaluator, err := psapolicy.NewEvaluator([]psapolicy.Check{c})
		if err != nil {
			panic(err)
		}
		for _, result := range evaluator.EvaluatePod(lv, podMeta, podSpec) {
			if !result.Allowed {
				name := string(c.ID)
				if n, ok := checkNames[name]; ok {
					name = n
				}
				failed[name] = true
			}
		}
	}
	var names []string
	for n := range failed {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func strategy(obj runtime.Object) rest.RESTCreateStrategy {
	switch obj.(type) {
	case *apps.Deployment:
		return deployment.Strategy
	case *apps.StatefulSet:
		return statefulset.Strategy
	case *apps.DaemonSet:
		return daemonset.Strategy
	case *apps.ReplicaSet:
		return replicaset.Strategy
	case *batch.Job:
		return job.Strategy
	case *batch.CronJob:
		return cronjob.Strategy
	case *api.Pod:
		return pod.Strategy
	case *api.PodTemplate:
		return podtemplate.Strategy
	case *api.ReplicationController:
		return replicationcontroller.Strategy
	case *api.Service:
		return service.Strategy
	case *api.ConfigMap:
		return configmap.Strategy
	case *api.Secret:
		return secret.Strategy
	case *api.PersistentVolumeClaim:
		return persistentvolumeclaim.Strategy
	case *api.Namespace:
		return namespace.Strategy
	case *api.ServiceAccount:
		return serviceaccount.Strategy
	case *networking.Ingress:
		return ingress.Strategy
	case *networking.NetworkPolicy:
		return networkpolicy.Strategy
	case *policy.PodDisruptionBudget:
		return poddisruptionbudget.Strategy
	case *autoscaling.HorizontalPodAutoscaler:
		return horizontalpodautoscaler.Strategy
	case *rbac.Role:
		return role.Strategy
	case *rbac.RoleBinding:
		return rolebinding.Strategy
	case *rbac.ClusterRole:
		return clusterrole.Strategy
	case *rbac.ClusterRoleBinding:
		return clusterrolebinding.Strategy
	}
	return nil
}

func check(doc []byte) string {
	jsonDoc, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return "decode: " + err.Error()
	}
	obj, _, err := legacyscheme.Codecs.UniversalDecoder().Decode(jsonDoc, nil, nil)
	if err != nil {
		return "decode: " + err.Error()
	}
	s := strategy(obj)
	if s == nil {
		return "unknown kind"
	}
	ns := "default"
	if m, err := meta.Accessor(obj); err == nil && m.GetNamespace() != "" {
		ns = m.GetNamespace()
	}
	if !s.NamespaceScoped() {
		ns = "" // as the request of a cluster-scoped object carries it
	}
	ctx := genericapirequest.WithNamespace(context.Background(), ns)
	if m, err := meta.Accessor(obj); err == nil {
		rest.FillObjectMetaSystemFields(m)
		if m.GetName() == "" && m.GetGenerateName() != "" {
			m.SetName(m.GetGenerateName() + "x7k2q") // as the handler's name generator
		}
	}
	// As the Service REST does before validating: allocate a cluster IP, mirror it in clusterIPs.
	if svc, ok := obj.(*api.Service); ok && svc.Spec.Type != api.ServiceTypeExternalName {
		if svc.Spec.ClusterIP == "" {
			svc.Spec.ClusterIP = "10.96.0.10"
		}
		if len(svc.Spec.ClusterIPs) == 0 {
			svc.Spec.ClusterIPs = []string{svc.Spec.ClusterIP}
		}
	}
	if err := rest.BeforeCreate(s, ctx, obj); err != nil {
		return "reject: " + err.Error()
	}
	return "accept"
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 8<<20)
	for in.Scan() {
		var c map[string]string
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		var verdicts []string
		for _, doc := range strings.Split(c["yaml"], "\n---\n") {
			if c["mode"] == "psa" {
				verdicts = append(verdicts, podSecurity([]byte(doc), c["level"]))
			} else {
				verdicts = append(verdicts, check([]byte(doc)))
			}
		}
		out, _ := json.Marshal(map[string]any{"test": c["test"], "expected": c["expected"], "field": c["field"],
			"mode": c["mode"], "level": c["level"], "verdicts": verdicts, "yaml": c["yaml"]})
		fmt.Println(string(out))
	}
}
