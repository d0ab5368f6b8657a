package infra_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Resource types of the AWS-layer items of issue 9.
const (
	tAccessEntry = typetoken.AccessEntry
	tAccessPol   = typetoken.AccessPolicyAssociation
	tIngressRule = typetoken.SecurityGroupIngressRule
	tInstance    = typetoken.EC2Instance
	tAttachment  = typetoken.RolePolicyAttachment
	tFlowLog     = typetoken.FlowLog
)

// TestNodeGroupNamesSurviveReplacement (item 6): changing the instance
// types replaces a group, and Pulumi creates the replacement first; a
// fixed EKS name would collide, a prefixed one cannot.
func TestNodeGroupNamesSurviveReplacement(t *testing.T) {
	before := stacktest.Graph(t, "prod")
	after := stacktest.Evaluate(t, "prod", "nodeGroups.general.instanceTypes=[m6i.xlarge]")
	for _, g := range []*plan.Graph{before, after} {
		for _, ng := range g.ByType(tNodeGroup) {
			if n, ok := ng.Inputs["nodeGroupName"]; ok {
				t.Errorf("%s fixes its EKS name %v: its replacement would collide with it", ng.Name, n)
			}
			prefix, _ := ng.Inputs["nodeGroupNamePrefix"].(string)
			if !strings.HasSuffix(prefix, "-") || plan.NodeGroupName(ng) == "" {
				t.Errorf("%s: nodeGroupNamePrefix %q, want <group>-", ng.Name, prefix)
			}
		}
	}
	old, _ := plan.NodeGroup(before, "general")
	replacement, _ := plan.NodeGroup(after, "general")
	if fmt.Sprint(old.Inputs["instanceTypes"]) == fmt.Sprint(replacement.Inputs["instanceTypes"]) {
		t.Fatal("the override did not change the general group")
	}
}

// TestUpgradesReachNodesAndAddons (item 7): node groups carry the cluster's
// version and pinned add-ons change with the minor.
func TestUpgradesReachNodesAndAddons(t *testing.T) {
	for _, v := range []string{"1.35", "1.34"} {
		g := stacktest.Evaluate(t, "prod", "kubernetesVersion="+v)
		for _, ng := range g.ByType(tNodeGroup) {
			if err := expect(ng, "version", v); err != nil {
				t.Error(err)
			}
		}
		for _, a := range g.ByType(tAddon) {
			name := fmt.Sprint(a.Inputs["addonName"])
			want, pinned := spec.AddonVersions[v][name]
			got, set := a.Inputs["addonVersion"]
			switch {
			case pinned && fmt.Sprint(got) != want:
				t.Errorf("%s on %s: addonVersion %v, want %s", name, v, got, want)
			case !pinned:
				t.Errorf("%s on %s has no reviewed version (set: %v)", name, v, set)
			}
		}
	}
}

// TestDatabaseUpgradesAndOrdering (items 7 and 10).
func TestDatabaseUpgradesAndOrdering(t *testing.T) {
	for stack, immediately := range map[string]bool{"prod": false, "dev": true} {
		db := stacktest.One(t, stacktest.Graph(t, stack), tDB)
		if err := expect(db, "allowMajorVersionUpgrade", true); err != nil {
			t.Error(err)
		}
		if err := expect(db, "applyImmediately", immediately); err != nil {
			t.Error(err)
		}
	}
	g := stacktest.Graph(t, "prod")
	db := stacktest.One(t, g, tDB)
	att, err := stacktest.Named(g, tAttachment, "database-monitoring")
	if err != nil {
		t.Fatal(err)
	}
	if !g.DependsOn(db.URN, att.URN) {
		t.Error("the RDS instance does not wait for its monitoring role's policy attachment")
	}
	fl := stacktest.One(t, g, tFlowLog)
	pol, err := stacktest.Named(g, tRolePol, "logs-flow-logs")
	if err != nil {
		t.Fatal(err)
	}
	if !g.DependsOn(fl.URN, pol.URN) {
		t.Error("the flow log does not wait for its role's policy")
	}
	// The final snapshot carries the data key's ID and a fingerprint of
	// the inputs that replace the instance: a new stack (new key) or a
	// replacement (review #18) never collides with the snapshot an earlier
	// deletion left behind.
	snap := fmt.Sprint(db.Inputs["finalSnapshotIdentifier"])
	key, err := stacktest.Named(g, tKey, "keys-data")
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprint(db.Inputs["identifier"]) + "-final-" + key.ID[:8] + "-"
	if rest, ok := strings.CutPrefix(snap, prefix); !ok || len(rest) != 8 {
		t.Errorf("finalSnapshotIdentifier %q, want %s<8 hex digits>", snap, prefix)
	}
}

