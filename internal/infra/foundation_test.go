package infra_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

func allChecks() []check {
	var all []check
	for _, set := range [][]check{keyDifferenceChecks(), securityChecks(), recoveryChecks(), foundationChecks(), computeChecks(), poolChecks(), dataChecks()} {
		all = append(all, set...)
	}
	return all
}

// TestStatementsHold asserts every check on the graph of each stack it covers.
func TestStatementsHold(t *testing.T) {
	for _, c := range allChecks() {
		for _, stack := range c.stacks {
			t.Run(stack+"/"+c.name, func(t *testing.T) {
				if err := c.fn(stacktest.Graph(t, stack)); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// TestChecksCatchViolations breaks each statement in a copy of the graph
// and proves its check then fails.
func TestChecksCatchViolations(t *testing.T) {
	for _, c := range allChecks() {
		t.Run(c.name, func(t *testing.T) {
			g := stacktest.Graph(t, c.stacks[0]).Clone()
			c.breakIt(g)
			if err := c.fn(g); err == nil {
				t.Error("the check passed on a graph that violates it")
			}
		})
	}
}

// recoveryChecks assert Disaster Recovery and Monitoring statements.
func recoveryChecks() []check {
	return []check{
		{"DR: artifact versioning enabled", []string{"prod"}, func(g *plan.Graph) error {
			v, err := artifact(g, typetoken.BucketVersioning)
			if err != nil {
				return err
			}
			return expect(v, "versioningConfiguration.status", "Enabled")
		}, func(g *plan.Graph) {
			set(g, typetoken.BucketVersioning, "", "versioningConfiguration.status", "Suspended")
		}},
		{"monitoring: every log group keeps 30 days in prod", []string{"prod"}, retention(30),
			func(g *plan.Graph) { set(g, tLogGroup, "logs-flow-logs", "retentionInDays", 0) }},
		{"monitoring: every log group keeps 7 days in dev", []string{"dev"}, retention(7),
			func(g *plan.Graph) { set(g, tLogGroup, "logs-cluster", "retentionInDays", 30) }},
		{"monitoring: all five control-plane logs into a pre-created group", both, controlPlaneLogs,
			func(g *plan.Graph) { set(g, tCluster, "", "enabledClusterLogTypes", []any{"api", "audit"}) }},
		{"monitoring: RDS log exports into pre-created groups", both, databaseLogs,
			func(g *plan.Graph) { drop(g, tLogGroup, "rds-upgrade") }},
	}
}

func retention(days int) func(g *plan.Graph) error {
	return func(g *plan.Graph) error { return expectAll(g, tLogGroup, "retentionInDays", days) }
}

func controlPlaneLogs(g *plan.Graph) error {
	c, err := only(g, tCluster)
	if err != nil {
		return err
	}
	if err := expect(c, "enabledClusterLogTypes", "[api audit authenticator controllerManager scheduler]"); err != nil {
		return err
	}
	name := fmt.Sprint(c.Inputs["name"])
	for _, lg := range g.ByType(tLogGroup) {
		if lg.Inputs["name"] == "/aws/eks/"+name+"/cluster" {
			if !g.DependsOn(c.URN, lg.URN) {
				return fmt.Errorf("the cluster does not wait for its log group")
			}
			return nil
		}
	}
	return fmt.Errorf("log group /aws/eks/%s/cluster is not pre-created", name)
}

func databaseLogs(g *plan.Graph) error {
	db, err := only(g, tDB)
	if err != nil {
		return err
	}
	ident := fmt.Sprint(db.Inputs["identifier"])
	for _, e := range stacktest.Strings(db.Inputs["enabledCloudwatchLogsExports"]) {
		if !hasLogGroup(g, "/aws/rds/instance/"+ident+"/"+e) {
			return fmt.Errorf("RDS exports %s but its log group is not pre-created", e)
		}
	}
	return expect(db, "enabledCloudwatchLogsExports", "[postgresql upgrade]")
}

// foundationChecks assert the network and cluster items of the foundation.
func foundationChecks() []check {
	return []check{
		{"VPC with DNS support and hostnames", both, func(g *plan.Graph) error {
			v, err := only(g, tVpc)
			if err != nil {
				return err
			}
			if err := expect(v, "enableDnsSupport", true); err != nil {
				return err
			}
			return expect(v, "enableDnsHostnames", true)
		}, func(g *plan.Graph) { set(g, tVpc, "", "enableDnsHostnames", false) }},
		{"default security group stripped of rules", both, func(g *plan.Graph) error {
			sg, err := only(g, typetoken.DefaultSecurityGroup)
			if err != nil {
				return err
			}
			if err := expect(sg, "ingress", "[]"); err != nil {
				return err
			}
			return expect(sg, "egress", "[]")
		}, func(g *plan.Graph) {
			set(g, typetoken.DefaultSecurityGroup, "", "ingress", []any{map[string]any{"protocol": "-1"}})
		}},
		{"flow logs: ALL traffic into the KMS-encrypted group", both, func(g *plan.Graph) error {
			fl, err := only(g, typetoken.FlowLog)
			if err != nil {
				return err
			}
			if err := expect(fl, "trafficType", "ALL"); err != nil {
				return err
			}
			for _, lg := range g.ByType(tLogGroup) {
				if strings.HasSuffix(fmt.Sprint(fl.Inputs["logDestination"]), fmt.Sprint(lg.Inputs["name"])) {
					return usesOwnKey(g, lg, "kmsKeyId")
				}
			}
			return fmt.Errorf("flow logs go to %v, not a platform log group", fl.Inputs["logDestination"])
		}, func(g *plan.Graph) { set(g, typetoken.FlowLog, "", "trafficType", "REJECT") }},
		{"private route tables: one per AZ, default route via the NAT of the same AZ", []string{"prod"}, privateRouting,
			func(g *plan.Graph) {
				set(g, tRoute, "network-private-eu-west-1c-default", "natGatewayId", g.ByType(tNAT)[0].ID)
			}},
		{"private route tables: dev routes through the single NAT", []string{"dev"}, privateRouting,
			func(g *plan.Graph) { set(g, tRoute, "network-private-eu-west-1b-default", "natGatewayId", nil) }},
		{"S3 gateway endpoint on every private route table", both, s3Endpoint,
			func(g *plan.Graph) { set(g, typetoken.VpcEndpoint, "", "routeTableIds", []any{}) }},
		{"cluster: API authentication, STANDARD support, supported version", both, func(g *plan.Graph) error {
			c, err := only(g, tCluster)
			if err != nil {
				return err
			}
			for path, want := range map[string]any{
				"accessConfig.authenticationMode": "API",
				"upgradePolicy.supportType":       "STANDARD",
				"version":                         "1.35",
			} {
				if err := expect(c, path, want); err != nil {
					return err
				}
			}
			return nil
		}, func(g *plan.Graph) { set(g, tCluster, "", "accessConfig.authenticationMode", "CONFIG_MAP") }},
		{"add-ons: VPC CNI enforces network policy; core add-ons present", both, addonsInstalled,
			func(g *plan.Graph) { set(g, tAddon, "addons-vpc-cni", "configurationValues", nil) }},
		{"tags: default tags on the provider every AWS resource uses", both, defaultTags,
			func(g *plan.Graph) { set(g, tProvider, "", "defaultTags.tags", map[string]any{"Project": "x"}) }},
	}
}

func privateRouting(g *plan.Graph) error {
	nats := map[string]string{} // NAT ID -> zone of its subnet
	zoneOfSubnet := map[string]string{}
	for _, s := range g.ByType(tSubnet) {
		zoneOfSubnet[s.ID] = fmt.Sprint(s.Inputs["availabilityZone"])
	}
	for _, n := range g.ByType(tNAT) {
		nats[n.ID] = zoneOfSubnet[fmt.Sprint(n.Inputs["subnetId"])]
	}
	count := 0
	for _, r := range g.ByType(tRoute) {
		if !strings.Contains(r.Name, "-private-") {
			continue
		}
		count++
		zone, ok := nats[fmt.Sprint(r.Inputs["natGatewayId"])]
		if !ok {
			return fmt.Errorf("%s does not route through a NAT gateway", r.Name)
		}
		if len(nats) > 1 && !strings.Contains(r.Name, zone) {
			return fmt.Errorf("%s leaves through the NAT in %s", r.Name, zone)
		}
	}
	if count != 3 {
		return fmt.Errorf("%d private default routes, want one per AZ (3)", count)
	}
	return nil
}

func s3Endpoint(g *plan.Graph) error {
	ep, err := only(g, typetoken.VpcEndpoint)
	if err != nil {
		return err
	}
	if err := expect(ep, "vpcEndpointType", "Gateway"); err != nil {
		return err
	}
	if err := expect(ep, "serviceName", "com.amazonaws.eu-west-1.s3"); err != nil {
		return err
	}
	tables := map[string]bool{}
	for _, id := range stacktest.Strings(ep.Inputs["routeTableIds"]) {
		tables[id] = true
	}
	for _, rt := range g.ByType(typetoken.RouteTable) {
		if strings.Contains(rt.Name, "-private-") && !tables[rt.ID] {
			return fmt.Errorf("private route table %s lacks the S3 endpoint", rt.Name)
		}
	}
	return nil
}

func addonsInstalled(g *plan.Graph) error {
	got := map[string]plan.Resource{}
	for _, a := range g.ByType(tAddon) {
		got[fmt.Sprint(a.Inputs["addonName"])] = a
	}
	for _, name := range []string{"vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"} {
		if _, ok := got[name]; !ok {
			return fmt.Errorf("add-on %s missing", name)
		}
	}
	if err := expect(got["vpc-cni"], "configurationValues", `{"enableNetworkPolicy":"true"}`); err != nil {
		return err
	}
	role := fmt.Sprint(got["aws-ebs-csi-driver"].Inputs["serviceAccountRoleArn"])
	if !strings.HasSuffix(role, ":role/irsa-ebs-csi") {
		return fmt.Errorf("EBS CSI driver role is %s, want its own IRSA role", role)
	}
	return nil
}

func defaultTags(g *plan.Graph) error {
	p, err := only(g, tProvider)
	if err != nil {
		return err
	}
	tags, _ := p.Input("defaultTags.tags")
	m, _ := tags.(map[string]any)
	for _, k := range []string{"Environment", "Project", "CostCenter", "Criticality", "ManagedBy"} {
		if m[k] == nil || m[k] == "" {
			return fmt.Errorf("default tag %s missing", k)
		}
	}
	for _, r := range g.Resources {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") && r.Provider != p.URN {
			return fmt.Errorf("%s uses provider %q, not the tagged one", r.URN, r.Provider)
		}
	}
	return nil
}
