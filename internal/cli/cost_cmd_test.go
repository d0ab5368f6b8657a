package cli

import (
	"encoding/json"
	"github.com/mlops-platform/mlops-platform/internal/engine"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/cost"
)

func TestCostUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"no stack", []string{"cost"}},
		{"bad output", []string{"cost", "--stack", "prod", "--output", "yaml"}},
		{"unknown flag", []string{"cost", "--stack", "prod", "--frobnicate"}},
		{"stray argument", []string{"cost", "--stack", "prod", "extra"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.args...)
			if code := ExitCode(err); code != ExitUsage {
				t.Errorf("exit code %d (%v), want %d", code, err, ExitUsage)
			}
		})
	}
}

func TestCostInvalidConfig(t *testing.T) {
	_, _, err := run(t, "cost", "--dir", repoRoot(), "--stack", "prod", "--compare", "dev", "--set", "logRetentionDays=31")
	if code := ExitCode(err); code != ExitInvalidConfig || !strings.Contains(err.Error(), "logRetentionDays") {
		t.Fatalf("exit code %d (%v), want %d naming logRetentionDays", code, err, ExitInvalidConfig)
	}
}

// TestPlanAndCostShareStackFlags: both commands parse the same stack flags
// into the same options.
func TestPlanAndCostShareStackFlags(t *testing.T) {
	args := []string{"--stack", "dev", "--set", "a=1", "--set", "b.c=[x, y]", "-o", "json", "--dir", "/tmp"}
	var p PlanOptions
	pc := newPlanCommand(Env{}, func(o PlanOptions) { p = o })
	pc.SetArgs(args)
	var c CostOptions
	cc := newCostCommand(Env{}, func(o CostOptions) { c = o })
	cc.SetArgs(append(args, "--compare", "prod"))
	if err := pc.Execute(); err != nil {
		t.Fatal(err)
	}
	if err := cc.Execute(); err != nil {
		t.Fatal(err)
	}
	if p.StackOptions.Stack != "dev" || len(p.Sets) != 2 || p.Dir != "/tmp" || p.Output != "json" {
		t.Errorf("plan parsed %+v", p.StackOptions)
	}
	if c.StackOptions.Stack != p.StackOptions.Stack || strings.Join(c.Sets, ";") != strings.Join(p.Sets, ";") || c.Dir != p.Dir || c.Output != p.Output || c.Compare != "prod" {
		t.Errorf("cost parsed %+v, plan %+v", c.StackOptions, p.StackOptions)
	}
}

func costJSON(t *testing.T, args ...string) costReport {
	t.Helper()
	out, _, err := run(t, append([]string{"cost", "--dir", repoRoot(), "-o", "json"}, args...)...)
	if err != nil {
		t.Fatalf("cost %v: %v", args, err)
	}
	var rep costReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return rep
}

func groupTotal(e *cost.Estimate, group string) float64 {
	var sum float64
	for _, l := range e.Lines {
		if l.Group == group {
			sum += l.High
		}
	}
	return sum
}

// TestCostCompareAppliesSetsAndUsage: --set and --usage apply to the
// --compare stack as to the main one, as the help says.
func TestCostCompareAppliesSetsAndUsage(t *testing.T) {
	plain := costJSON(t, "--stack", "prod", "--compare", "dev")
	if plain.Compare == nil || plain.Compare.Stack != "dev" {
		t.Fatalf("no comparison: %+v", plain.Compare)
	}
	if groupTotal(plain.Estimate, cost.GroupNAT) <= groupTotal(plain.Compare, cost.GroupNAT) {
		t.Fatalf("prod's three NAT gateways cost no more than dev's one: the test cannot tell")
	}
	set := costJSON(t, "--stack", "prod", "--compare", "dev", "--set", "natGatewayPerAz=true")
	if a, b := groupTotal(set.Compare, cost.GroupNAT), groupTotal(plain.Compare, cost.GroupNAT); a <= b {
		t.Errorf("--set natGatewayPerAz=true: dev's NAT cost %v, without it %v; the set did not reach the compared stack", a, b)
	}
	usage := filepath.Join(t.TempDir(), "usage.yaml")
	if err := os.WriteFile(usage, []byte("hoursPerMonth: 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := costJSON(t, "--stack", "prod", "--compare", "dev", "--usage", usage)
	for _, e := range []*cost.Estimate{rep.Estimate, rep.Compare} {
		if e.HoursPerMonth != 100 {
			t.Errorf("%s: hoursPerMonth %v, want 100 from --usage", e.Stack, e.HoursPerMonth)
		}
	}
}

// TestCostOptimizeChecksEachVariant: every saving is re-evaluated by the
// runner and judged by the guardrails; the single NAT gateway breaks
// prod's control 29.
func TestCostOptimizeChecksEachVariant(t *testing.T) {
	rep := costJSON(t, "--stack", "prod", "--optimize", "--set", "ingress.certificateArn="+engine.CertificateArn)
	if rep.Baseline == nil || !rep.Baseline.Green {
		t.Fatalf("baseline guardrails %+v, want green", rep.Baseline)
	}
	if len(rep.Savings) != len(cost.DefaultChanges()) {
		t.Fatalf("%d savings, want %d", len(rep.Savings), len(cost.DefaultChanges()))
	}
	for _, s := range rep.Savings {
		if s.Error != "" || s.Guardrails == nil {
			t.Errorf("%s: error %q, guardrails %v", s.Name, s.Error, s.Guardrails)
			continue
		}
		if s.Name == "Single NAT gateway" && (s.Guardrails.Green || !strings.Contains(strings.Join(s.Guardrails.Failed, ","), "29")) {
			t.Errorf("single NAT: guardrails %+v, want 29 failed", s.Guardrails)
		}
		if s.Name == "Single NAT gateway" && s.SavedLow <= 0 {
			t.Errorf("single NAT saves %v", s.SavedLow)
		}
	}
}
