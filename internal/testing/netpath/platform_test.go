package netpath_test

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/golden"
	"github.com/mlops-platform/mlops-platform/internal/testing/netpath"
)

var update = flag.Bool("update", false, "rewrite docs/network-paths.md from the derived tables")

// policies reads the graph's NetworkPolicies and namespaces.
func policies(t *testing.T, g *plan.Graph) netpath.Policies {
	t.Helper()
	objs, err := apiserver.Objects(g)
	if err != nil {
		t.Fatal(err)
	}
	var us []*unstructured.Unstructured
	for _, o := range objs {
		us = append(us, o.Unstructured)
	}
	p, err := netpath.FromObjects(us, kubenames.NSKubeSystem)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.List) < 10 {
		t.Fatalf("%d NetworkPolicies in the graph", len(p.List))
	}
	return p
}

// derive evaluates the platform's paths on a stack's graph.
func derive(t *testing.T, g *plan.Graph) []netpath.Row {
	t.Helper()
	eps, err := netpath.PlatformEndpoints(g)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := policies(t, g).Evaluate(eps, netpath.PlatformPaths())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestNetworkPaths: with the declared policies, every intended path is
// open and every path the platform means closed is closed, in dev and
// prod; docs/network-paths.md holds the derived tables (-update rewrites
// it).
func TestNetworkPaths(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(header)
	for _, stack := range []string{"prod", "dev"} {
		rows := derive(t, stacktest.Graph(t, stack))
		for _, r := range rows {
			if r.Got != r.Open {
				t.Errorf("%s: %s → %s %s/%d is %v, intended %v (%s)", stack, r.From, r.To, r.Proto, r.Port, r.Got, r.Open, r.By)
			}
		}
		fmt.Fprintf(&doc, "\n## %s\n\n%s", stack, netpath.Markdown(rows))
	}
	path := filepath.Join(stacktest.RepoRoot(), "docs", "network-paths.md")
	golden.Check(t, path, []byte(doc.String()), *update, "go test ./internal/testing/netpath -run TestNetworkPaths -update")
}

// TestNetworkPathsCatchRegressions: the table test fails on the defects
// it guards against: ALBs admitted from the whole VPC (every pod, with the
// VPC CNI), and no pod-to-pod rule inside serving and training.
func TestNetworkPathsCatchRegressions(t *testing.T) {
	for _, c := range []struct {
		name   string
		set    string
		mutate func(g *plan.Graph)
		broken string
	}{
		{"ALB admitted from the VPC", "", func(g *plan.Graph) {
			for i, r := range g.Resources {
				if r.Type == "kubernetes:networking.k8s.io/v1:NetworkPolicy" && strings.HasSuffix(r.Name, "allow-alb") {
					v, _ := r.Input("spec.ingress")
					peers := v.([]any)[0].(map[string]any)["from"].([]any)
					peers[0].(map[string]any)["ipBlock"].(map[string]any)["cidr"] = "10.100.0.0/16"
					g.Resources[i] = r
				}
			}
		}, "user pod to MLflow"},
		{"no pod-to-pod rule in serving", "", func(g *plan.Graph) {
			var keep []plan.Resource
			for _, r := range g.Resources {
				if !strings.HasSuffix(r.Name, "serving-allow-from-namespace") {
					keep = append(keep, r)
				}
			}
			g.Resources = keep
		}, "in namespace"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := stacktest.Evaluate(t, "prod")
			c.mutate(g)
			caught := false
			for _, r := range derive(t, g) {
				if r.Got != r.Open && r.What == c.broken {
					caught = true
				}
			}
			if !caught {
				t.Errorf("the table does not catch %s", c.name)
			}
		})
	}
}

const header = `# Network paths

Derived from the evaluated graph's NetworkPolicies by ` + "`internal/testing/netpath`" + `
(Kubernetes semantics: a pod is isolated in a direction when a policy of its
namespace selects it for it; a connection needs the sender's egress and the
receiver's ingress). ` + "`go test ./internal/testing/netpath`" + ` fails when a path
differs from its intent or this file from the derivation
(` + "`-update`" + ` rewrites it).

Endpoints: the platform's pods by namespace and labels; pods, the
control plane's ENIs and RDS have addresses of the private subnets (with the
VPC CNI, pods are VPC addresses that ipBlock rules match); the ALBs an
address of the subnets the load balancer controller discovers for the
scheme (prod: the internal-elb subnets, dev: the public ones); S3 an
address of the region's S3 prefix list.

Not decided by NetworkPolicies: namespaces the platform does not police
(monitoring, kube-system, cert-manager, kserve, users' namespaces) admit
and send everything, so a pod in a user namespace reaches RDS's port; the
RDS security group admits the nodes (pods share their security group) and
the database admits only IAM-authenticated users whose roles only MLflow's
and the setup Job's service accounts assume.
`
