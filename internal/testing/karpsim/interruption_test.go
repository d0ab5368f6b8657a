package karpsim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// TestInterruptedNodeIsDrainedAndItsPodsRescheduled: deleting a node's
// NodeClaim is what Karpenter's interruption controller does on a spot
// interruption warning. Karpenter taints the node, evicts its pods
// through the eviction API, launches capacity for them, and removes the
// node; the pods run again on another node.
func TestInterruptedNodeIsDrainedAndItsPodsRescheduled(t *testing.T) {
	k := karpenter(t)
	ns := namespace(t, k, "interrupt")
	ctx := testContext(t, 4*time.Minute)
	// Training workers: on the training pool only.
	sel := pinnedService(ctx, t, k, ns, "worker", 2, 1)
	var node string
	err := eventually(ctx, k, "both workers on one training node", func(ctx context.Context) (bool, error) {
		on, total, err := readyOn(ctx, k, ns, sel)
		for n := range on {
			node = n
		}
		return err == nil && total == 2 && len(on) == 1, err
	})
	if err != nil {
		t.Fatal(err)
	}
	var claim string
	err = eventually(ctx, k, "the NodeClaim of node "+node, func(ctx context.Context) (bool, error) {
		claim, err = claimOf(ctx, k, node)
		return err == nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := k.Dynamic.Resource(NodeClaimsGVR).Delete(ctx, claim, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}); err != nil {
		t.Fatal(err)
	}
	var tainted bool
	var lowest = 2
	err = eventually(ctx, k, "the workers to run on another node and the interrupted one to go", func(ctx context.Context) (bool, error) {
		cur, err := nodeOf(ctx, k, node)
		if err == nil {
			for _, taint := range cur.Spec.Taints {
				if taint.Key == "karpenter.sh/disrupted" {
					tainted = true
				}
			}
		}
		on, total, err2 := readyOn(ctx, k, ns, sel)
		if err2 != nil {
			return false, err2
		}
		if time.Since(start) > time.Second {
			lowest = min(lowest, total)
		}
		return err != nil && total == 2 && on[node] == 0, nil
	})
	if err != nil {
		t.Fatalf("%v (node tainted: %v)", err, tainted)
	}
	on, _, _ := readyOn(ctx, k, ns, sel)
	t.Logf("NodeClaim %s deleted (interruption): node %s tainted karpenter.sh/disrupted %v, drained and removed; workers running again on %v after %s; ready workers never below %d",
		claim, node, tainted, on, round(time.Since(start)), lowest)
	if !tainted {
		t.Errorf("the interrupted node was never tainted karpenter.sh/disrupted before it went")
	}
	if lowest < 1 {
		t.Errorf("ready workers fell to %d, below the budget's minAvailable 1", lowest)
	}
}

// claimOf returns the name of the NodeClaim of a Karpenter node.
func claimOf(ctx context.Context, k *Karpenter, node string) (string, error) {
	claims, err := k.NodeClaims(ctx, "")
	if err != nil {
		return "", err
	}
	for _, c := range claims {
		if name, _, _ := unstructuredNodeName(c.Object); name == node || strings.HasPrefix(node, "kwok-"+c.GetName()+"-") {
			return c.GetName(), nil
		}
	}
	return "", fmt.Errorf("no NodeClaim for node %s", node)
}

// unstructuredNodeName reads a NodeClaim's status.nodeName.
func unstructuredNodeName(obj map[string]any) (string, bool, error) {
	status, _ := obj["status"].(map[string]any)
	name, ok := status["nodeName"].(string)
	return name, ok, nil
}
