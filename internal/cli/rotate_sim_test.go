package cli

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"

	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// simProd starts the simulated cluster of prod's node groups, each named
// as the local endpoint's live group (the label EKS puts on its nodes).
func simProd(t *testing.T, srv *awsfake.Server) *simcluster.Cluster {
	t.Helper()
	bins, err := simcluster.FindBinaries()
	if err != nil {
		testtools.Unavailable(t, "simulated cluster", err)
	}
	groups, err := simcluster.NodeGroups(stacktest.Graph(t, "prod"))
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) {
		for name := range c.Nodegroups {
			live = append(live, name)
		}
	})
	for i, g := range groups {
		for _, name := range live {
			if strings.HasPrefix(name, g.Name+"-") {
				groups[i].Name = name
			}
		}
	}
	c, err := simcluster.Start(context.Background(), bins, groups, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// budgeted runs a Deployment of replicas on the general nodes, spread one
// a node, with a PodDisruptionBudget of minAvailable, and waits until the
// disruption controller has counted its pods.
func budgeted(ctx context.Context, t *testing.T, c *simcluster.Cluster, ns, name string, replicas, minAvailable int32) {
	t.Helper()
	labels := map[string]string{"app": name}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
				NodeSelector: map[string]string{"mlops-platform/workload": "general"},
				Containers:   []corev1.Container{{Name: "c", Image: "registry.k8s.io/pause:3.10"}},
				TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: corev1.LabelHostname,
					WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: &metav1.LabelSelector{MatchLabels: labels}}},
			}}},
	}
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(minAvailable)), Selector: &metav1.LabelSelector{MatchLabels: labels}}}
	if _, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, pdb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		b, err := c.Client.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, name, metav1.GetOptions{})
		return err == nil && b.Status.CurrentHealthy == replicas && b.Status.ObservedGeneration == b.Generation, nil
	})
	if err != nil {
		t.Fatalf("%s/%s never had %d healthy pods: %v", ns, name, replicas, err)
	}
}

// TestNodesRotatePreCheckInTheSimulatedCluster runs `mlops nodes rotate
// general` against the simulated cluster: MLflow's two pods, under a
// budget that allows no disruption, block it, each named with its budget,
// and nothing starts; the web pods, whose budget allows one, are not
// named. The API server's eviction agrees pod by pod. Once MLflow's budget
// allows a disruption, the rotation runs.
func TestNodesRotatePreCheckInTheSimulatedCluster(t *testing.T) {
	srv := fakeProd(t)
	c := simProd(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "mlflow"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	budgeted(ctx, t, c, "mlflow", "mlflow", 2, 2)
	budgeted(ctx, t, c, "mlflow", "web", 3, 2)

	args := []string{"nodes", "rotate", "general", "--stack", "prod", "--kubeconfig", c.Kubeconfig, "--poll", "1ms"}
	_, _, err := runAWS(t, args...)
	t.Logf("mlops nodes rotate general --stack prod (simulated cluster):\n%v", err)
	var blocked *rotate.BlockedError
	if ExitCode(err) != ExitRefused || !errors.As(err, &blocked) || srv.Calls("UpdateNodegroupVersion") != 0 {
		t.Fatalf("exit %d, %v, %d updates started; want a refusal before any update", ExitCode(err), err, srv.Calls("UpdateNodegroupVersion"))
	}
	pods, err := c.Client.CoreV1().Pods("mlflow").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var named, want []string
	for _, b := range blocked.Pods {
		named = append(named, b.Namespace+"/"+b.Pod+" "+b.PDB)
	}
	for _, p := range pods.Items {
		if p.Labels["app"] == "mlflow" {
			want = append(want, "mlflow/"+p.Name+" mlflow")
		}
		// The pre-check and the API server's eviction agree.
		blocks := strings.Contains(strings.Join(named, "\n"), "mlflow/"+p.Name+" ")
		err := c.Client.CoreV1().Pods("mlflow").EvictV1(ctx, &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: "mlflow"},
			DeleteOptions: &metav1.DeleteOptions{DryRun: []string{metav1.DryRunAll}}})
		if refused := apierrors.IsTooManyRequests(err); refused != blocks || (err != nil && !refused) {
			t.Errorf("pod %s: named by the pre-check %v, eviction: %v", p.Name, blocks, err)
		}
	}
	sort.Strings(want)
	if strings.Join(named, ",") != strings.Join(want, ",") || !strings.Contains(blocked.Error(), "on general-20261129000000-") {
		t.Errorf("named %v, want %v:\n%v", named, want, blocked)
	}

	pdb, err := c.Client.PolicyV1().PodDisruptionBudgets("mlflow").Get(ctx, "mlflow", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pdb.Spec.MinAvailable = ptr.To(intstr.FromInt32(1))
	if _, err := c.Client.PolicyV1().PodDisruptionBudgets("mlflow").Update(ctx, pdb, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runAWS(t, args...)
	if err != nil || srv.Calls("UpdateNodegroupVersion") != 1 || !strings.Contains(out, "rotated") {
		t.Errorf("with room in every budget: %v, %d updates\n%s\n%s", err, srv.Calls("UpdateNodegroupVersion"), out, stderr)
	}
}
