package cost

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// handGraph is a small graph whose costs are easy to compute by hand.
func handGraph(generalTypes []any) *plan.Graph {
	urn := func(typ, name string) string { return "urn:pulumi:t::p::" + typ + "::" + name }
	return &plan.Graph{Stack: "t", Resources: []plan.Resource{
		{URN: urn(typetoken.Cluster, "c"), Type: typetoken.Cluster, Custom: true, Inputs: map[string]any{
			"version": "1.35", "upgradePolicy": map[string]any{"supportType": "STANDARD"}}},
		{URN: urn(typetoken.LaunchTemplate, "lt"), Type: typetoken.LaunchTemplate, Custom: true, ID: "lt-1", Inputs: map[string]any{
			"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"volumeSize": int64(40), "volumeType": "gp3"}}}}},
		{URN: urn(typetoken.NodeGroup, "general"), Type: typetoken.NodeGroup, Custom: true, Inputs: map[string]any{
			"nodeGroupName": "general", "instanceTypes": generalTypes, "capacityType": "ON_DEMAND",
			"launchTemplate": map[string]any{"id": "lt-1"},
			"scalingConfig":  map[string]any{"minSize": int64(2), "desiredSize": int64(2), "maxSize": int64(4)}}},
		{URN: urn(typetoken.NodeGroup, "training"), Type: typetoken.NodeGroup, Custom: true, Inputs: map[string]any{
			"nodeGroupName": "training", "instanceTypes": []any{"c5.4xlarge"}, "capacityType": "SPOT", "diskSize": int64(100),
			"scalingConfig": map[string]any{"minSize": int64(0), "desiredSize": int64(0), "maxSize": int64(4)}}},
		{URN: urn(typetoken.Eip, "e1"), Type: typetoken.Eip, Custom: true, ID: "eip-1"},
		{URN: urn(typetoken.Eip, "e2"), Type: typetoken.Eip, Custom: true, ID: "eip-2"},
		{URN: urn(typetoken.NatGateway, "n1"), Type: typetoken.NatGateway, Custom: true, Inputs: map[string]any{"allocationId": "eip-1"}},
		{URN: urn(typetoken.DBInstance, "db"), Type: typetoken.DBInstance, Custom: true, Inputs: map[string]any{
			"instanceClass": "db.t3.medium", "engine": "postgres", "multiAz": true, "allocatedStorage": int64(20), "storageType": "gp3"}},
	}}
}

var handCatalogue = Catalogue{Region: "test-1", Currency: "USD", Prices: map[string]Price{
	"eks/standard": {USD: 0.1}, "ec2/m5.xlarge": {USD: 0.2}, "ec2/c5.4xlarge": {USD: 1.0}, "ebs/gp3": {USD: 0.1},
	"nat/hour": {USD: 0.05}, "nat/gb": {USD: 0.05}, "ipv4/hour": {USD: 0.005},
	"rds/postgres/db.t3.medium": {USD: 0.1}, "rds/gp3": {USD: 0.1},
}}

var handUsage = Usage{HoursPerMonth: 730, SpotDiscount: Range{0.5, 0.7},
	BusyNodeHours: map[string]Range{"training": {100, 200}}, NatGBProcessed: Range{100, 200}}

func computeHand(t *testing.T, first string, types []any) *Estimate {
	t.Helper()
	cat, u := handCatalogue, handUsage
	e, err := Compute(handGraph(types), &cat, &u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLineArithmetic(t *testing.T) {
	e := computeHand(t, "m5.xlarge", []any{"m5.xlarge"})
	type key struct{ group, item string }
	got := map[key]Line{}
	for _, l := range e.Lines {
		got[key{l.Group, l.Item}] = l
	}
	tests := []struct {
		group, item string
		low, high   float64
	}{
		{GroupEKS, "control plane", 73, 73},              // 0.1 x 730
		{GroupGeneral, "m5.xlarge instances", 292, 292},  // 2 x 730 x 0.2
		{GroupGeneral, "root volumes", 8, 8},             // 2 x 40 GB x 0.1
		{GroupTraining, "c5.4xlarge instances", 30, 100}, // 100 x 1.0 x 0.3; 200 x 1.0 x 0.5
		{GroupTraining, "root volumes", 1.37, 2.74},      // 100 GB x 0.1 x 100/730; x 200/730
		{GroupNAT, "NAT gateway hours", 36.5, 36.5},      // 1 x 730 x 0.05
		{GroupNAT, "NAT data processed", 5, 10},          // 100-200 GB x 0.05
		{GroupNAT, "NAT Elastic IPs", 3.65, 3.65},        // 1 x 730 x 0.005
		{GroupOther, "other Elastic IPs", 3.65, 3.65},    // the unattached EIP
		{GroupRDS, "instance", 146, 146},                 // 2 x 730 x 0.1 (Multi-AZ)
		{GroupRDS, "storage", 4, 4},                      // 20 GB x 0.1 x 2 (no Multi-AZ price)
	}
	for _, tc := range tests {
		t.Run(tc.group+"/"+tc.item, func(t *testing.T) {
			l, ok := got[key{tc.group, tc.item}]
			if !ok {
				t.Fatalf("no line; have %v", e.Lines)
			}
			if !near(l.Low, tc.low) || !near(l.High, tc.high) {
				t.Errorf("= %.2f-%.2f, want %.2f-%.2f", l.Low, l.High, tc.low, tc.high)
			}
		})
	}
	if want := 73 + 292 + 8 + 30 + 1.37 + 36.5 + 5 + 3.65 + 3.65 + 146 + 4; !near(e.Low, want) {
		t.Errorf("total low = %.2f, want %.2f", e.Low, want)
	}
}

func BenchmarkEstimate(b *testing.B) {
	g := stackGraph(b, "prod")
	cat, u := defaults(b, "eu-west-1", "prod")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compute(g, cat, u, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
