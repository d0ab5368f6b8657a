package cost

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

var testNow = stacktest.Now

// stackGraph is the repository's dev or prod graph, evaluated once per
// test binary.
func stackGraph(t testing.TB, stack string) *plan.Graph {
	t.Helper()
	return stacktest.Graph(t, stack)
}

func defaults(t testing.TB, region, stack string) (*Catalogue, *Usage) {
	t.Helper()
	cat, err := LoadCatalogue(region, "")
	if err != nil {
		t.Fatal(err)
	}
	u, err := LoadUsage(stack, "")
	if err != nil {
		t.Fatal(err)
	}
	return cat, u
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.011 }

func TestDocumentConfigurationTotal(t *testing.T) {
	g := stackGraph(t, "prod")
	cat, u := defaults(t, "eu-west-1", "prod")
	e, err := Compute(g, cat, u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Err(); err != nil {
		t.Fatalf("prod has unpriced items: %v", err)
	}
	const h = 730.0
	// Hand-computed from the reference prices and the usage defaults.
	fixed := 0.10*h + // EKS control plane, standard support
		3*0.214*h + 3*50*0.088 + // 3x m5.xlarge on-demand + 50 GB gp3 roots
		3*0.048*h + 3*0.005*h + // 3 NAT gateways + their EIPs
		2*0.076*h + 50*0.254 + // db.t3.medium Multi-AZ + 50 GB gp3 Multi-AZ
		2*0.0252*h + // 2 ALBs (mlflow, grafana Ingresses), internal
		2*1.0 // 2 KMS keys
	// Training: c5 spot at its own 47-53% discount; all spot (low) or 80%
	// spot, 20% on-demand (high). GPU: g5.xlarge at 50-70% off, busy
	// hours plus one serving replica around the clock.
	serving := Range{h * 1.12 * 0.3, h * 1.12 * (0.8*0.5 + 0.2)}
	low := fixed + 150*0.768*0.47 + 150*100*0.088/h + // training: 150 node-h
		150*1.12*0.3 + 150*100*0.088/h + serving.Low + // gpu
		100*0.048 + 100*0.023 + 2*0.5*h*0.008 + // NAT GB, S3 GB, LCUs
		30.5*0.57 + 30.5*0.03 + 40*0.21 + 5*0.03 // logs in+stored (30 d), CI, KMS requests
	high := fixed + 250*0.768*(0.8*0.53+0.2) + 250*100*0.088/h +
		250*1.12*(0.8*0.5+0.2) + 250*100*0.088/h + serving.High +
		400*0.048 + 500*0.023 + 2*2*h*0.008 +
		82*0.57 + 82*0.03 + 100*0.21 + 30*0.03
	if math.Abs(e.Low-low) > 0.1 || math.Abs(e.High-high) > 0.1 {
		t.Errorf("prod total = %.2f-%.2f, hand-computed %.2f-%.2f", e.Low, e.High, low, high)
	}
	// The document counts no serving: without it, ours stays near its total.
	if l := e.Low - serving.Low; l < DocumentTotal.Low*0.9 || l > DocumentTotal.High*1.1 {
		t.Errorf("prod low without serving %.2f strays far from the document's %s", l, DocumentTotal.Text)
	}
}

func TestScaleToZeroCostsNothingAtZeroBusyHours(t *testing.T) {
	g := stackGraph(t, "prod")
	cat, u := defaults(t, "eu-west-1", "prod")
	u.BusyNodeHours = map[string]Range{"training": {}, "gpu": {}}
	u.ServingGpuReplicas = nil
	e, err := Compute(g, cat, u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, gt := range e.Groups() {
		if gt.Group != GroupTraining && gt.Group != GroupGPU {
			continue
		}
		if gt.Low != 0 || gt.High != 0 || gt.Unpriced {
			t.Errorf("%s = %.2f-%.2f (unpriced %v), want $0", gt.Group, gt.Low, gt.High, gt.Unpriced)
		}
	}
}

// TestServingIsPricedAroundTheClock: each GPU serving replica is its own
// line of 730 hours, whatever the busy hours of training.
func TestServingIsPricedAroundTheClock(t *testing.T) {
	g := stackGraph(t, "prod")
	cat, u := defaults(t, "eu-west-1", "prod")
	for _, c := range []struct {
		replicas map[string]float64
		want     Range
	}{
		{map[string]float64{"g5": 1}, Range{730 * 1.12 * 0.3, 730 * 1.12 * 0.6}},
		{map[string]float64{"g5": 2, "g6": 1}, Range{730 * (2*1.12 + 0.896) * 0.3, 730 * (2*1.12 + 0.896) * 0.6}},
		{nil, Range{}},
	} {
		u.BusyNodeHours = map[string]Range{"training": {}, "gpu": {}}
		u.ServingGpuReplicas = c.replicas
		e, err := Compute(g, cat, u, testNow)
		if err != nil {
			t.Fatal(err)
		}
		var got Range
		for _, l := range e.Lines {
			if strings.HasPrefix(l.Item, "serving ") {
				got.Low += l.Low
				got.High += l.High
			}
		}
		if math.Abs(got.Low-c.want.Low) > 0.05 || math.Abs(got.High-c.want.High) > 0.05 {
			t.Errorf("serving %v: %.2f-%.2f, want %.2f-%.2f", c.replicas, got.Low, got.High, c.want.Low, c.want.High)
		}
	}
}

func TestPriceOverrideFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string
		wantUSD       float64
		wantErr       bool
	}{
		{"override", "prices:\n  ec2/m5.xlarge: {usd: 0.3}\n", 0.3, false},
		{"same region", "region: eu-west-1\nprices:\n  ec2/m5.xlarge: {usd: 0.25, source: my invoice}\n", 0.25, false},
		{"other region", "region: us-east-1\nprices:\n  ec2/m5.xlarge: {usd: 0.3}\n", 0, true},
		{"negative", "prices:\n  ec2/m5.xlarge: {usd: -1}\n", 0, true},
		{"not yaml", "prices: [", 0, true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, string(rune('a'+i))+".yaml")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			cat, err := LoadCatalogue("eu-west-1", path)
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, _ := cat.Lookup("ec2/m5.xlarge")
			if p.USD != tc.wantUSD || p.Source == "" || p.Unit != "hour" {
				t.Errorf("price = %+v, want usd %g with a source and the built-in unit", p, tc.wantUSD)
			}
			if other, _ := cat.Lookup("ec2/m5.2xlarge"); other.USD != 0.428 {
				t.Errorf("untouched price changed: %+v", other)
			}
		})
	}
}

