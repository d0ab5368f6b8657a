package simcluster

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Drain is what draining one node did.
type Drain struct {
	// Evicted are the pods evicted, namespace/name.
	Evicted []string
	// Refused counts evictions the API server refused (429) because a
	// PodDisruptionBudget allowed no disruption at that moment; each was
	// retried.
	Refused int
}

// DrainNode cordons a node and evicts every pod on it through the eviction
// API, as kubectl drain does: DaemonSet pods stay, an eviction a
// PodDisruptionBudget refuses is retried until it is allowed or ctx ends.
// It returns once the evicted pods are gone.
func (c *Cluster) DrainNode(ctx context.Context, node string) (Drain, error) {
	var d Drain
	patch := []byte(`{"spec":{"unschedulable":true}}`)
	if _, err := c.Client.CoreV1().Nodes().Patch(ctx, node, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
		return d, fmt.Errorf("cordoning %s: %w", node, err)
	}
	pods, err := c.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "spec.nodeName=" + node})
	if err != nil {
		return d, fmt.Errorf("listing the pods of %s: %w", node, err)
	}
	var evicted []corev1.Pod
	for _, p := range pods.Items {
		if ownedByDaemonSet(&p) || p.DeletionTimestamp != nil {
			continue
		}
		refused, err := c.evict(ctx, &p)
		d.Refused += refused
		if err != nil {
			return d, err
		}
		d.Evicted = append(d.Evicted, p.Namespace+"/"+p.Name)
		evicted = append(evicted, p)
	}
	for _, p := range evicted {
		if err := c.waitGone(ctx, &p); err != nil {
			return d, err
		}
	}
	return d, nil
}

// evict evicts one pod, retrying while a disruption budget refuses.
func (c *Cluster) evict(ctx context.Context, p *corev1.Pod) (refused int, err error) {
	ev := &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace}}
	err = wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		err := c.Client.PolicyV1().Evictions(p.Namespace).Evict(ctx, ev)
		switch {
		case err == nil, apierrors.IsNotFound(err):
			return true, nil
		case apierrors.IsTooManyRequests(err):
			refused++
			return false, nil
		}
		return false, fmt.Errorf("evicting %s/%s: %w", p.Namespace, p.Name, err)
	})
	if err != nil {
		return refused, fmt.Errorf("evicting %s/%s (refused %d times by its disruption budget): %w", p.Namespace, p.Name, refused, err)
	}
	return refused, nil
}

func (c *Cluster) waitGone(ctx context.Context, p *corev1.Pod) error {
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		cur, err := c.Client.CoreV1().Pods(p.Namespace).Get(ctx, p.Name, metav1.GetOptions{})
		return apierrors.IsNotFound(err) || (err == nil && cur.UID != p.UID), nil
	})
	if err != nil {
		return fmt.Errorf("waiting for evicted pod %s/%s to go: %w", p.Namespace, p.Name, err)
	}
	return nil
}

func ownedByDaemonSet(p *corev1.Pod) bool {
	for _, o := range p.OwnerReferences {
		if o.Kind == "DaemonSet" {
			return true
		}
	}
	return false
}
