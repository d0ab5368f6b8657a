// Package rotate replaces a managed node group's nodes: a pre-check that
// names every pod whose eviction a PodDisruptionBudget would refuse, then
// an EKS node group version update (a new AMI release or launch template
// version) watched to the end, resumed when one is already running.
package rotate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/dynamic"

	"github.com/mlops-platform/mlops-platform/internal/kubeclient"
)

// NodegroupLabel is the label EKS puts on a managed node group's nodes.
const NodegroupLabel = "eks.amazonaws.com/nodegroup"

// NodePoolLabel is the label Karpenter puts on a NodePool's nodes.
const NodePoolLabel = "karpenter.sh/nodepool"

// Blocked is a pod on the group's nodes that a PDB keeps from eviction.
type Blocked struct {
	Namespace, Pod, Node, PDB string
	// Allowed is the disruptions the PDB allows now (0).
	Allowed int
}

// BlockedError names every blocked pod with its PDB.
type BlockedError struct {
	// Nodegroup is the node group's or the NodePool's name.
	Nodegroup string
	// Pool says Nodegroup names a Karpenter NodePool.
	Pool bool
	Pods []Blocked
}

func (e *BlockedError) Error() string {
	lines := make([]string, 0, len(e.Pods))
	for _, b := range e.Pods {
		lines = append(lines, fmt.Sprintf("  %s/%s on %s: PodDisruptionBudget %s allows %d disruptions", b.Namespace, b.Pod, b.Node, b.PDB, b.Allowed))
	}
	what := "node group"
	if e.Pool {
		what = "NodePool"
	}
	return fmt.Sprintf("rotating %s %s would block on %d pod(s):\n%s", what, e.Nodegroup, len(e.Pods), strings.Join(lines, "\n"))
}

// CheckPDBs returns a *BlockedError naming each pod on the node group's
// nodes whose eviction a PDB would refuse. Allowed disruptions are
// computed from each PDB's spec and the readiness of the pods it selects,
// as the disruption controller computes them, so a stale status does not
// hide a block.
func CheckPDBs(ctx context.Context, kube dynamic.Interface, nodegroup string) error {
	return checkPDBs(ctx, kube, &BlockedError{Nodegroup: nodegroup}, NodegroupLabel)
}

// CheckPoolPDBs is CheckPDBs for the nodes of a Karpenter NodePool.
func CheckPoolPDBs(ctx context.Context, kube dynamic.Interface, pool string) error {
	return checkPDBs(ctx, kube, &BlockedError{Nodegroup: pool, Pool: true}, NodePoolLabel)
}

// checkPDBs returns blocked, with its pods, when a PDB keeps a pod on the
// nodes labelled label=blocked.Nodegroup from eviction.
func checkPDBs(ctx context.Context, kube dynamic.Interface, blocked *BlockedError, label string) error {
	nodegroup := blocked.Nodegroup
	nodes, err := kubeclient.List[corev1.NodeList](ctx, kube, kubeclient.Nodes, "", metav1.ListOptions{LabelSelector: label + "=" + nodegroup})
	if err != nil {
		return fmt.Errorf("listing the nodes of %s: %w", nodegroup, err)
	}
	onGroup := map[string]bool{}
	for _, n := range nodes.Items {
		onGroup[n.Name] = true
	}
	if len(onGroup) == 0 {
		return nil
	}
	pdbs, err := kubeclient.List[policyv1.PodDisruptionBudgetList](ctx, kube, kubeclient.PodDisruptionBudgets, "", metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing PodDisruptionBudgets: %w", err)
	}
	pods, err := kubeclient.List[corev1.PodList](ctx, kube, kubeclient.Pods, "", metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing pods: %w", err)
	}
	for i := range pdbs.Items {
		pdb := &pdbs.Items[i]
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || sel.Empty() {
			continue
		}
		var selected []corev1.Pod
		for _, p := range pods.Items {
			if p.Namespace == pdb.Namespace && sel.Matches(labels.Set(p.Labels)) && p.DeletionTimestamp == nil {
				selected = append(selected, p)
			}
		}
		allowed := allowedDisruptions(pdb, selected)
		if allowed > 0 {
			continue
		}
		for _, p := range selected {
			if onGroup[p.Spec.NodeName] {
				blocked.Pods = append(blocked.Pods, Blocked{Namespace: p.Namespace, Pod: p.Name, Node: p.Spec.NodeName, PDB: pdb.Name, Allowed: allowed})
			}
		}
	}
	if len(blocked.Pods) == 0 {
		return nil
	}
	sort.Slice(blocked.Pods, func(i, j int) bool {
		return blocked.Pods[i].Namespace+"/"+blocked.Pods[i].Pod < blocked.Pods[j].Namespace+"/"+blocked.Pods[j].Pod
	})
	return blocked
}

// allowedDisruptions is the PDB's disruptionsAllowed for the pods it
// selects: healthy pods minus the pods it requires healthy.
func allowedDisruptions(pdb *policyv1.PodDisruptionBudget, pods []corev1.Pod) int {
	expected, healthy := len(pods), 0
	for _, p := range pods {
		if ready(p) {
			healthy++
		}
	}
	var desired int
	switch {
	case pdb.Spec.MinAvailable != nil:
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, expected, true)
		if err != nil {
			return 0
		}
		desired = v
	case pdb.Spec.MaxUnavailable != nil:
		v, err := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, expected, true)
		if err != nil {
			return 0
		}
		desired = expected - v
	default:
		return healthy
	}
	return max(healthy-desired, 0) // as status.disruptionsAllowed, never negative
}

func ready(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