func TestCatalogues(t *testing.T) {
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		cat, _ := defaults(t, region, "prod")
		for k, p := range cat.Prices {
			if p.Source == "" || p.Date == "" || p.Confidence == "" || p.Unit == "" {
				t.Errorf("%s %s lacks source, date, confidence or unit: %+v", region, k, p)
			}
		}
	}
	if _, err := LoadCatalogue("mars-1", ""); err == nil {
		t.Error("unknown region: want an error")
	}
}

func TestUsageOverride(t *testing.T) {
	path := filepath.Join(t.TempDir(), "usage.yaml")
	content := "natGBProcessed: 1000\nbusyNodeHours:\n  gpu: {low: 1, high: 2}\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := LoadUsage("dev", path)
	if err != nil {
		t.Fatal(err)
	}
	if u.NatGBProcessed != (Range{1000, 1000}) || u.BusyNodeHours["gpu"] != (Range{1, 2}) {
		t.Errorf("override not applied: %+v", u)
	}
	if u.BusyNodeHours["training"] != (Range{20, 60}) {
		t.Errorf("dev stack default lost: %+v", u.BusyNodeHours)
	}
	if err := os.WriteFile(path, []byte("natGB: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadUsage("dev", path); err == nil {
		t.Error("unknown usage key: want an error")
	}
}

func TestCompareSaysWhy(t *testing.T) {
	cat, u := defaults(t, "eu-west-1", "prod")
	e, err := Compute(stackGraph(t, "prod"), cat, u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Compare(e) {
		if c.Group == GroupEKS && c.Verdict != "within" {
			t.Errorf("EKS control plane: %s, want within the document's $73", c.Verdict)
		}
		if c.Group == GroupGeneral && (c.Verdict != "above" || c.Why == "") {
			t.Errorf("general nodes: %q %q, want above with a reason", c.Verdict, c.Why)
		}
	}
}

func TestUnpricedIsNeverSilent(t *testing.T) {
	e := computeHand(t, "x9.mega", []any{"x9.mega", "m5.xlarge"})
	if !errors.Is(e.Err(), ErrUnpriced) || len(e.Unpriced) != 1 {
		t.Fatalf("want one unpriced item and ErrUnpriced, got %v %v", e.Unpriced, e.Err())
	}
	found := false
	for _, l := range e.Lines {
		if l.Unpriced && l.Group == GroupGeneral {
			found = true
		}
	}
	if !found {
		t.Error("no explicit unpriced line in General Nodes")
	}
}
