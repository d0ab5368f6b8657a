package cli

import (
	"encoding/json"
	"github.com/mlops-platform/mlops-platform/internal/engine"
	"math"
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
	if len(rep.Savings) < len(cost.DefaultChanges()) {
		t.Fatalf("%d savings, want at least the %d defaults", len(rep.Savings), len(cost.DefaultChanges()))
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

// TestCostOptimizeCombined: the combined variant applies every green
// single change that keeps the document's guarantees, one per setting, is
// itself re-evaluated and judged green, and saves what the singles save
// together; the commitments are priced on it and the outcome adds them up.
func TestCostOptimizeCombined(t *testing.T) {
	rep := costJSON(t, "--stack", "prod", "--optimize", "--set", "ingress.certificateArn="+engine.CertificateArn)
	c := rep.Combined
	if c == nil || c.Error != "" || c.Guardrails == nil || !c.Guardrails.Green {
		t.Fatalf("combined %+v, want evaluated and green", c)
	}
	members := strings.Join(c.Members, ";")
	for _, want := range []string{"Graviton general nodes (m6g.xlarge)", "Graviton RDS class (db.t4g.medium)"} {
		if !strings.Contains(members, want) {
			t.Errorf("combined applies %q, want %q among them", members, want)
		}
	}
	for _, not := range []string{"m7g", "Single NAT", "Log retention", "Container Insights"} {
		if strings.Contains(members, not) {
			t.Errorf("combined applies %q: %q is red, gives up a guarantee or loses to a change of the same setting", members, not)
		}
	}
	if !strings.Contains(c.Change, "nodeGroups.general.instanceTypes=[m6g.xlarge]") || !strings.Contains(c.Change, "database.instanceClass=db.t4g.medium") {
		t.Errorf("combined change %q", c.Change)
	}
	// The general nodes and the RDS class price disjoint lines: no
	// interaction, so the combined saving is the sum of the singles.
	if il, ih := c.Interaction(); math.Abs(il) > 0.02 || math.Abs(ih) > 0.02 || c.SavedLow <= 0 {
		t.Errorf("combined saves %v-%v, singles %v-%v", c.SavedLow, c.SavedHigh, c.SumLow, c.SumHigh)
	}
	var sp3, rds1 *cost.Purchase
	for i, p := range rep.Purchases {
		switch p.Key {
		case "computesp/3y-no-upfront":
			sp3 = &rep.Purchases[i]
		case "rdsri/1y-no-upfront":
			rds1 = &rep.Purchases[i]
		case "rdsri/3y-no-upfront":
			if p.Offered || p.Saved != 0 {
				t.Errorf("RDS 3-year no upfront %+v: AWS does not sell it", p)
			}
		}
	}
	// Priced on the combined variant: 3x m6g.xlarge and db.t4g.medium Multi-AZ.
	if sp3 == nil || math.Abs(sp3.Covered-3*0.172*730) > 0.02 || rds1 == nil || math.Abs(rds1.Covered-2*0.068*730) > 0.02 {
		t.Fatalf("purchases %+v", rep.Purchases)
	}
	o := rep.Outcome
	wantLow := c.NewLow - sp3.Saved - rds1.Saved
	if o == nil || math.Abs(o.NewLow-wantLow) > 0.02 || !o.Green {
		t.Fatalf("outcome %+v, want monthly low %.2f", o, wantLow)
	}
	if o.Met != (o.OffLow >= cost.GoalFraction && o.OffHigh >= cost.GoalFraction) {
		t.Errorf("outcome %+v: met disagrees with the fractions", o)
	}
}
