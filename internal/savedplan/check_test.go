package savedplan

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	saved := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	base := State{Version: 3, Resources: "r3"}
	sum := &Summary{Stack: "prod", Created: saved, Program: "p1", Config: "c1",
		Layers: []Layer{{Layer: "aws", Stack: "prod-aws", Plan: "plan.aws.plan.json", PlanSHA256: "h1", Base: base}}}
	same := func() Current {
		return Current{Stack: "prod", Program: "p1", Config: "c1", States: map[string]State{"aws": base},
			PlanHashes: map[string]string{"aws": "h1"}, Now: saved.Add(time.Hour), MaxAge: DefaultMaxAge}
	}
	cases := []struct {
		name string
		edit func(c *Current)
		want string
	}{
		{"unchanged", func(*Current) {}, ""},
		{"another stack", func(c *Current) { c.Stack = "dev" }, "it was made for stack prod, not dev"},
		{"too old", func(c *Current) { c.Now = saved.Add(25 * time.Hour) }, "saved 25h0m0s ago (at 2026-11-29T00:00:00Z), more than the 24h0m0s --plan-max-age allows"},
		{"a shorter limit", func(c *Current) { c.MaxAge = 30 * time.Minute }, "more than the 30m0s --plan-max-age allows"},
		{"from the future", func(c *Current) { c.Now = saved.Add(-time.Hour) }, "saved in the future"},
		{"program", func(c *Current) { c.Program = "p2" }, "the program changed"},
		{"config", func(c *Current) { c.Config = "c2" }, "the stack configuration changed"},
		{"state: a new update", func(c *Current) { c.States["aws"] = State{Version: 4, Resources: "r4"} }, "prod-aws: the state moved since the plan was saved (update 3 then, 4 now)"},
		{"state: resources edited in place", func(c *Current) { c.States["aws"] = State{Version: 3, Resources: "r3'"} }, "(update 3 then, 3 now, its resources differ)"},
		{"engine plan swapped", func(c *Current) { c.PlanHashes["aws"] = "h2" }, "prod-aws: the engine plan file plan.aws.plan.json is not the one saved"},
		{"engine plan missing", func(c *Current) { delete(c.PlanHashes, "aws") }, "is not the one saved"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := same()
			tc.edit(&cur)
			err := sum.Check("plan.json", cur)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var refused *RefusedError
			if !errors.As(err, &refused) || len(refused.Reasons) != 1 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want one reason with %q", err, tc.want)
			}
		})
	}
}

func TestWriteReadAndPlanFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if got := PlanFile(path, "aws"); got != filepath.Join(dir, "plan.aws.plan.json") {
		t.Errorf("PlanFile: %s", got)
	}
	delta := -42.5
	in := &Summary{Stack: "dev", Program: "p", Config: "c", Cost: &Cost{Currency: "USD", MonthlyLow: 100, MonthlyHigh: 120, Delta: &delta, Base: "the last deploy"}}
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.FormatVersion != FormatVersion || out.Stack != "dev" || *out.Cost.Delta != delta {
		t.Errorf("read back %+v", out)
	}
	if want := "  cost: 100–120 USD/month, -42 from the last deploy"; !strings.Contains(strings.Join(out.Lines(), "\n"), want) {
		t.Errorf("lines lack %q:\n%s", want, strings.Join(out.Lines(), "\n"))
	}
}
