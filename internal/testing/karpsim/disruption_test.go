package karpsim

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// service is a Deployment of small pods that prefer the training pool
// (and may run on the general nodes), with a budget of minAvailable.
func service(t *testing.T, k *Karpenter, name string, replicas, minAvailable int32) (*appsv1.Deployment, *policyv1.PodDisruptionBudget) {
	pool, err := k.Pool("training")
	if err != nil {
		t.Fatal(err)
	}
	sel := map[string]string{"app": name}
	var prefer []corev1.NodeSelectorRequirement
	for key, v := range Labels(pool) {
		prefer = append(prefer, corev1.NodeSelectorRequirement{Key: key, Operator: corev1.NodeSelectorOpIn, Values: []string{v}})
	}
	p := workload{cpu: "500m", memory: "512Mi", tolerations: Tolerations(pool), labels: sel}.pod("")
	p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{
		{Weight: 100, Preference: corev1.NodeSelectorTerm{MatchExpressions: prefer}},
	}}}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: sel}, Spec: p.Spec}},
	}
	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(minAvailable)), Selector: &metav1.LabelSelector{MatchLabels: sel}},
	}
	return d, pdb
}

// pinnedService creates in ns a service of small pods pinned to the
// training pool, with a budget of minAvailable, and returns its selector.
func pinnedService(ctx context.Context, t *testing.T, k *Karpenter, ns, name string, replicas, minAvailable int32) map[string]string {
	t.Helper()
	pool, err := k.Pool("training")
	if err != nil {
		t.Fatal(err)
	}
	d, pdb := service(t, k, name, replicas, minAvailable)
	d.Spec.Template.Spec.Affinity = nil
	d.Spec.Template.Spec.NodeSelector = Labels(pool)
	if _, err := k.Client.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, pdb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return d.Spec.Selector.MatchLabels
}

// readyOn counts the ready pods matching sel, per node.
func readyOn(ctx context.Context, k *Karpenter, ns string, sel map[string]string) (map[string]int, int, error) {
	l, err := k.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: labels.FormatLabels(sel)})
	if err != nil {
		return nil, 0, err
	}
	out, total := map[string]int{}, 0
	for i := range l.Items {
		if simcluster.PodReady(&l.Items[i]) {
			out[l.Items[i].Spec.NodeName]++
			total++
		}
	}
	return out, total, nil
}

// TestPoolReturnsToZeroHonouringTheBudget: when a training job is gone,
// Karpenter removes its empty node but keeps the node whose pod a
// PodDisruptionBudget protects (reporting the budget), and when that work
// is gone too the pool returns to zero nodes.
func TestPoolReturnsToZeroHonouringTheBudget(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "consolidate")
	ctx := testContext(t, 6*time.Minute)
	runJob(ctx, t, k, ns, "job", 4, 4)
	sel := pinnedService(ctx, t, k, ns, "ps", 1, 1)
	var held string
	err := eventually(ctx, k, "the service pod on a training node", func(ctx context.Context) (bool, error) {
		on, total, err := readyOn(ctx, k, ns, sel)
		for node := range on {
			held = node
		}
		return err == nil && total == 1, err
	})
	if err != nil {
		t.Fatal(err)
	}
	gone := time.Now()
	for _, job := range []string{"job-0", "job-1", "job-2", "job-3"} {
		if err := k.Client.CoreV1().Pods(ns).Delete(ctx, job, metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	err = eventually(ctx, k, "the pool to shrink to the node the budget holds", func(ctx context.Context) (bool, error) {
		nodes, err := k.Nodes(ctx, "training")
		return err == nil && len(nodes) == 1 && nodes[0].Name == held, err
	})
	if err != nil {
		t.Fatal(err)
	}
	shrunk := time.Since(gone)
	var blocked string
	err = eventually(ctx, k, "Karpenter to report the budget that holds the node", func(ctx context.Context) (bool, error) {
		for _, e := range nodeEvents(ctx, k, held) {
			if strings.Contains(e, "PodDisruptionBudget") {
				blocked = e
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("job gone: the training pool shrank to %s in %s; %s", held, round(shrunk), blocked)
	time.Sleep(3 * 5 * time.Second) // three consolidateAfter periods
	if on, total, err := readyOn(ctx, k, ns, sel); err != nil || total != 1 || on[held] != 1 {
		t.Fatalf("while its budget allowed no disruption, the service pod moved: %v (%v)", on, err)
	}
	last := time.Now()
	if err := k.Client.AppsV1().Deployments(ns).Delete(ctx, "ps", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := waitPoolEmpty(ctx, k, "training"); err != nil {
		t.Fatal(err)
	}
	t.Logf("pool training returned to zero nodes and NodeClaims %s after the last pod went (%s after the job ended)", round(time.Since(last)), round(time.Since(gone)))
}

// nodeEvents are the events of a node and of its NodeClaim.
func nodeEvents(ctx context.Context, k *Karpenter, node string) []string {
	var out []string
	evs, err := k.Client.CoreV1().Events("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	for _, e := range evs.Items {
		if e.InvolvedObject.Name == node || (e.InvolvedObject.Kind == "NodeClaim" && strings.Contains(node, e.InvolvedObject.Name)) {
			out = append(out, e.Reason+": "+e.Message)
		}
	}
	return out
}
