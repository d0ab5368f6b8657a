package karpsim

import (
	"context"
	"errors"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// TestRotatePoolReplacesKarpenterNodesThroughDrift: `mlops nodes rotate`
// on a Karpenter pool (internal/rotate). The PodDisruptionBudget
// pre-check names a pod its budget blocks; once the budget allows one
// disruption, rotation stamps the pool's template, Karpenter marks the
// node Drifted, launches a replacement and drains the old node through
// the eviction API, and the workers never fall below their budget.
func TestRotatePoolReplacesKarpenterNodesThroughDrift(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "rotate")
	ctx := testContext(t, 4*time.Minute)
	sel := pinnedService(ctx, t, k, ns, "worker", 2, 2)
	var old string
	err := eventually(ctx, k, "both workers on a training node and their budget counted", func(ctx context.Context) (bool, error) {
		on, total, err := readyOn(ctx, k, ns, sel)
		for n := range on {
			old = n
		}
		b, err2 := k.Client.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "worker", metav1.GetOptions{})
		return err == nil && err2 == nil && total == 2 && b.Status.CurrentHealthy == 2, err
	})
	if err != nil {
		t.Fatal(err)
	}
	var blocked *rotate.BlockedError
	if err := rotate.CheckPoolPDBs(ctx, k.Dynamic, "training"); !errors.As(err, &blocked) || len(blocked.Pods) != 2 {
		t.Fatalf("pre-check with minAvailable 2 of 2: %v, want both workers named", err)
	}
	t.Logf("pre-check refuses: %v", blocked)
	if _, err := k.Client.PolicyV1().PodDisruptionBudgets(ns).Patch(ctx, "worker", "application/merge-patch+json", []byte(`{"spec":{"minAvailable":1}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := rotate.CheckPoolPDBs(ctx, k.Dynamic, "training"); err != nil {
		t.Fatalf("pre-check with minAvailable 1 of 2: %v", err)
	}
	lowest := 2
	stop := simcluster.Sample(20*time.Millisecond, func() {
		if _, total, err := readyOn(ctx, k, ns, sel); err == nil {
			lowest = min(lowest, total)
		}
	})
	res, err := rotate.RotatePool(ctx, k.Dynamic, rotate.PoolOptions{Pool: "training", Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), Poll: 250 * time.Millisecond})
	if err != nil {
		stop()
		t.Fatal(err)
	}
	err = eventually(ctx, k, "both workers ready again", func(ctx context.Context) (bool, error) {
		_, total, err := readyOn(ctx, k, ns, sel)
		return err == nil && total == 2, err
	})
	stop()
	if err != nil {
		t.Fatal(err)
	}
	on, _, _ := readyOn(ctx, k, ns, sel)
	t.Logf("NodePool training rotated through drift in %s: replaced %v (node %s); workers now on %v, ready never below %d", round(res.Elapsed), res.Replaced, old, on, lowest)
	if on[old] != 0 {
		t.Errorf("workers still on the rotated node %s: %v", old, on)
	}
	if lowest < 1 {
		t.Errorf("ready workers fell to %d during the rotation, below the budget's minAvailable 1", lowest)
	}
}
