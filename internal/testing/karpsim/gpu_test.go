package karpsim

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/timetogpu"
)

// TestGPUPodGoesFromPendingToRunning: a pod asking for a GPU, tolerating
// the GPU pool's taints, is pending until Karpenter launches a node of an
// allowed GPU family for it, and then runs there. Each step's time is
// logged; the provisioning decision (pod created to NodeClaim launched)
// must stay inside the time-to-GPU budget's first stage.
func TestGPUPodGoesFromPendingToRunning(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "gpu")
	ctx := testContext(t, 3*time.Minute)
	pool, err := k.Pool("gpu")
	if err != nil {
		t.Fatal(err)
	}
	var families []string
	for _, p := range k.Declared {
		if p.GetName() == "gpu" {
			families = Requirement(p, LabelInstanceFamily)
		}
	}
	if len(families) == 0 {
		t.Fatalf("the platform's gpu NodePool allows no instance family")
	}
	w := workload{cpu: "1", memory: "4Gi", gpus: 1, tolerations: Tolerations(pool)}
	start := time.Now()
	create(ctx, t, k, ns, w.pod("llm"))
	tl, err := watchGPUPod(ctx, k, ns, "llm", start)
	if err != nil {
		t.Fatalf("%v; pod events: %v", err, podEvents(ctx, k, ns, "llm"))
	}
	claim, launched, registered, running := tl.claim, tl.launched, tl.registered, tl.running
	p, _ := podReady(ctx, k, ns, "llm")
	n, err := nodeOf(ctx, k, p.Spec.NodeName)
	if err != nil {
		t.Fatal(err)
	}
	family, capacity := n.Labels[LabelInstanceFamily], n.Labels[LabelCapacityType]
	t.Logf("GPU pod %s/llm: Pending at 0s -> NodeClaim %s launched at %s -> node %s (%s, %s, %s) Ready at %s -> pod Running at %s",
		ns, claim, round(launched), n.Name, n.Labels[corev1.LabelInstanceTypeStable], family, capacity, round(registered), round(running))
	if n.Labels[LabelNodePool] != "gpu" {
		t.Errorf("the GPU pod runs on %s of NodePool %q, want gpu", n.Name, n.Labels[LabelNodePool])
	}
	if !contains(families, family) {
		t.Errorf("the GPU node is of family %q, the gpu NodePool allows %v", family, families)
	}
	if capacity != Spot {
		t.Errorf("the GPU node's capacity type is %q, want spot first", capacity)
	}
	d, err := timetogpu.Load()
	if err != nil {
		t.Fatal(err)
	}
	stage, _ := d.Stage(timetogpu.StageLaunch)
	if launched.Seconds() > stage.High {
		t.Errorf("the provisioning decision took %s, the time-to-GPU budget allows %gs", round(launched), stage.High)
	}

	done := time.Now()
	if err := k.Client.CoreV1().Pods(ns).Delete(ctx, "llm", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := waitPoolEmpty(ctx, k, "gpu"); err != nil {
		t.Fatal(err)
	}
	t.Logf("GPU pod deleted: pool gpu back to zero nodes and NodeClaims after %s (consolidateAfter %s in the test)", round(time.Since(done)), consolidateAfter)
}

// TestPodWithoutTheTolerationNeverLandsOnGPUCapacity: a pod asking for a
// GPU without tolerating the GPU pool's taint stays Pending: no node of
// the pool takes it and Karpenter says why.
func TestPodWithoutTheTolerationNeverLandsOnGPUCapacity(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "notoleration")
	ctx := testContext(t, 2*time.Minute)
	w := workload{cpu: "1", memory: "4Gi", gpus: 1}
	create(ctx, t, k, ns, w.pod("stray"))
	var events []string
	err := eventually(ctx, k, "Karpenter's verdict on the pod", func(ctx context.Context) (bool, error) {
		events = podEvents(ctx, k, ns, "stray")
		for _, e := range events {
			if strings.Contains(e, "did not tolerate") {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("%v; events: %v", err, events)
	}
	// Past a full batch window (10s) the pod is still unbound.
	time.Sleep(12 * time.Second)
	p, err := k.Client.CoreV1().Pods(ns).Get(ctx, "stray", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.NodeName != "" {
		t.Errorf("the pod without the GPU toleration landed on %s", p.Spec.NodeName)
	}
	t.Logf("pod %s/stray stays %s: %s", ns, p.Status.Phase, strings.Join(events, "; "))
}

// timeline is when a GPU pod's NodeClaim launched, its node turned Ready
// and the pod ran, from the pod's creation.
type timeline struct {
	claim                         string
	launched, registered, running time.Duration
}

func watchGPUPod(ctx context.Context, k *Karpenter, ns, name string, start time.Time) (timeline, error) {
	var tl timeline
	err := eventually(ctx, k, "the GPU pod to run", func(ctx context.Context) (bool, error) {
		if tl.launched == 0 {
			claims, err := k.NodeClaims(ctx, "gpu")
			if err != nil {
				return false, err
			}
			for _, c := range claims {
				if ok, _ := Condition(&c, "Launched"); ok {
					tl.claim, tl.launched = c.GetName(), time.Since(start)
				}
			}
		}
		if tl.registered == 0 {
			nodes, err := k.Nodes(ctx, "gpu")
			if err != nil {
				return false, err
			}
			for i := range nodes {
				if simcluster.NodeSchedulable(&nodes[i]) {
					tl.registered = time.Since(start)
				}
			}
		}
		if _, ok := podReady(ctx, k, ns, name); ok {
			tl.running = time.Since(start)
			return true, nil
		}
		return false, nil
	})
	return tl, err
}

// waitPoolEmpty waits until a pool has no node and no NodeClaim.
func waitPoolEmpty(ctx context.Context, k *Karpenter, pool string) error {
	return eventually(ctx, k, "NodePool "+pool+" to return to zero", func(ctx context.Context) (bool, error) {
		nodes, err := k.Nodes(ctx, pool)
		if err != nil {
			return false, err
		}
		claims, err := k.NodeClaims(ctx, pool)
		return err == nil && len(nodes) == 0 && len(claims) == 0, err
	})
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }
