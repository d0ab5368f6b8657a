// Package netpath evaluates Kubernetes NetworkPolicies the way the API
// defines them, without a network plugin: a pod is isolated for ingress
// (egress) when some policy of its namespace selects it with that policy
// type, and then admits (sends) only what some such policy's rule allows;
// a connection between two pods needs the sender's egress and the
// receiver's ingress. Endpoints outside the cluster's pods (the API
// server, RDS, the ALBs) are addresses, which only ipBlock peers match.
package netpath

import (
	"fmt"
	"net/netip"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// Endpoint is one side of a connection: a pod (Namespace set, with its
// labels) or an address outside the pod network. Every endpoint has an
// address: with the VPC CNI pods take addresses of the VPC, which ipBlock
// peers match like any other.
type Endpoint struct {
	Name      string
	Namespace string
	Labels    map[string]string
	IP        netip.Addr
}

// Pod reports whether the endpoint is a pod, which policies can select.
func (e Endpoint) Pod() bool { return e.Namespace != "" }

// Policies are the NetworkPolicies of a cluster and the labels of its
// namespaces (kubernetes.io/metadata.name at least).
type Policies struct {
	List            []networkingv1.NetworkPolicy
	NamespaceLabels map[string]map[string]string
}

// FromObjects reads the NetworkPolicies among objs; every Namespace among
// them, and the extra namespace names, get their labels.
func FromObjects(objs []*unstructured.Unstructured, extra ...string) (Policies, error) {
	p := Policies{NamespaceLabels: map[string]map[string]string{}}
	for _, ns := range extra {
		p.NamespaceLabels[ns] = map[string]string{"kubernetes.io/metadata.name": ns}
	}
	for _, o := range objs {
		switch o.GetKind() {
		case "Namespace":
			l := map[string]string{"kubernetes.io/metadata.name": o.GetName()}
			for k, v := range o.GetLabels() {
				l[k] = v
			}
			p.NamespaceLabels[o.GetName()] = l
		case "NetworkPolicy":
			var np networkingv1.NetworkPolicy
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &np); err != nil {
				return p, fmt.Errorf("NetworkPolicy %s/%s: %w", o.GetNamespace(), o.GetName(), err)
			}
			p.List = append(p.List, np)
		}
	}
	return p, nil
}

// Allowed reports whether from may open a connection to to on port/proto,
// and which policies decided it ("" when neither side is isolated).
func (p Policies) Allowed(from, to Endpoint, proto string, port int) (bool, string, error) {
	out, outBy, err := p.side(from, to, proto, port, networkingv1.PolicyTypeEgress)
	if err != nil || !out {
		return false, outBy, err
	}
	in, inBy, err := p.side(to, from, proto, port, networkingv1.PolicyTypeIngress)
	if err != nil || !in {
		return false, inBy, err
	}
	return true, join(outBy, inBy), nil
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " + " + b
}

