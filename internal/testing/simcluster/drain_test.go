package simcluster

import (
	"context"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
)

// web is a Deployment spread evenly over the general nodes (cordoned nodes
// excluded), with a budget that allows one pod down at a time.
func web(replicas int32) (*appsv1.Deployment, *policyv1.PodDisruptionBudget) {
	labels := map[string]string{"app": "web"}
	p := pod("", nil)
	p.Spec.NodeSelector = map[string]string{"mlops-platform/workload": "general"}
	p.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{
		MaxSkew: 1, TopologyKey: corev1.LabelHostname, WhenUnsatisfiable: corev1.DoNotSchedule,
		LabelSelector:    &metav1.LabelSelector{MatchLabels: labels},
		NodeTaintsPolicy: ptr.To(corev1.NodeInclusionPolicyHonor),
	}}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: p.Spec},
		},
	}
	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable: ptr.To(intstr.FromInt32(replicas - 1)),
			Selector:     &metav1.LabelSelector{MatchLabels: labels},
		},
	}
	return d, pdb
}

func TestDrainingAGeneralNodeRespectsTheBudget(t *testing.T) {
	c := simCluster(t)
	ns := namespace(t, c, "drain")
	ctx := testContext(t)
	const replicas = 4
	d, pdb := web(replicas)
	if _, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, pdb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	perNode := waitAvailable(ctx, t, c, ns, replicas)
	// The disruption controller has counted the pods.
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		b, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "web", metav1.GetOptions{})
		return err == nil && b.Status.CurrentHealthy == replicas && b.Status.DisruptionsAllowed == 1, nil
	})
	if err != nil {
		t.Fatalf("budget never allowed one disruption: %v", err)
	}
	var node string
	for n, count := range perNode {
		if count >= 2 {
			node = n
		}
	}
	if node == "" {
		t.Fatalf("no general node holds two web pods: %v", perNode)
	}

	// Sample the ready pods while the node drains.
	lowest := replicas
	stop := Sample(20*time.Millisecond, func() {
		if n, err := readyPods(ctx, c, ns); err == nil {
			lowest = min(lowest, n)
		}
	})
	// The node stays cordoned for the rest of this test only.
	t.Cleanup(func() { uncordon(t, c, node) })
	drain, err := c.DrainNode(ctx, node)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drained %s: evicted %v, %d evictions refused by the budget, lowest ready %d of %d", node, drain.Evicted, drain.Refused, lowest, replicas)
	if drain.Refused == 0 {
		t.Errorf("the budget refused no eviction, though two pods of one budget left %s", node)
	}
	if lowest < replicas-1 {
		t.Errorf("ready pods fell to %d, below the budget's %d", lowest, replicas-1)
	}
	after := waitAvailable(ctx, t, c, ns, replicas)
	if after[node] != 0 {
		t.Errorf("pods still on the drained node: %v", after)
	}
}

// waitAvailable waits until the Deployment is fully available and returns
// its ready pods per node.
func waitAvailable(ctx context.Context, t *testing.T, c *Cluster, ns string, replicas int32) map[string]int {
	t.Helper()
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		d, err := c.Client.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		n, err := readyPods(ctx, c, ns)
		return err == nil && n == int(replicas) && d.Status.AvailableReplicas == replicas && d.Status.UpdatedReplicas == replicas, nil
	})
	if err != nil {
		t.Fatalf("web never had %d available replicas: %v", replicas, err)
	}
	pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatal(err)
	}
	perNode := map[string]int{}
	for i := range pods.Items {
		if PodReady(&pods.Items[i]) {
			perNode[pods.Items[i].Spec.NodeName]++
		}
	}
	return perNode
}

func readyPods(ctx context.Context, c *Cluster, ns string) (int, error) {
	pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range pods.Items {
		if PodReady(&pods.Items[i]) {
			n++
		}
	}
	return n, nil
}

func TestEvictionBeyondTheBudgetIsRefused(t *testing.T) {
	c := simCluster(t)
	ns := namespace(t, c, "budget")
	ctx := testContext(t)
	solo := pod("solo", nil)
	solo.Labels = map[string]string{"app": "solo"}
	if _, err := c.Client.CoreV1().Pods(ns).Create(ctx, solo, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	budget := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: "solo"},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable: ptr.To(intstr.FromInt32(1)),
			Selector:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": "solo"}},
		},
	}
	if _, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, budget, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitPodReady(ctx, ns, "solo"); err != nil {
		t.Fatal(err)
	}
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		b, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "solo", metav1.GetOptions{})
		return err == nil && b.Status.ObservedGeneration == b.Generation && b.Status.CurrentHealthy == 1, nil
	})
	if err != nil {
		t.Fatalf("the disruption controller never counted the pod: %v", err)
	}
	err = c.Client.PolicyV1().Evictions(ns).Evict(ctx, &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "solo", Namespace: ns}})
	if !apierrors.IsTooManyRequests(err) {
		t.Fatalf("evicting the budget's only pod: %v, want 429 Too Many Requests", err)
	}
}

func uncordon(t *testing.T, c *Cluster, node string) {
	patch := []byte(`{"spec":{"unschedulable":false}}`)
	if _, err := c.Client.CoreV1().Nodes().Patch(context.Background(), node, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Errorf("uncordoning %s: %v", node, err)
	}
}
