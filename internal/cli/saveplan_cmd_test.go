package cli

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/savedplan"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// savePlan runs preview --save-plan for dev's AWS layer and returns the
// summary's path.
func (e *engineCLI) savePlan(stack string, args ...string) string {
	e.t.Helper()
	path := filepath.Join(e.t.TempDir(), "plan.json")
	_, stderr, err := e.run(append([]string{"preview", "--stack", stack, "--layer", "aws", "--save-plan", path}, args...)...)
	wantCode(e.t, "preview --save-plan", err, ExitOK, stderr)
	if !strings.Contains(stderr, "plan saved to "+path) {
		e.t.Errorf("preview --save-plan does not say where:\n%s", stderr)
	}
	return path
}

// TestSavedPlanAppliedThenRefused: through the real engine, a saved plan
// of dev's AWS layer is applied as planned; applying it again is refused
// (the state moved), with its own exit code and nothing deployed.
func TestSavedPlanAppliedThenRefused(t *testing.T) {
	e := newEngineCLI(t)
	path := e.savePlan("dev")
	sum, err := savedplan.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Layers) != 1 || sum.Stack != "dev" || sum.Layers[0].Creates < 100 || sum.Layers[0].Base.Version != 0 ||
		sum.Guardrails.Passed == 0 || sum.Cost == nil || sum.Cost.MonthlyLow <= 0 || sum.Cost.Delta == nil || *sum.Cost.Delta != sum.Cost.MonthlyLow {
		t.Fatalf("summary of a first deploy (its cost delta the whole estimate): %q", sum.Lines())
	}
	if _, err := os.Stat(savedplan.PlanFile(path, "aws")); err != nil {
		t.Fatalf("the engine plan: %v", err)
	}

	out, stderr, err := e.run("up", "--stack", "dev", "--plan", path)
	wantCode(t, "up --plan", err, ExitOK, stderr)
	t.Logf("up --plan:\n%s", tail(stderr, 8))
	if !strings.Contains(stderr, "saved plan for stack dev") || !strings.Contains(stderr, "done as planned") || !strings.Contains(out, "clusterName") {
		t.Errorf("up --plan printed:\n%s\n%s", stderr, out)
	}

	// Priced from the state: the delta of the same configuration is what
	// the cluster layer, not yet deployed, adds; a smaller database class
	// moves it by exactly the instance's price difference, (0.038 - 0.076)
	// USD/hour x 730 hours (internal/cost/data/eu-west-1.yaml).
	var deltas []float64
	for _, sets := range [][]string{nil, {"--set", "database.instanceClass=db.t3.small"}} {
		next, err := savedplan.Read(e.savePlan("dev", sets...))
		if err != nil {
			t.Fatal(err)
		}
		if next.Cost == nil || next.Cost.Delta == nil || !strings.HasPrefix(next.Cost.Base, "what is deployed") {
			t.Fatalf("%v: cost %q", sets, next.Lines())
		}
		deltas = append(deltas, *next.Cost.Delta)
		t.Logf("%v: %s", sets, next.Lines()[len(next.Lines())-1])
	}
	if d := deltas[1] - deltas[0]; math.Abs(d-(0.038-0.076)*730) > 0.01 {
		t.Errorf("the smaller class moved the delta by %.2f, want %.2f", d, (0.038-0.076)*730)
	}

	_, stderr, err = e.run("up", "--stack", "dev", "--plan", path)
	wantCode(t, "up --plan of a plan already applied", err, ExitPlanRefused, stderr)
	t.Logf("up --plan again: exit %d: %v", ExitCode(err), err)
	if !strings.Contains(err.Error(), "dev-aws: the state moved since the plan was saved (update 0 then, 1 now)") || strings.Contains(stderr, "created ") {
		t.Errorf("refusal: %v\n%s", err, stderr)
	}
}

// TestSavedPlanRefusedAfterConfigChange: the stack file changes between
// the saved plan and up --plan; up refuses before the engine runs, and
// so does a plan for another stack.
func TestSavedPlanRefusedAfterConfigChange(t *testing.T) {
	e := newEngineCLI(t)
	path := e.savePlan("dev")
	if err := stack.WriteConfig(filepath.Join(e.stackDir, "Pulumi.dev.yaml"), map[string]any{"logRetentionDays": 14}); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := e.run("up", "--stack", "dev", "--plan", path)
	wantCode(t, "up --plan after a config change", err, ExitPlanRefused, stderr)
	t.Logf("up --plan after a config change: exit %d: %v", ExitCode(err), err)
	if !strings.Contains(err.Error(), "the stack configuration changed since the plan was saved") ||
		strings.Contains(err.Error(), "state moved") || strings.Contains(stderr, "created ") {
		t.Errorf("refusal: %v\n%s", err, stderr)
	}

	_, stderr, err = e.run("up", "--stack", "prod", "--set", offlineCert, "--plan", path)
	wantCode(t, "up --plan of dev's plan on prod", err, ExitPlanRefused, stderr)
	if !strings.Contains(err.Error(), "it was made for stack dev, not prod") {
		t.Errorf("refusal: %v", err)
	}
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestSavedPlanProdPromptShowsSummary: prod's approval of a saved plan
// shows the saved summary (stack, state, changes, guardrails, cost) before
// the prompt; declined, nothing is deployed.
func TestSavedPlanProdPromptShowsSummary(t *testing.T) {
	e := newEngineCLI(t)
	path := e.savePlan("prod", "--set", offlineCert)
	e.tty, e.in = true, "n\n"
	_, stderr, err := e.run("up", "--stack", "prod", "--set", offlineCert, "--plan", path)
	wantCode(t, "declined up --plan", err, ExitDeclined, stderr)
	t.Logf("up --stack prod --plan, declined:\n%s", stderr)
	summary := strings.Index(stderr, "saved plan for stack prod, saved 2026-11-29T00:00:00Z")
	prompt := strings.Index(stderr, "Apply the saved plan to prod-aws: ")
	for _, want := range []string{"prod-aws (layer aws): ", "to create", "(against update 0)", "  guardrails: ", " passed, 0 failed", "  cost: "} {
		if i := strings.Index(stderr, want); i < summary || i > prompt {
			t.Errorf("%q not between the summary's start (%d) and the prompt (%d):\n%s", want, summary, prompt, stderr)
		}
	}
	if summary < 0 || strings.Contains(stderr, "created ") {
		t.Errorf("up --plan printed:\n%s", stderr)
	}
}
