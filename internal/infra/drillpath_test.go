package infra_test

import (
	"fmt"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestBastionReachesARestoredDatabase (review N5): the DR drill forwards
// 5432 through the bastion to a restored instance, which copies the
// database's security groups. So with the bastion, the database's group
// admits the bastion's on 5432, and the bastion's egress allows 5432 into
// the VPC's CIDR and nowhere else; without the bastion neither exists.
func TestBastionReachesARestoredDatabase(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	sg, _ := stacktest.Named(g, "aws:ec2/securityGroup:SecurityGroup", "bastion-sg")
	if got := postgresEgress(sg); len(got) != 1 || got[0] != "10.100.0.0/16" {
		t.Errorf("the bastion's 5432 egress goes to %v, want exactly the VPC 10.100.0.0/16", got)
	}
	if n := admitsOnPostgres(g, sg.ID); n != 1 {
		t.Errorf("%d rules admit the bastion's group to the database on 5432, want 1", n)
	}
	without := stacktest.Evaluate(t, "prod", "bastion.enabled=false", "clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]")
	if n := admitsOnPostgres(without, ""); n != 0 {
		t.Errorf("without the bastion, %d rules admit a group to the database on 5432 beyond the cluster's", n)
	}
}

// postgresEgress lists the CIDRs the group's inline egress opens on 5432.
func postgresEgress(sg plan.Resource) []string {
	var out []string
	rules, _ := sg.Inputs["egress"].([]any)
	for _, r := range rules {
		m, _ := r.(map[string]any)
		if fmt.Sprint(m["fromPort"]) == "5432" {
			out = append(out, plan.StringList(m["cidrBlocks"])...)
		}
	}
	return out
}

// admitsOnPostgres counts the database's 5432 ingress rules referencing
// group (any group but the cluster's when group is "").
func admitsOnPostgres(g *plan.Graph, group string) int {
	n := 0
	for _, r := range g.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		if r.Name == "database-from-bastion" && (group == "" || r.String("referencedSecurityGroupId") == group) && fmt.Sprint(r.Inputs["fromPort"]) == "5432" {
			n++
		}
	}
	return n
}
