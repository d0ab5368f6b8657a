package simdeploy_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/golden"
	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/simdeploy"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

var update = flag.Bool("update", false, "rewrite the golden DaemonSet placement tables")

// ebsDriver is the gp3 StorageClass's provisioner.
const ebsDriver = "ebs.csi.aws.com"

// simulation is one stack's graph and rendered layer, and a simulated
// cluster of its node groups with the stand-ins running (the webhook
// server and the volume provisioner), ready for a deploy by any means.
type simulation struct {
	stack   string
	res     *stack.Result
	g       *plan.Graph
	layer   simdeploy.Layer
	c       *simcluster.Cluster
	standIn *simdeploy.StandIn
	log     *slog.Logger
}

// simulate evaluates the stack with the repository's charts, renders
// every release and starts a simulated cluster of the stack's node
// groups; the test's cleanup stops it. Without the binaries it skips,
// except in CI.
func simulate(t *testing.T, name string) *simulation {
	t.Helper()
	ctx := context.Background()
	helm, err := rendercheck.FindHelm()
	if err != nil {
		testtools.Unavailable(t, "helm", err)
	}
	bins, err := simcluster.FindBinaries()
	if err != nil {
		testtools.Unavailable(t, "simulated cluster", err)
	}
	res, err := stacktest.Source(name, "charts.source=local", "charts.dir="+chartstest.Dir(t)).Evaluate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rels, err := rendercheck.Releases(res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	rendered := rendercheck.RenderAll(ctx, helm, rels, "v"+res.Spec.KubernetesVersion+".0")
	t.Logf("%s: rendered %d releases in %s", name, len(rendered), time.Since(begin).Round(time.Millisecond))
	var order []string
	for _, r := range platform.Releases() {
		order = append(order, r.Name)
	}
	layer, err := simdeploy.NewLayer(res.Graph, rendered, order)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := simcluster.NodeGroups(res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	out := io.Discard
	if os.Getenv("KUBESIM_LOGS") != "" {
		out = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := simcluster.Start(ctx, bins, groups, log, out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	t.Logf("%s: simulated cluster of %d nodes ready in %s", name, len(c.Nodes), c.Startup.Round(time.Millisecond))

	standIn := simdeploy.StartStandIn()
	t.Cleanup(standIn.Close)
	provCtx, stopProvisioner := context.WithCancel(ctx)
	prov := &simdeploy.Provisioner{Driver: ebsDriver}
	var provisioning sync.WaitGroup
	provisioning.Go(func() { prov.Run(provCtx, c.Client) })
	t.Cleanup(func() {
		stopProvisioner()
		provisioning.Wait()
		t.Logf("volumes provisioned for %v (last error: %v)", prov.Provisioned(), prov.Err())
	})
	return &simulation{stack: name, res: res, g: res.Graph, layer: layer, c: c, standIn: standIn, log: log}
}

// applyOperatorWorkloads applies the StatefulSets modelled from the
// Prometheus and Alertmanager resources and waits for them.
func applyOperatorWorkloads(t *testing.T, s *simulation) []simdeploy.Workload {
	t.Helper()
	sts, err := simdeploy.OperatorWorkloads(s.layer)
	if err != nil {
		t.Fatal(err)
	}
	var objs []apiserver.Object
	var refs []simdeploy.Workload
	for _, st := range sts {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(st)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, apiserver.Object{URN: "operator: StatefulSet " + st.Namespace + "/" + st.Name, Unstructured: &unstructured.Unstructured{Object: m}})
		refs = append(refs, simdeploy.Workload{Kind: "StatefulSet", Namespace: st.Namespace, Name: st.Name})
	}
	res, err := s.c.Apply(context.Background(), objs)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res {
		if a.Err != nil {
			t.Errorf("%s refused: %v", a.Object.URN, a.Err)
		}
	}
	return simdeploy.WaitAvailable(context.Background(), s.c.Client, refs, 3*time.Minute)
}

// TestLayerRunsInTheSimulatedCluster deploys each stack's in-cluster
// layer into a simulated cluster of its node groups with client-go
// (Deploy) and checks what runs.
func TestLayerRunsInTheSimulatedCluster(t *testing.T) {
	for _, sub := range simdeploy.Substitutes {
		t.Logf("stood in: %s → %s", sub.What, sub.Instead)
	}
	for _, stack := range []string{"prod", "dev"} {
		t.Run(stack, func(t *testing.T) { deployAndCheck(t, stack) })
	}
}

func deployAndCheck(t *testing.T, stack string) {
	begin := time.Now()
	s := simulate(t, stack)
	start := time.Now()
	rep, err := simdeploy.Deploy(context.Background(), s.c, s.layer, s.standIn, 3*time.Minute, s.log)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: deployed in %s", s.stack, time.Since(start).Round(time.Millisecond))
	operator := applyOperatorWorkloads(t, s)
	t.Run("every release is deployed and ready", func(t *testing.T) { checkReleases(t, s.stack, rep, operator) })
	checkLayer(t, s, operator)
	t.Logf("webhook stand-in admitted: %s", strings.Join(s.standIn.Calls(), "; "))
	t.Logf("%s took %s", stack, time.Since(begin).Round(time.Millisecond))
}

// checkLayer runs the checks that hold however the layer was deployed:
// no pod refused, DaemonSet placement, IRSA service accounts, and a
// drain; operator are the workloads modelled from the operator's
// resources (OperatorWorkloads), which join the drain's.
func checkLayer(t *testing.T, s *simulation, operator []simdeploy.Workload) {
	t.Run("no pod was refused", func(t *testing.T) { checkNoRefusals(t, s.c) })
	t.Run("a refused pod is seen", func(t *testing.T) { checkRefusalsAreSeen(t, s.c, "mlflow") })
	t.Run("DaemonSets run where they should", func(t *testing.T) { checkPlacement(t, s.c, s.layer, s.stack) })
	t.Run("IRSA service accounts", func(t *testing.T) { checkIRSA(t, s.c, s.g) })
	t.Run("draining a general node", func(t *testing.T) {
		checkDrain(t, s.c, append(s.layer.Workloads(), operator...))
	})
}

// checkReleases prints, per release, rendered, deployed (applied) and
// pods ready, and fails on any refusal or workload not available.
func checkReleases(t *testing.T, stack string, rep simdeploy.Report, operator []simdeploy.Workload) {
	var b strings.Builder
	b.WriteString("| release | chart | rendered | applied | refused | workloads ready | took |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rep.Releases {
		ready := 0
		for _, w := range r.Workloads {
			if w.Available() {
				ready++
			} else {
				t.Errorf("%s: %v is not available", r.Name, w)
			}
		}
		for _, msg := range r.Refused {
			t.Errorf("%s: refused: %s", r.Name, msg)
		}
		fmt.Fprintf(&b, "| %s | %s %s | %d | %d | %d | %d/%d | %s |\n", r.Name, filepath.Base(r.Chart), r.Version, r.Rendered, r.Applied, len(r.Refused), ready, len(r.Workloads), r.Took.Round(100*time.Millisecond))
	}
	t.Logf("%s releases:\n%s", stack, b.String())
	for _, msg := range rep.Refused {
		t.Errorf("the program's own object refused: %s", msg)
	}
	for _, w := range operator {
		if !w.Available() {
			t.Errorf("operator-managed %v is not available", w)
		} else {
			t.Logf("operator-managed (modelled from its resource): %v", w)
		}
	}
	if len(operator) < 2 {
		t.Errorf("%d operator-managed workloads, want Prometheus and Alertmanager", len(operator))
	}
}

func checkNoRefusals(t *testing.T, c *simcluster.Cluster) {
	refusals, err := simdeploy.PodRefusals(context.Background(), c.Client)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refusals {
		t.Errorf("pod refused: %s", r)
	}
}

// intendedPlacement is where each DaemonSet must run: on every node of
// the groups listed and on no other node. A DaemonSet not listed fails.
var intendedPlacement = map[string][]string{
	"monitoring-node/kube-prometheus-stack-prometheus-node-exporter": {"general", "gpu", "training"},
	"nvidia-device-plugin/nvidia-device-plugin":                      {"gpu"},
	"dcgm-exporter/dcgm-exporter":                                    {"gpu"},
	// Dormant by design (rendercheck.Dormant): no node is labelled for MPS.
	"nvidia-device-plugin/nvidia-device-plugin-mps-control-daemon": {},
}

func checkPlacement(t *testing.T, c *simcluster.Cluster, l simdeploy.Layer, stack string) {
	rows, nodes, err := simdeploy.Placements(context.Background(), c.Client, l)
	if err != nil {
		t.Fatal(err)
	}
	table := simdeploy.PlacementTable(rows, nodes)
	t.Logf("%s DaemonSet placement (ready pods per node group):\n%s", stack, table)
	for _, r := range rows {
		key := r.Namespace + "/" + r.Name
		want, ok := intendedPlacement[key]
		if !ok {
			t.Errorf("DaemonSet %s (%s) has no intended placement", key, r.Release)
			continue
		}
		on := map[string]bool{}
		for _, g := range want {
			on[g] = true
		}
		for g, n := range nodes {
			if wantPods := map[bool]int{true: n, false: 0}[on[g]]; r.PerGroup[g] != wantPods {
				t.Errorf("DaemonSet %s runs %d pods on group %s (%d nodes), want %d", key, r.PerGroup[g], g, n, wantPods)
			}
		}
	}
	path := filepath.Join("testdata", "daemonset-placement-"+stack+".md")
	golden.Check(t, path, []byte(table), *update, "go test ./internal/testing/simdeploy -run "+t.Name()+" -update")
}

var roleARN = regexp.MustCompile(`^arn:aws:iam::[0-9]{12}:role/`)

// checkIRSA: every service account an IRSA role's trust policy names
// exists in the cluster, in that namespace, annotated with that role's
// ARN; except those an EKS add-on creates (not simulated), reported.
func checkIRSA(t *testing.T, c *simcluster.Cluster, g *plan.Graph) {
	ctx := context.Background()
	addonOf := map[string]string{}
	for _, a := range g.Addons() {
		if arn := a.RoleArn; arn != "" {
			addonOf[arn[strings.LastIndex(arn, "/")+1:]] = a.Name
		}
	}
	checked := 0
	for _, r := range g.Roles() {
		role := r.Resource
		for _, subject := range r.ServiceAccounts {
			ns, name, _ := strings.Cut(subject, "/")
			addon, byAddon := addonOf[role.Name]
			why, unused := rendercheck.UnusedRoles[g.Stack+"/"+role.Name]
			switch {
			case byAddon && unused:
				t.Errorf("role %s is listed as unused but the add-on %s uses it", role.Name, addon)
				continue
			case byAddon:
				t.Logf("%s/%s: role %s, created by the EKS add-on %s (not simulated)", ns, name, role.Name, addon)
				continue
			case unused:
				t.Logf("%s/%s: role %s is not used: %s", ns, name, role.Name, why)
				continue
			}
			checked++
			sa, err := c.Client.CoreV1().ServiceAccounts(ns).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				t.Errorf("role %s trusts %s/%s, which is not in the cluster: %v", role.Name, ns, name, err)
				continue
			}
			got := sa.Annotations["eks.amazonaws.com/role-arn"]
			if !roleARN.MatchString(got) || !strings.HasSuffix(got, ":role/"+role.Name) {
				t.Errorf("%s/%s is annotated %q, want the ARN of role %s", ns, name, got, role.Name)
				continue
			}
			t.Logf("%s/%s: %s", ns, name, got)
		}
	}
	if checked < 3 {
		t.Errorf("only %d IRSA service accounts checked in the cluster", checked)
	}
}
