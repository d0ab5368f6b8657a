package karpsim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// trainingWorker is a training job's pod: it tolerates the training
// pool's taints, selects its label, and asks for 7 vCPUs, so two share a
// 16-vCPU node of the pool's families.
func trainingWorker(t *testing.T, k *Karpenter, job string) workload {
	pool, err := k.Pool("training")
	if err != nil {
		t.Fatal(err)
	}
	return workload{cpu: "7", memory: "8Gi", tolerations: Tolerations(pool), nodeSelector: Labels(pool), labels: map[string]string{"job-name": job}}
}

// runJob creates n pods of a job and returns once want of them run and
// the rest are pending with Karpenter's reason.
func runJob(ctx context.Context, t *testing.T, k *Karpenter, ns, job string, n, want int) (running map[string]string, pending []string) {
	t.Helper()
	w := trainingWorker(t, k, job)
	for i := range n {
		create(ctx, t, k, ns, w.pod(fmt.Sprintf("%s-%d", job, i)))
	}
	err := eventually(ctx, k, fmt.Sprintf("%d of %d pods of %s to run", want, n, job), func(ctx context.Context) (bool, error) {
		running, pending = map[string]string{}, nil
		for i := range n {
			name := fmt.Sprintf("%s-%d", job, i)
			if p, ok := podReady(ctx, k, ns, name); ok {
				running[name] = p.Spec.NodeName
			} else {
				pending = append(pending, name)
			}
		}
		return len(running) == want, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return running, pending
}

// TestTrainingJobIsPackedOntoSpotWithinTheLimits: a job of more pods than
// the training pool's CPU limit leaves room for is packed two to a spot
// node, as many nodes as the limit allows; the pod past the limit stays
// Pending, and Karpenter says the pool's limit is why.
func TestTrainingJobIsPackedOntoSpotWithinTheLimits(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "train")
	ctx := testContext(t, 3*time.Minute)
	pool, err := k.Pool("training")
	if err != nil {
		t.Fatal(err)
	}
	limit, err := strconv.Atoi(Limit(pool, "cpu"))
	if err != nil {
		t.Fatalf("the training pool's cpu limit %q: %v", Limit(pool, "cpu"), err)
	}
	nodes := limit / 16 // the pool's families offer 16-vCPU types here
	running, pending := runJob(ctx, t, k, ns, "train", 2*nodes+1, 2*nodes)
	perNode := map[string]int{}
	for _, node := range running {
		perNode[node]++
	}
	for node, pods := range perNode {
		n, err := nodeOf(ctx, k, node)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("node %s: %s %s, %d pods", node, n.Labels[corev1.LabelInstanceTypeStable], n.Labels[LabelCapacityType], pods)
		if n.Labels[LabelNodePool] != "training" || n.Labels[LabelCapacityType] != Spot {
			t.Errorf("a training pod runs on %s (pool %q, capacity %q), want the training pool's spot capacity", node, n.Labels[LabelNodePool], n.Labels[LabelCapacityType])
		}
		if pods != 2 {
			t.Errorf("node %s runs %d training pods, want 2 (packed)", node, pods)
		}
	}
	if len(perNode) != nodes {
		t.Errorf("the job runs on %d nodes, the cpu limit %d allows %d", len(perNode), limit, nodes)
	}
	var events []string
	err = eventually(ctx, k, "Karpenter's reason for the pod past the limit", func(ctx context.Context) (bool, error) {
		events = podEvents(ctx, k, ns, pending[0])
		return strings.Contains(strings.Join(events, "\n"), "exceed limits"), nil
	})
	if err != nil {
		t.Fatalf("%v; events of %s: %v", err, pending[0], events)
	}
	p, err := k.Client.CoreV1().Pods(ns).Get(ctx, pending[0], metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pod %s/%s past the limit: %s, %s", ns, pending[0], p.Status.Phase, lastWith(events, "exceed limits"))
	if p.Spec.NodeName != "" {
		t.Errorf("the pod past the limit runs on %s", p.Spec.NodeName)
	}
	if err := k.Client.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
}

func lastWith(events []string, s string) string {
	for i := len(events) - 1; i >= 0; i-- {
		if strings.Contains(events[i], s) {
			return events[i]
		}
	}
	return ""
}
