package karpsim

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
)

// PoolNames are the NodePools' names, sorted.
func (k *Karpenter) PoolNames() []string {
	var out []string
	for _, p := range k.Pools {
		out = append(out, p.GetName())
	}
	sort.Strings(out)
	return out
}

// Pool returns the NodePool of that name as applied.
func (k *Karpenter) Pool(name string) (apiserver.Object, error) {
	for _, p := range k.Pools {
		if p.GetName() == name {
			return p, nil
		}
	}
	return apiserver.Object{}, fmt.Errorf("no NodePool %s among %v", name, k.PoolNames())
}

// Tolerations tolerate exactly the pool's taints, as a workload meant
// for it does.
func Tolerations(pool apiserver.Object) []corev1.Toleration {
	taints, _, _ := unstructured.NestedSlice(pool.Object, "spec", "template", "spec", "taints")
	var out []corev1.Toleration
	for _, t := range taints {
		m, _ := t.(map[string]any)
		key, _ := m["key"].(string)
		value, _ := m["value"].(string)
		effect, _ := m["effect"].(string)
		tol := corev1.Toleration{Key: key, Operator: corev1.TolerationOpEqual, Value: value, Effect: corev1.TaintEffect(effect)}
		if value == "" {
			tol.Operator = corev1.TolerationOpExists
		}
		out = append(out, tol)
	}
	return out
}

// Labels are the labels the pool puts on its nodes.
func Labels(pool apiserver.Object) map[string]string {
	labels, _, _ := unstructured.NestedStringMap(pool.Object, "spec", "template", "metadata", "labels")
	return labels
}

// Requirement returns the values a pool's requirement on key allows.
func Requirement(pool apiserver.Object, key string) []string {
	reqs, _, _ := unstructured.NestedSlice(pool.Object, "spec", "template", "spec", "requirements")
	for _, r := range reqs {
		m, _ := r.(map[string]any)
		if m["key"] != key {
			continue
		}
		vals, _ := m["values"].([]any)
		out := make([]string, 0, len(vals))
		for _, v := range vals {
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	return nil
}

// Limit returns a pool's limit on a resource ("" without one).
func Limit(pool apiserver.Object, resource string) string {
	v, _, _ := unstructured.NestedFieldNoCopy(pool.Object, "spec", "limits", resource)
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// NodeClaims lists the pool's NodeClaims (every pool's with "").
func (k *Karpenter) NodeClaims(ctx context.Context, pool string) ([]unstructured.Unstructured, error) {
	sel := LabelNodePool
	if pool != "" {
		sel += "=" + pool
	}
	l, err := k.Dynamic.Resource(NodeClaimsGVR).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, fmt.Errorf("listing the NodeClaims of %s: %w", pool, err)
	}
	return l.Items, nil
}

// Nodes lists the pool's nodes.
func (k *Karpenter) Nodes(ctx context.Context, pool string) ([]corev1.Node, error) {
	l, err := k.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: LabelNodePool + "=" + pool})
	if err != nil {
		return nil, fmt.Errorf("listing the nodes of %s: %w", pool, err)
	}
	return l.Items, nil
}
