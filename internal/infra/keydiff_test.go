package infra_test

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// keyDifferenceChecks assert every row of the document's Key Differences
// table on the evaluated graph, per stack.
func keyDifferenceChecks() []check {
	return []check{
		{"endpoint: prod private only", []string{"prod"}, func(g *plan.Graph) error {
			c, err := only(g, tCluster)
			if err != nil {
				return err
			}
			if err := expect(c, "vpcConfig.endpointPrivateAccess", true); err != nil {
				return err
			}
			return expect(c, "vpcConfig.endpointPublicAccess", false)
		}, func(g *plan.Graph) { set(g, tCluster, "", "vpcConfig.endpointPublicAccess", true) }},
		{"endpoint: dev public + private with CIDRs", []string{"dev"}, func(g *plan.Graph) error {
			c, err := only(g, tCluster)
			if err != nil {
				return err
			}
			if err := expect(c, "vpcConfig.endpointPrivateAccess", true); err != nil {
				return err
			}
			if err := expect(c, "vpcConfig.endpointPublicAccess", true); err != nil {
				return err
			}
			return expect(c, "vpcConfig.publicAccessCidrs", "[203.0.113.0/24]")
		}, func(g *plan.Graph) { set(g, tCluster, "", "vpcConfig.publicAccessCidrs", []any{"0.0.0.0/0"}) }},
		{"node count: prod 3 min", []string{"prod"}, generalField("scalingConfig.minSize", 3),
			func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "scalingConfig.minSize", 2) }},
		{"node count: dev 2 min", []string{"dev"}, generalField("scalingConfig.minSize", 2),
			func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "scalingConfig.minSize", 1) }},
		{"instance types: prod m5.xlarge and same-shape alternatives", []string{"prod"}, generalField("instanceTypes", "[m5.xlarge m5a.xlarge m6i.xlarge]"),
			func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "instanceTypes", []any{"t3.large"}) }},
		{"instance types: dev t3.large", []string{"dev"}, generalField("instanceTypes", "[t3.large]"),
			func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "instanceTypes", []any{"m5.xlarge"}) }},
		{"NAT: prod one per AZ, each in its own zone with its own EIP", []string{"prod"}, natPerAZ,
			func(g *plan.Graph) { set(g, tNAT, "", "subnetId", "subnet-same") }},
		{"NAT: dev single", []string{"dev"}, func(g *plan.Graph) error {
			if n := len(g.ByType(tNAT)); n != 1 {
				return fmt.Errorf("dev has %d NAT gateways, want 1", n)
			}
			return nil
		}, func(g *plan.Graph) { g.Resources = append(g.Resources, g.ByType(tNAT)[0]) }},
		{"RDS Multi-AZ: prod yes", []string{"prod"}, dbField("multiAz", true), func(g *plan.Graph) { set(g, tDB, "", "multiAz", false) }},
		{"RDS Multi-AZ: dev no", []string{"dev"}, dbField("multiAz", false), func(g *plan.Graph) { set(g, tDB, "", "multiAz", true) }},
		{"RDS backups: prod 7 days", []string{"prod"}, dbField("backupRetentionPeriod", 7), func(g *plan.Graph) { set(g, tDB, "", "backupRetentionPeriod", 1) }},
		{"RDS backups: dev 1 day", []string{"dev"}, dbField("backupRetentionPeriod", 1), func(g *plan.Graph) { set(g, tDB, "", "backupRetentionPeriod", 0) }},
		{"deletion protection: prod yes, with final snapshot and engine protection", []string{"prod"}, prodDeletionProtection,
			func(g *plan.Graph) { set(g, tDB, "", "skipFinalSnapshot", true) }},
		{"deletion protection: dev no", []string{"dev"}, dbField("deletionProtection", false), func(g *plan.Graph) { set(g, tDB, "", "deletionProtection", true) }},
		{"container insights: prod enabled with its log groups", []string{"prod"}, containerInsightsOn,
			func(g *plan.Graph) { drop(g, tAddon, "amazon-cloudwatch-observability") }},
		{"container insights: dev off (optional)", []string{"dev"}, func(g *plan.Graph) error {
			if r := plan.KeyDifferences(g)[7]; r.Value != "Disabled" {
				return fmt.Errorf("dev container insights = %s", r.Value)
			}
			return nil
		}, func(g *plan.Graph) { set(g, tAddon, "addons-coredns", "addonName", "amazon-cloudwatch-observability") }},
	}
}

func generalField(path string, want any) func(g *plan.Graph) error {
	return func(g *plan.Graph) error {
		ng, ok := plan.NodeGroup(g, "general")
		if !ok {
			return fmt.Errorf("no general node group")
		}
		return expect(ng, path, want)
	}
}

func dbField(path string, want any) func(g *plan.Graph) error {
	return func(g *plan.Graph) error {
		db, err := only(g, tDB)
		if err != nil {
			return err
		}
		return expect(db, path, want)
	}
}

func natPerAZ(g *plan.Graph) error {
	nats := g.ByType(tNAT)
	if len(nats) != 3 {
		return fmt.Errorf("%d NAT gateways, want 3", len(nats))
	}
	subnets, eips := map[string]bool{}, map[string]bool{}
	for _, n := range nats {
		subnets[fmt.Sprint(n.Inputs["subnetId"])] = true
		eips[fmt.Sprint(n.Inputs["allocationId"])] = true
	}
	if len(subnets) != 3 || len(eips) != 3 {
		return fmt.Errorf("NATs share subnets (%d distinct) or EIPs (%d distinct)", len(subnets), len(eips))
	}
	if n := len(g.ByType(tEIP)); n != 3 {
		return fmt.Errorf("%d EIPs, want 3", n)
	}
	return nil
}

func prodDeletionProtection(g *plan.Graph) error {
	db, err := only(g, tDB)
	if err != nil {
		return err
	}
	for path, want := range map[string]any{"deletionProtection": true, "skipFinalSnapshot": false} {
		if err := expect(db, path, want); err != nil {
			return err
		}
	}
	if snap := fmt.Sprint(db.Inputs["finalSnapshotIdentifier"]); !strings.HasPrefix(snap, "mlops-platform-prod-mlflow-final-") {
		return fmt.Errorf("finalSnapshotIdentifier %q, want mlops-platform-prod-mlflow-final-<key>", snap)
	}
	if !db.Protect {
		return fmt.Errorf("the prod database is not protected against deletion by the engine")
	}
	return nil
}

func containerInsightsOn(g *plan.Graph) error {
	var found bool
	for _, a := range g.ByType(tAddon) {
		if a.Inputs["addonName"] == "amazon-cloudwatch-observability" {
			found = true
			if a.Inputs["serviceAccountRoleArn"] == nil {
				return fmt.Errorf("the observability add-on has no IRSA role")
			}
		}
	}
	if !found {
		return fmt.Errorf("amazon-cloudwatch-observability is not installed")
	}
	for _, suffix := range []string{"application", "dataplane", "host", "performance"} {
		want := "/aws/containerinsights/mlops-platform-prod/" + suffix
		if !hasLogGroup(g, want) {
			return fmt.Errorf("log group %s is not pre-created", want)
		}
	}
	return nil
}

func hasLogGroup(g *plan.Graph, name string) bool {
	for _, lg := range g.ByType(tLogGroup) {
		if lg.Inputs["name"] == name {
			return true
		}
	}
	return false
}
