package simdeploy_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/simdeploy"
)

// checkDrain drains the general node that holds the most platform pods
// through the eviction API (simcluster.DrainNode): no PodDisruptionBudget
// may fall below its desired healthy pods meanwhile, and with the node
// cordoned every one of workloads is available again.
func checkDrain(t *testing.T, c *simcluster.Cluster, workloads []simdeploy.Workload) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	node, pods := busiestGeneralNode(ctx, t, c)
	pdbs, err := c.Client.PolicyV1().PodDisruptionBudgets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pdbs.Items) == 0 {
		t.Error("no PodDisruptionBudget in the cluster")
	}
	breaches := map[string]string{}
	stop := simcluster.Sample(50*time.Millisecond, func() {
		list, err := c.Client.PolicyV1().PodDisruptionBudgets("").List(ctx, metav1.ListOptions{})
		if err != nil {
			return
		}
		for _, b := range list.Items {
			if b.Status.ObservedGeneration == b.Generation && b.Status.CurrentHealthy < b.Status.DesiredHealthy {
				breaches[b.Namespace+"/"+b.Name] = fmt.Sprintf("%d healthy of %d desired", b.Status.CurrentHealthy, b.Status.DesiredHealthy)
			}
		}
	})
	begin := time.Now()
	drain, err := c.DrainNode(ctx, node)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drained %s (%d platform pods) in %s: evicted %v, %d evictions refused by a budget and retried", node, pods, time.Since(begin).Round(time.Millisecond), drain.Evicted, drain.Refused)
	for b, msg := range breaches {
		t.Errorf("PodDisruptionBudget %s fell to %s during the drain", b, msg)
	}
	if len(drain.Evicted) == 0 {
		t.Errorf("nothing was evicted from %s", node)
	}
	for _, w := range simdeploy.WaitSettled(ctx, c.Client, workloads, 45*time.Second, 5*time.Second) {
		if w.Available() {
			continue
		}
		stranded, other := pendingPods(ctx, t, c, w)
		why, excepted := zonalVolumeWorkloads[w.Namespace+"/"+w.Name]
		switch {
		case len(other) == 0 && len(stranded) > 0 && excepted:
			t.Logf("with %s drained: %v; %v wait for a node in the drained node's zone: %s", node, w, stranded, why)
		default:
			t.Errorf("with %s drained: %v; pending: %v %v", node, w, stranded, other)
		}
	}
	left, err := c.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "spec.nodeName=" + node})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range left.Items {
		if len(p.OwnerReferences) == 0 || p.OwnerReferences[0].Kind != "DaemonSet" {
			t.Errorf("pod %s/%s is still on the drained node %s", p.Namespace, p.Name, node)
		}
	}
}

// busiestGeneralNode is the general node running the most pods that a
// drain evicts (not DaemonSet pods, not completed Job pods).
func busiestGeneralNode(ctx context.Context, t *testing.T, c *simcluster.Cluster) (string, int) {
	t.Helper()
	pods, err := c.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, n := range c.Nodes {
		if n.Labels[simcluster.LabelNodeGroup] == "general" {
			count[n.Name] = 0
		}
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if _, ok := count[p.Spec.NodeName]; ok && simcluster.PodReady(p) && (len(p.OwnerReferences) == 0 || p.OwnerReferences[0].Kind != "DaemonSet") {
			count[p.Spec.NodeName]++
		}
	}
	names := make([]string, 0, len(count))
	for n := range count {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return count[names[i]] > count[names[j]] || count[names[i]] == count[names[j]] && names[i] < names[j]
	})
	if len(names) < 2 {
		t.Fatalf("%d general nodes: draining one leaves none", len(names))
	}
	return names[0], count[names[0]]
}

// zonalVolumeWorkloads may be left short of replicas when the drained
// node was the only general node in its zone: their pods keep EBS
// volumes, which live in one Availability Zone, so a replaced pod can run
// only on a node of that zone. The simulation adds no node (in EKS the
// managed node group or the cluster autoscaler would).
var zonalVolumeWorkloads = map[string]string{
	"monitoring/kube-prometheus-stack-grafana":                   "Grafana's ReadWriteOnce gp3 volume (prod persists dashboards); one replica, so Grafana is down until a general node runs in that zone again",
	"monitoring/prometheus-kube-prometheus-stack-prometheus":     "each Prometheus replica has its own gp3 volume; the other replica keeps scraping",
	"monitoring/alertmanager-kube-prometheus-stack-alertmanager": "each Alertmanager replica has its own gp3 volume; the other replica keeps alerting",
}

// pendingPods lists a workload's unscheduled pods: those the scheduler
// holds back only for their volumes' zone, and the others with why.
func pendingPods(ctx context.Context, t *testing.T, c *simcluster.Cluster, w simdeploy.Workload) (stranded, other []string) {
	t.Helper()
	var sel *metav1.LabelSelector
	switch w.Kind {
	case "Deployment":
		o, err := c.Client.AppsV1().Deployments(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sel = o.Spec.Selector
	case "StatefulSet":
		o, err := c.Client.AppsV1().StatefulSets(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sel = o.Spec.Selector
	default:
		return nil, []string{w.Kind + " pods not inspected"}
	}
	pods, err := c.Client.CoreV1().Pods(w.Namespace).List(ctx, metav1.ListOptions{LabelSelector: metav1.FormatLabelSelector(sel)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pods.Items {
		if p.Spec.NodeName != "" {
			continue
		}
		msg := "not yet considered by the scheduler"
		for _, cond := range p.Status.Conditions {
			if cond.Type == "PodScheduled" {
				msg = cond.Message
			}
		}
		if strings.Contains(msg, "didn't match PersistentVolume's node affinity") {
			stranded = append(stranded, p.Name)
		} else {
			other = append(other, p.Name+": "+msg)
		}
	}
	return stranded, other
}