// side judges one direction at self: egress toward peer, or ingress from
// peer. An endpoint that is no pod, or a pod no policy isolates in that
// direction, allows everything.
func (p Policies) side(self, peer Endpoint, proto string, port int, dir networkingv1.PolicyType) (bool, string, error) {
	if !self.Pod() {
		return true, "", nil
	}
	isolated := false
	for _, np := range p.List {
		if np.Namespace != self.Namespace || !hasType(np, dir) {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
		if err != nil {
			return false, "", fmt.Errorf("%s/%s: %w", np.Namespace, np.Name, err)
		}
		if !sel.Matches(labels.Set(self.Labels)) {
			continue
		}
		isolated = true
		ok, err := p.admits(np, self, peer, proto, port, dir)
		if err != nil {
			return false, "", err
		}
		if ok {
			return true, np.Namespace + "/" + np.Name, nil
		}
	}
	if isolated {
		return false, "denied at " + self.Name + " (" + string(dir) + ")", nil
	}
	return true, "", nil
}

// hasType: policyTypes, or (when empty) Ingress always and Egress when
// the policy has egress rules, as the API defaults them.
func hasType(np networkingv1.NetworkPolicy, dir networkingv1.PolicyType) bool {
	if len(np.Spec.PolicyTypes) == 0 {
		return dir == networkingv1.PolicyTypeIngress || len(np.Spec.Egress) > 0
	}
	for _, t := range np.Spec.PolicyTypes {
		if t == dir {
			return true
		}
	}
	return false
}

// admits reports whether some rule of np in direction dir matches peer
// and the port.
func (p Policies) admits(np networkingv1.NetworkPolicy, self, peer Endpoint, proto string, port int, dir networkingv1.PolicyType) (bool, error) {
	type rule struct {
		peers []networkingv1.NetworkPolicyPeer
		ports []networkingv1.NetworkPolicyPort
	}
	var rules []rule
	if dir == networkingv1.PolicyTypeIngress {
		for _, r := range np.Spec.Ingress {
			rules = append(rules, rule{r.From, r.Ports})
		}
	} else {
		for _, r := range np.Spec.Egress {
			rules = append(rules, rule{r.To, r.Ports})
		}
	}
	for _, r := range rules {
		if !portMatches(r.ports, proto, port) {
			continue
		}
		if len(r.peers) == 0 {
			return true, nil
		}
		for _, pe := range r.peers {
			ok, err := p.peerMatches(pe, np.Namespace, peer)
			if err != nil {
				return false, fmt.Errorf("%s/%s: %w", np.Namespace, np.Name, err)
			}
			if ok {
				return true, nil
			}
		}
	}
	return false, nil
}

func portMatches(ports []networkingv1.NetworkPolicyPort, proto string, port int) bool {
	if len(ports) == 0 {
		return true
	}
	for _, pp := range ports {
		pr := "TCP"
		if pp.Protocol != nil {
			pr = string(*pp.Protocol)
		}
		if pr != proto {
			continue
		}
		if pp.Port == nil {
			return true
		}
		lo := pp.Port.IntValue()
		hi := lo
		if pp.EndPort != nil {
			hi = int(*pp.EndPort)
		}
		if port >= lo && port <= hi {
			return true
		}
	}
	return false
}

// peerMatches: an ipBlock matches the peer's address (outside its
// excepts); selectors match pods only: podSelector alone within the
// policy's namespace, namespaceSelector alone every pod of the selected
// namespaces, both together the selected pods of those namespaces.
func (p Policies) peerMatches(pe networkingv1.NetworkPolicyPeer, policyNS string, peer Endpoint) (bool, error) {
	if pe.IPBlock != nil {
		block, err := netip.ParsePrefix(pe.IPBlock.CIDR)
		if err != nil {
			return false, fmt.Errorf("ipBlock %q: %w", pe.IPBlock.CIDR, err)
		}
		if !block.Contains(peer.IP) {
			return false, nil
		}
		for _, ex := range pe.IPBlock.Except {
			e, err := netip.ParsePrefix(ex)
			if err != nil {
				return false, fmt.Errorf("ipBlock except %q: %w", ex, err)
			}
			if e.Contains(peer.IP) {
				return false, nil
			}
		}
		return true, nil
	}
	if !peer.Pod() {
		return false, nil
	}
	if pe.NamespaceSelector == nil {
		if peer.Namespace != policyNS {
			return false, nil
		}
	} else {
		sel, err := metav1.LabelSelectorAsSelector(pe.NamespaceSelector)
		if err != nil {
			return false, err
		}
		nsLabels, ok := p.NamespaceLabels[peer.Namespace]
		if !ok {
			// A namespace the platform does not declare (a user's) has
			// the label the API server sets on every namespace.
			nsLabels = map[string]string{"kubernetes.io/metadata.name": peer.Namespace}
		}
		if !sel.Matches(labels.Set(nsLabels)) {
			return false, nil
		}
	}
	if pe.PodSelector == nil {
		return true, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(pe.PodSelector)
	if err != nil {
		return false, err
	}
	return sel.Matches(labels.Set(peer.Labels)), nil
}
