package cli

import (
	"slices"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestDay2CallsAreInTheDeployerPolicy runs verify, upgrade, nodes rotate
// and dr drill against one local endpoint and checks that every operation
// they called is one the deployer policy derives its day-2 actions from,
// and that the prod policy allows each of its actions.
func TestDay2CallsAreInTheDeployerPolicy(t *testing.T) {
	srv := fakeProdDrill(t)
	kubeconfig := rotateCluster(t)
	atVersion(srv, "mlops-platform-prod", "1.35")
	setup := len(srv.Requests()) // the fixture's own calls
	if _, _, err := runAWS(t, "verify", "--stack", "prod"); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if _, _, err := runAWS(t, "nodes", "rotate", "training", "--stack", "prod", "--kubeconfig", kubeconfig, "--poll", "1ms"); err != nil {
		t.Fatalf("nodes rotate: %v", err)
	}
	if _, _, err := runDrillCmd(t); err != nil {
		t.Fatalf("dr drill: %v", err)
	}
	atVersion(srv, "mlops-platform-prod", "1.34")
	if _, _, err := runAWS(t, "upgrade", "--stack", "prod", "--to", "1.35", "--plan-only"); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	r, err := deployerpolicy.Build(stacktest.Graph(t, "prod"), deployerpolicy.ManagedPolicyLimit)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, p := range r.Policies {
		for _, s := range p.Document.Statement {
			for _, a := range s.Action {
				allowed[a] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range srv.Requests()[setup:] {
		op := c.Service + ":" + c.Op
		if seen[op] {
			continue
		}
		seen[op] = true
		if !slices.Contains(deployerpolicy.Day2Operations, op) {
			t.Errorf("the commands call %s, which deployerpolicy.Day2Operations does not list", op)
		}
		for _, a := range deployerpolicy.OperationActions(op) {
			if !allowed[a] {
				t.Errorf("%s needs %s, which the prod deployer policy does not allow", op, a)
			}
		}
	}
	t.Logf("%d operations called: %v", len(seen), slices.Sorted(func(yield func(string) bool) {
		for k := range seen {
			if !yield(k) {
				return
			}
		}
	}))
}
