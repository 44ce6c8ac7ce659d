// netpol-eval answers whether NetworkPolicies allow given connections, using cyclonus'
// policy engine (github.com/mattfenwick/cyclonus/pkg/matcher), which this project does not write.
//
// Input (stdin, JSON): {"policies": [NetworkPolicy...], "namespaces": {name: labels},
// "peers": {id: {"namespace": ns, "labels": {...}, "ports": {name: number}, "ip": pod IP} or {"ip": "a.b.c.d"}},
// "queries": [{"from": id, "to": id, "port": n, "protocol": "TCP"}]}
// Output (stdout, JSON): one {"from","to","port","protocol","ingress","egress","allowed"} per query.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	v1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

type peer struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
	Ports     map[string]int    `json:"ports"`
	IP        string            `json:"ip"`
}

type query struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
}

type input struct {
	Policies   []*networkingv1.NetworkPolicy `json:"policies"`
	Namespaces map[string]map[string]string  `json:"namespaces"`
	Peers      map[string]peer               `json:"peers"`
	Queries    []query                       `json:"queries"`
}

type answer struct {
	query
	Ingress bool `json:"ingress"`
	Egress  bool `json:"egress"`
	Allowed bool `json:"allowed"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("reading the input: %v", err)
	}
	policy := matcher.BuildNetworkPolicies(false, in.Policies)
	trafficPeer := func(id string) *matcher.TrafficPeer {
		p, ok := in.Peers[id]
		if !ok {
			fail("query names peer %q, which is not declared", id)
		}
		if p.Namespace == "" {
			return &matcher.TrafficPeer{IP: p.IP}
		}
		ns, ok := in.Namespaces[p.Namespace]
		if !ok {
			fail("peer %q is in namespace %q, which is not declared", id, p.Namespace)
		}
		return &matcher.TrafficPeer{IP: p.IP, Internal: &matcher.InternalPeer{PodLabels: p.Labels, NamespaceLabels: ns, Namespace: p.Namespace}}
	}
	out := []answer{}
	for _, q := range in.Queries {
		portName := ""
		for name, number := range in.Peers[q.To].Ports {
			if number == q.Port {
				portName = name
			}
		}
		result := policy.IsTrafficAllowed(&matcher.Traffic{
			Source:           trafficPeer(q.From),
			Destination:      trafficPeer(q.To),
			ResolvedPort:     q.Port,
			ResolvedPortName: portName,
			Protocol:         v1.Protocol(q.Protocol),
		})
		out = append(out, answer{q, result.Ingress == nil || result.Ingress.IsAllowed(),
			result.Egress == nil || result.Egress.IsAllowed(), result.IsAllowed()})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail("writing the answer: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "netpol-eval: "+format+"\n", args...)
	os.Exit(2)
}
