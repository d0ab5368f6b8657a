package infra_test

// Who reaches the cluster and with what rights: access entries, the
// private endpoint through the bastion, and least-privilege nodes.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestAccessEntries: every admin is an explicit entry, the
// deployer resolved from its assumed-role session, each principal once.
func TestAccessEntries(t *testing.T) {
	c := stacktest.One(t, stacktest.Graph(t, "prod"), tCluster)
	if err := expect(c, "accessConfig.bootstrapClusterCreatorAdminPermissions", false); err != nil {
		t.Error(err)
	}
	admin := "arn:aws:iam::" + engine.AccountID + ":role/platform-admin"
	g := stacktest.Evaluate(t, "prod", "clusterAdminPrincipals=["+engine.DeployerRole+", "+admin+"]")
	var principals []string
	for _, e := range g.ByType(typetoken.AccessEntry) {
		if e.Inputs["type"] == "EC2_LINUX" {
			continue // Karpenter's node role (nodepools_test.go)
		}
		principals = append(principals, fmt.Sprint(e.Inputs["principalArn"]))
	}
	slices.Sort(principals)
	if want := []string{admin, engine.DeployerRole}; !slices.Equal(principals, want) {
		t.Errorf("access entries for %v, want %v (deployer once, no STS session ARN)", principals, want)
	}
	for _, a := range g.ByType(typetoken.AccessPolicyAssociation) {
		if err := expect(a, "policyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"); err != nil {
			t.Error(err)
		}
	}
}

// TestDeployerEntryFixedBySpec (review N14): with
// clusterDeployerPrincipal set, the deployer's access entry is that
// principal's whoever runs the deploy, so a deploy run by another
// principal (here the engine's caller) neither adds its own entry nor
// deletes the fixed one; unset, the entry follows the caller.
func TestDeployerEntryFixedBySpec(t *testing.T) {
	fixed := "arn:aws:iam::" + engine.AccountID + ":role/ci/platform-deployer"
	for _, c := range []struct {
		name string
		sets []string
		want []string
	}{
		{"unset: the caller", nil, []string{engine.DeployerRole}},
		{"set: the fixed principal", []string{"clusterDeployerPrincipal=" + fixed}, []string{fixed}},
		{"set and also an admin: once", []string{"clusterDeployerPrincipal=" + fixed, "clusterAdminPrincipals=[" + fixed + "]"}, []string{fixed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := stacktest.Evaluate(t, "prod", c.sets...)
			var principals []string
			for _, e := range g.ByType(typetoken.AccessEntry) {
				if e.Inputs["type"] != "EC2_LINUX" {
					principals = append(principals, fmt.Sprint(e.Inputs["principalArn"]))
				}
			}
			slices.Sort(principals)
			if !slices.Equal(principals, c.want) {
				t.Errorf("access entries for %v, want %v", principals, c.want)
			}
		})
	}
}

// TestPrivateEndpointReachable: the bastion is SSM-only and its
// group, like configured networks and groups, is admitted on 443.
func TestPrivateEndpointReachable(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	b := stacktest.One(t, g, typetoken.EC2Instance)
	for path, want := range map[string]any{
		"associatePublicIpAddress": false, "metadataOptions.httpTokens": "required", "ami": engine.AmiID,
	} {
		if err := expect(b, path, want); err != nil {
			t.Error(err)
		}
	}
	if _, ok := privateSubnetIDs(g)[fmt.Sprint(b.Inputs["subnetId"])]; !ok {
		t.Errorf("the bastion is in subnet %v, not a private one", b.Inputs["subnetId"])
	}
	if b.Inputs["keyName"] != nil {
		t.Error("the bastion has an SSH key")
	}
	sg, _ := stacktest.Named(g, "aws:ec2/securityGroup:SecurityGroup", "bastion-sg")
	if in, _ := sg.Inputs["ingress"].([]any); len(in) != 0 {
		t.Errorf("the bastion admits %v", in)
	}
	profileRole := false
	for _, a := range g.ByType(typetoken.RolePolicyAttachment) {
		if a.Name == "bastion-ssm" && a.Inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" {
			profileRole = true
		}
	}
	if !profileRole {
		t.Error("the bastion's role lacks AmazonSSMManagedInstanceCore")
	}
	rules := apiRules(stacktest.Evaluate(t, "prod", "clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]",
		"clusterEndpointPrivateAccessSecurityGroups=["+engine.SecurityGroupID+"]"))
	for _, want := range []string{"cidr 10.200.0.0/16", "sg " + engine.SecurityGroupID, "sg " + sg.ID} {
		if !slices.Contains(rules, want) {
			t.Errorf("no 443 rule on the cluster security group for %s (rules: %v)", want, rules)
		}
	}
	if rules := apiRules(stacktest.Evaluate(t, "prod", "bastion.enabled=false", "clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]")); len(rules) != 1 {
		t.Errorf("without the bastion, want only the VPN rule, got %v", rules)
	}
}

// apiRules lists the 443 rules on the cluster security group as
// "cidr X" or "sg Y", each with a description.
func apiRules(g *plan.Graph) []string {
	var out []string
	for _, r := range g.ByType(typetoken.SecurityGroupIngressRule) {
		if !strings.HasPrefix(r.Name, "cluster-api-from-") || fmt.Sprint(r.Inputs["fromPort"]) != "443" || r.Inputs["description"] == nil {
			continue
		}
		if c := r.Inputs["cidrIpv4"]; c != nil {
			out = append(out, fmt.Sprint("cidr ", c))
		}
		if s := r.Inputs["referencedSecurityGroupId"]; s != nil {
			out = append(out, fmt.Sprint("sg ", s))
		}
	}
	return out
}

// TestLeastPrivilegeNodes: the CNI has its own role, SSM is
// opt-in, and launch templates never ask for a public address.
func TestLeastPrivilegeNodes(t *testing.T) {
	nodePolicies := func(g *plan.Graph) []string {
		var out []string
		for _, a := range g.ByType(typetoken.RolePolicyAttachment) {
			if strings.HasPrefix(a.Name, "nodes-node-") {
				p := fmt.Sprint(a.Inputs["policyArn"])
				out = append(out, p[strings.LastIndex(p, "/")+1:])
			}
		}
		return out
	}
	g := stacktest.Graph(t, "prod")
	if p := nodePolicies(g); slices.Contains(p, "AmazonEKS_CNI_Policy") || slices.Contains(p, "AmazonSSMManagedInstanceCore") {
		t.Errorf("node role has %v; want neither the CNI policy nor SSM by default", p)
	}
	if p := nodePolicies(stacktest.Evaluate(t, "prod", "nodeSsmAccess=true")); !slices.Contains(p, "AmazonSSMManagedInstanceCore") {
		t.Errorf("nodeSsmAccess=true: node role has %v", p)
	}
	cni, err := stacktest.Named(g, tAddon, "addons-vpc-cni")
	if err != nil {
		t.Fatal(err)
	}
	if role := fmt.Sprint(cni.Inputs["serviceAccountRoleArn"]); !strings.HasSuffix(role, ":role/irsa-vpc-cni") {
		t.Errorf("vpc-cni runs with role %s, want its own IRSA role", role)
	}
	for _, lt := range g.ByType(tLT) {
		if err := expect(lt, "networkInterfaces[0].associatePublicIpAddress", "false"); err != nil {
			t.Error(err)
		}
		if _, ok := lt.Input("networkInterfaces[0].subnetId"); ok {
			t.Errorf("%s names a subnet, which EKS forbids in a managed group's launch template", lt.Name)
		}
	}
}
