package karpsim

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// reportCapacity plays the part of the kubelet the kwok provider leaves
// out: it creates each node with the NodeClaim's resource requests as its
// capacity (sigs.k8s.io/karpenter/kwok/cloudprovider toNode), where a
// kubelet reports the machine's. Karpenter counts a NodePool's usage
// against its limits from its nodes' capacity, so until a node reports
// its instance type's capacity the pool's limits would count the pods'
// requests instead. Every interval it sets the capacity and allocatable
// of each Karpenter node to its instance type's (simcluster.Resources),
// until ctx ends.
func reportCapacity(ctx context.Context, c *simcluster.Cluster, types []InstanceType, interval time.Duration) {
	shapes := map[string]InstanceType{}
	for _, it := range types {
		shapes[it.Name] = it
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
		nodes, err := c.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: LabelNodePool})
		if err != nil {
			continue
		}
		for i := range nodes.Items {
			n := &nodes.Items[i]
			it, ok := shapes[n.Labels[corev1.LabelInstanceTypeStable]]
			if !ok || n.DeletionTimestamp != nil {
				continue
			}
			capacity, allocatable := simcluster.Resources(it.Shape)
			if apiequality.Semantic.DeepEqual(n.Status.Capacity, capacity) && apiequality.Semantic.DeepEqual(n.Status.Allocatable, allocatable) {
				continue
			}
			n.Status.Capacity, n.Status.Allocatable = capacity, allocatable
			_, _ = c.Client.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
		}
	}
}