// TestAccessEntries (item 4): every admin is an explicit entry, the
// deployer resolved from its assumed-role session, each principal once.
func TestAccessEntries(t *testing.T) {
	c := stacktest.One(t, stacktest.Graph(t, "prod"), tCluster)
	if err := expect(c, "accessConfig.bootstrapClusterCreatorAdminPermissions", false); err != nil {
		t.Error(err)
	}
	admin := "arn:aws:iam::" + engine.AccountID + ":role/platform-admin"
	g := stacktest.Evaluate(t, "prod", "clusterAdminPrincipals=["+engine.DeployerRole+", "+admin+"]")
	var principals []string
	for _, e := range g.ByType(tAccessEntry) {
		principals = append(principals, fmt.Sprint(e.Inputs["principalArn"]))
	}
	slices.Sort(principals)
	if want := []string{admin, engine.DeployerRole}; !slices.Equal(principals, want) {
		t.Errorf("access entries for %v, want %v (deployer once, no STS session ARN)", principals, want)
	}
	for _, a := range g.ByType(tAccessPol) {
		if err := expect(a, "policyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"); err != nil {
			t.Error(err)
		}
	}
}

// TestPrivateEndpointReachable (item 3): the bastion is SSM-only and its
// group, like configured networks and groups, is admitted on 443.
func TestPrivateEndpointReachable(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	b := stacktest.One(t, g, tInstance)
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
	for _, a := range g.ByType(tAttachment) {
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
	for _, r := range g.ByType(tIngressRule) {
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

// TestLeastPrivilegeNodes (item 11): the CNI has its own role, SSM is
// opt-in, and launch templates never ask for a public address.
func TestLeastPrivilegeNodes(t *testing.T) {
	nodePolicies := func(g *plan.Graph) []string {
		var out []string
		for _, a := range g.ByType(tAttachment) {
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

// TestScaleFromZeroTags (item 9).
func TestScaleFromZeroTags(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	tags := map[string]map[string]string{}
	for _, tag := range g.ByType(tASGTag) {
		group := strings.Split(strings.TrimPrefix(tag.Name, "nodes-"), "-")[0]
		k, _ := tag.Input("tag.key")
		v, _ := tag.Input("tag.value")
		if tags[group] == nil {
			tags[group] = map[string]string{}
		}
		tags[group][fmt.Sprint(k)] = fmt.Sprint(v)
	}
	const tpl = "k8s.io/cluster-autoscaler/node-template/"
	if got := tags["gpu"][tpl+"label/k8s.amazonaws.com/accelerator"]; got != "nvidia" {
		t.Errorf("gpu accelerator tag %q, want nvidia (T4 and A10G types)", got)
	}
	for _, group := range []string{"gpu", "training"} {
		if got := tags[group][tpl+"resources/ephemeral-storage"]; got != "100Gi" {
			t.Errorf("%s ephemeral-storage tag %q, want 100Gi (its disk)", group, got)
		}
	}
	if _, ok := tags["general"][tpl+"resources/ephemeral-storage"]; ok {
		t.Error("general never scales from zero; it needs no ephemeral-storage template")
	}
	gpu, _ := plan.NodeGroup(g, "gpu")
	if labels, _ := gpu.Inputs["labels"].(map[string]any); labels["k8s.amazonaws.com/accelerator"] != "nvidia" {
		t.Errorf("gpu nodes are labelled %v, want k8s.amazonaws.com/accelerator=nvidia as their template says", labels)
	}
	single := stacktest.Evaluate(t, "prod", "nodeGroups.gpu.instanceTypes=[g4dn.xlarge]")
	gpu, _ = plan.NodeGroup(single, "gpu")
	if labels, _ := gpu.Inputs["labels"].(map[string]any); labels["k8s.amazonaws.com/accelerator"] != "nvidia-tesla-t4" {
		t.Errorf("a g4dn-only group is labelled %v, want nvidia-tesla-t4", labels)
	}
}

// TestLookupsFailBeforeCreation (item 12): what the spec names but does not
// create must exist in the account, checked by invokes at preview. The
// certificate is not among them: no invoke can read it (Cloud Control has
// no ACM read handler), so the CLI's deploy preflight reads it from ACM
// (internal/acmcheck, TestDeployChecksTheCertificateWithACM); a program
// with a certificate set makes no lookup of it.
func TestLookupsFailBeforeCreation(t *testing.T) {
	ghostCert := "arn:aws:acm:eu-west-1:" + engine.AccountID + ":certificate/11111111-2222-3333-4444-555555555555"
	cases := []struct {
		name, set, wantErr string
	}{
		{"existing certificate", "ingress.certificateArn=" + engine.CertificateArn, ""},
		{"certificate left to the CLI's preflight", "ingress.certificateArn=" + ghostCert, ""},
		{"admin role not in the account", "clusterAdminPrincipals=[arn:aws:iam::" + engine.AccountID + ":role/ghost]", "clusterAdminPrincipals[0]"},
		{"admin user not in the account", "clusterAdminPrincipals=[arn:aws:iam::" + engine.AccountID + ":user/bob]", "clusterAdminPrincipals[0]"},
		{"security group not in the region", "clusterEndpointPrivateAccessSecurityGroups=[sg-0aaaaaaaaaaaaaaaa]", "clusterEndpointPrivateAccessSecurityGroups[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacktest.Source("prod", tc.set).Evaluate(context.Background())
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
}
