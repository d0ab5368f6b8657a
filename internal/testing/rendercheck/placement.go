package rendercheck

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// NodeGroup is what scheduling sees of one node group: its node labels
// and taints (Kubernetes spelling of the effect).
type NodeGroup struct {
	Name   string
	Labels map[string]string
	Taints []corev1.Taint
}

// wellKnownLabels are set on every EKS node by the kubelet or EKS itself,
// besides the labels a node group declares.
var wellKnownLabels = []string{
	"kubernetes.io/os", "kubernetes.io/arch", "kubernetes.io/hostname",
	"topology.kubernetes.io/zone", "topology.kubernetes.io/region",
	"node.kubernetes.io/instance-type", "eks.amazonaws.com/nodegroup",
	"eks.amazonaws.com/capacityType", "eks.amazonaws.com/nodegroup-image",
}

// Dormant are node labels no node group declares that a chart's
// DaemonSet selects on purpose: it stays empty until a component labels a
// node. Each has its reason.
var Dormant = map[string]string{
	"nvidia.com/mps.capable": "nvidia-device-plugin's MPS control daemon runs only on nodes its GPU feature discovery labels for MPS sharing, which the platform does not configure; the DaemonSet stays empty by design",
}

// wellKnownTaints are the taints Kubernetes itself puts on nodes (not
// ready, unreachable, pressure, shutting down) or EKS on nodes with
// critical add-ons only; tolerating them is ordinary.
var wellKnownTaints = []string{"node.kubernetes.io/", "node.cloudprovider.kubernetes.io/", "CriticalAddonsOnly", "node-role.kubernetes.io/"}

// CheckPlacement reports a pod template whose nodeSelector no node group
// satisfies, or whose tolerations name a taint no node group has.
func CheckPlacement(owner string, spec corev1.PodSpec, groups []NodeGroup) []string {
	var out []string
	if len(spec.NodeSelector) > 0 {
		var fits []string
		for _, g := range groups {
			if selects(spec.NodeSelector, g.Labels) {
				fits = append(fits, g.Name)
			}
		}
		if len(fits) == 0 && !dormant(spec.NodeSelector) {
			out = append(out, fmt.Sprintf("%s: nodeSelector %v matches no node group", owner, spec.NodeSelector))
		}
	}
	for _, tol := range spec.Tolerations {
		if tol.Key == "" || known(tol.Key, wellKnownTaints) {
			continue
		}
		found := false
		for _, g := range groups {
			for _, taint := range g.Taints {
				if tolerates(tol, taint) {
					found = true
				}
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("%s: tolerates %s=%s:%s, a taint no node group has", owner, tol.Key, tol.Value, tol.Effect))
		}
	}
	sort.Strings(out)
	return out
}

// selects reports whether every selector pair is a label of the group or
// a well-known label (whose value the group's nodes may carry).
func selects(sel, labels map[string]string) bool {
	for k, v := range sel {
		if known(k, wellKnownLabels) {
			if k == "kubernetes.io/os" && v != "linux" {
				return false
			}
			continue
		}
		if labels[k] != v {
			return false
		}
	}
	return true
}

func known(key string, list []string) bool {
	for _, p := range list {
		if key == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(key, p)) {
			return true
		}
	}
	return false
}

// tolerates is the toleration rule: same key, any effect if none is
// given, and Exists or an equal value.
func tolerates(tol corev1.Toleration, taint corev1.Taint) bool {
	if tol.Key != taint.Key || (tol.Effect != "" && tol.Effect != taint.Effect) {
		return false
	}
	return tol.Operator == corev1.TolerationOpExists || tol.Value == taint.Value
}

func dormant(sel map[string]string) bool {
	for k := range sel {
		if _, ok := Dormant[k]; ok {
			return true
		}
	}
	return false
}
