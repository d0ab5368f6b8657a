package simdeploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// Placement is where one DaemonSet's pods run: pods per node group.
type Placement struct {
	Release, Namespace, Name string
	PerGroup                 map[string]int
}

// Placements reads, for each DaemonSet of the layer's releases, its
// running pods per node group (the node's eks.amazonaws.com/nodegroup
// label), and the nodes per group; rows in release order.
func Placements(ctx context.Context, client kubernetes.Interface, l Layer) (rows []Placement, nodesPerGroup map[string]int, err error) {
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("listing nodes: %w", err)
	}
	groupOf := map[string]string{}
	nodesPerGroup = map[string]int{}
	for _, n := range nodes.Items {
		groupOf[n.Name] = n.Labels[simcluster.LabelNodeGroup]
		nodesPerGroup[groupOf[n.Name]]++
	}
	for _, r := range l.Releases {
		for _, w := range workloadRefs(r.Objects) {
			if w.Kind != "DaemonSet" {
				continue
			}
			ds, err := client.AppsV1().DaemonSets(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
			if err != nil {
				return nil, nil, fmt.Errorf("reading DaemonSet %s/%s: %w", w.Namespace, w.Name, err)
			}
			pods, err := client.CoreV1().Pods(w.Namespace).List(ctx, metav1.ListOptions{})
			if err != nil {
				return nil, nil, fmt.Errorf("listing the pods of %s: %w", w.Namespace, err)
			}
			p := Placement{Release: r.Name, Namespace: w.Namespace, Name: w.Name, PerGroup: map[string]int{}}
			for _, pod := range pods.Items {
				for _, o := range pod.OwnerReferences {
					if o.UID == ds.UID && simcluster.PodReady(&pod) {
						p.PerGroup[groupOf[pod.Spec.NodeName]]++
					}
				}
			}
			rows = append(rows, p)
		}
	}
	return rows, nodesPerGroup, nil
}

// PlacementTable renders the placements as a Markdown table, a column per
// node group (with its node count), sorted by group name.
func PlacementTable(rows []Placement, nodesPerGroup map[string]int) string {
	groups := make([]string, 0, len(nodesPerGroup))
	for g := range nodesPerGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var b strings.Builder
	b.WriteString("| release | DaemonSet |")
	sep := "|---|---|"
	for _, g := range groups {
		fmt.Fprintf(&b, " %s (%d nodes) |", g, nodesPerGroup[g])
		sep += "---|"
	}
	b.WriteString("\n" + sep + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s/%s |", r.Release, r.Namespace, r.Name)
		for _, g := range groups {
			fmt.Fprintf(&b, " %d |", r.PerGroup[g])
		}
		b.WriteString("\n")
	}
	return b.String()
}
