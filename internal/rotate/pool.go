package rotate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
)

// Karpenter's NodePools and NodeClaims (karpenter.sh/v1).
var (
	nodePools  = schema.GroupVersionResource{Group: "karpenter.sh", Version: "v1", Resource: "nodepools"}
	nodeClaims = schema.GroupVersionResource{Group: "karpenter.sh", Version: "v1", Resource: "nodeclaims"}
)

// RotatedAtAnnotation is the annotation rotation stamps on a NodePool's
// node template. It changes the template's hash, so Karpenter marks every
// NodeClaim of the pool Drifted and replaces them as drift replaces nodes:
// a new node first, then the old one drained through the eviction API,
// within the pool's disruption budgets and the pods' PodDisruptionBudgets.
// The platform's program declares no template annotations, so its next
// deploy leaves the stamp (a field of this manager's) in place.
const RotatedAtAnnotation = "mlops-platform/rotated-at"

// FieldManager names rotation in the NodePool's managedFields.
const FieldManager = "mlops-nodes-rotate"

// PoolOptions are one NodePool rotation's settings.
type PoolOptions struct {
	Pool string
	// Now stamps the rotation.
	Now time.Time
	// Poll is the interval between reads (5s when zero).
	Poll time.Duration
	// Progress, when set, hears each read: NodeClaims still to replace.
	Progress func(remaining []string, elapsed time.Duration)
}

// PoolResult is a finished NodePool rotation.
type PoolResult struct {
	// Replaced are the NodeClaims the rotation replaced.
	Replaced []string
	Elapsed  time.Duration
}

// RotatePool replaces every node of a Karpenter NodePool through drift
// and waits until none of the NodeClaims it found is left. ctx bounds the
// wait; when it ends Karpenter goes on replacing, and rotating again
// stamps the template anew (another drift of what is left).
func RotatePool(ctx context.Context, kube dynamic.Interface, o PoolOptions) (*PoolResult, error) {
	start := time.Now()
	before, err := poolClaims(ctx, kube, o.Pool)
	if err != nil {
		return nil, err
	}
	res := &PoolResult{Replaced: before}
	if len(before) == 0 {
		return res, nil
	}
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{
		"annotations": map[string]any{RotatedAtAnnotation: o.Now.UTC().Format(time.RFC3339)}}}}})
	if err != nil {
		return nil, fmt.Errorf("encoding the rotation stamp: %w", err)
	}
	if _, err := kube.Resource(nodePools).Patch(ctx, o.Pool, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: FieldManager}); err != nil {
		return nil, fmt.Errorf("stamping NodePool %s for rotation: %w", o.Pool, err)
	}
	poll := o.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	for {
		now, err := poolClaims(ctx, kube, o.Pool)
		if err != nil {
			return res, err
		}
		left := map[string]bool{}
		for _, c := range now {
			left[c] = true
		}
		var remaining []string
		for _, c := range before {
			if left[c] {
				remaining = append(remaining, c)
			}
		}
		res.Elapsed = time.Since(start)
		if o.Progress != nil {
			o.Progress(remaining, res.Elapsed)
		}
		if len(remaining) == 0 {
			return res, nil
		}
		select {
		case <-ctx.Done():
			return res, fmt.Errorf("stopped watching the rotation of NodePool %s with %d NodeClaim(s) left (Karpenter goes on replacing them): %w", o.Pool, len(remaining), ctx.Err())
		case <-time.After(poll):
		}
	}
}

// poolClaims are the names of a NodePool's NodeClaims, sorted.
func poolClaims(ctx context.Context, kube dynamic.Interface, pool string) ([]string, error) {
	l, err := kube.Resource(nodeClaims).List(ctx, metav1.ListOptions{LabelSelector: NodePoolLabel + "=" + pool})
	if err != nil {
		return nil, fmt.Errorf("listing the NodeClaims of NodePool %s: %w", pool, err)
	}
	out := make([]string, 0, len(l.Items))
	for _, c := range l.Items {
		out = append(out, c.GetName())
	}
	sort.Strings(out)
	return out, nil
}
