package cost

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestPurchasesProd: the Savings Plan covers the always-on on-demand
// general nodes only (not the spot groups), the reservation the RDS
// instance hours only (not storage), and 3-year no-upfront RDS is not sold.
func TestPurchasesProd(t *testing.T) {
	g := stackGraph(t, "prod")
	cat, u := defaults(t, "eu-west-1", "prod")
	e, err := Compute(g, cat, u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	ps := Purchases(e, cat)
	want := map[string]float64{
		"computesp/1y-no-upfront": 3 * 0.214 * 730 * 0.27,
		"computesp/3y-no-upfront": 3 * 0.214 * 730 * 0.45,
		"rdsri/1y-no-upfront":     2 * 0.076 * 730 * 0.30,
		"rdsri/3y-no-upfront":     0,
	}
	for _, p := range ps {
		w, ok := want[p.Key]
		if !ok || math.Abs(p.Saved-w) > 0.02 {
			t.Errorf("%s saves %.2f, want %.2f", p.Key, p.Saved, w)
		}
		if p.Key == "rdsri/3y-no-upfront" && p.Offered {
			t.Errorf("%s offered", p.Key)
		}
	}
	best := BestPurchases(ps)
	if len(best) != 2 || best[0].Key != "computesp/3y-no-upfront" || best[1].Key != "rdsri/1y-no-upfront" {
		t.Errorf("best purchases %+v", best)
	}
}

// TestCommitmentOverride: a prices file's commitments section replaces a
// rate, attributed to the file; a fraction of 1 or more is refused.
func TestCommitmentOverride(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("commitments:\n  computesp/1y-no-upfront: {fraction: 0.3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogue("eu-west-1", good)
	if err != nil {
		t.Fatal(err)
	}
	if d := cat.Commitments["computesp/1y-no-upfront"]; d.Fraction != 0.3 || d.Source != "override: "+good {
		t.Errorf("override gave %+v", d)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("commitments:\n  computesp/1y-no-upfront: {fraction: 1.2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCatalogue("eu-west-1", bad); err == nil {
		t.Error("fraction 1.2 accepted")
	}
}

// TestSummarize: the outcome subtracts the purchases from the combined
// variant and meets the goal only when both ends reach it and it is green.
func TestSummarize(t *testing.T) {
	base := &Estimate{Low: 1000, High: 1200}
	c := &Combined{Saving: Saving{NewLow: 900, NewHigh: 1100, Guardrails: &GuardrailVerdict{Green: true}}}
	o := Summarize(base, c, []Purchase{{Saved: 100}, {Saved: 50}})
	if o.NewLow != 750 || o.NewHigh != 950 || math.Abs(o.OffLow-0.25) > 1e-9 || o.Met {
		t.Errorf("outcome %+v: high end is %.1f%% off, below the goal", o, o.OffHigh*100)
	}
	o = Summarize(base, c, []Purchase{{Saved: 200}})
	if !o.Met {
		t.Errorf("outcome %+v, want met", o)
	}
	c.Guardrails.Green = false
	if o = Summarize(base, c, []Purchase{{Saved: 200}}); o.Met || o.Green {
		t.Errorf("outcome %+v met with red guardrails", o)
	}
}
