package identity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// upstreamPolicy is upstream's policy for the pinned controller, the
// repository's copy (third_party/reference, with its provenance).
var upstreamPolicy = filepath.Join("..", "..", "..", "third_party", "reference", "iam", "aws-load-balancer-controller-v2.17.1.json")

var testArgs = &Args{ClusterName: "c1", Region: "eu-west-1", AccountID: "111122223333", Partition: "aws"}

func loadUpstream(t *testing.T) iampolicy.Document {
	t.Helper()
	raw, err := os.ReadFile(upstreamPolicy)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := iampolicy.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// localize turns one of upstream's resource patterns into the ARN a request
// of this stack names: its region and account for upstream's "*" fields.
// That is deliberate difference 1 (see loadBalancerControllerPolicy).
func localize(_, resource string) []string {
	if resource == "*" {
		return []string{"*"}
	}
	parts := strings.SplitN(resource, ":", 6)
	parts[3], parts[4] = testArgs.Region, testArgs.AccountID
	parts[5] = strings.ReplaceAll(parts[5], "*", "x1")
	return []string{strings.Join(parts, ":")}
}

// ours renders and re-parses our policy, as IAM would receive it.
func ours(t *testing.T) iampolicy.Document {
	t.Helper()
	raw, err := loadBalancerControllerPolicy(testArgs).JSON()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := iampolicy.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestLoadBalancerControllerCoversUpstream(t *testing.T) {
	ref := loadUpstream(t)
	missing, err := iampolicy.Uncovered(ours(t), ref, localize)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, d := range deliberate {
		listed[d.req.String()] = true
	}
	for _, r := range missing {
		if !listed[r.String()] {
			t.Errorf("upstream allows, ours does not: %s", r)
		}
	}
	samples, _ := iampolicy.Samples(ref, localize)
	if len(samples) < 80 {
		t.Fatalf("only %d requests derived from upstream: the comparison lost statements", len(samples))
	}
}

// deliberate lists where ours grants less than upstream, each with the
// request that shows it and the reason. The test proves each is real:
// upstream allows the request and ours does not.
var deliberate = []struct {
	req    iampolicy.Request
	reason string
}{
	{iampolicy.Request{Action: "elasticloadbalancing:RemoveTags", Resource: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/x1/x1",
		Context: map[string][]string{"aws:ResourceTag/" + OwnershipTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}},
		"removing the ownership tag would let the controller disown (and another cluster's controller adopt) a load balancer; upstream's aws:RequestTag condition is never set on RemoveTags"},
	{iampolicy.Request{Action: "ec2:DeleteTags", Resource: "arn:aws:ec2:eu-west-1:111122223333:security-group/x1",
		Context: map[string][]string{"aws:ResourceTag/" + OwnershipTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}},
		"the same for the security groups the controller creates"},
	{iampolicy.Request{Action: "ec2:DeleteTags", Resource: "arn:aws:ec2:eu-west-1:111122223333:security-group/x1",
		Context: map[string][]string{"aws:ResourceTag/" + OwnershipTag: {iampolicy.SampleValue}}},
		"DeleteTags without keys deletes every tag, the ownership tag included; the controller always names the keys"},
	{iampolicy.Request{Action: "elasticloadbalancing:AddTags", Resource: "arn:aws:elasticloadbalancing:us-east-1:444455556666:listener/app/k8s-a/1/2"},
		"resource ARNs name this stack's region and account: the controller manages only this cluster's load balancers"},
}

func TestLoadBalancerControllerDeliberateDifferences(t *testing.T) {
	ref, own := loadUpstream(t), ours(t)
	for _, d := range deliberate {
		t.Run(d.req.Action, func(t *testing.T) {
			up, err := ref.Evaluate(d.req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := own.Evaluate(d.req)
			if err != nil {
				t.Fatal(err)
			}
			if up != iampolicy.Allowed || got == iampolicy.Allowed {
				t.Errorf("%s: upstream %s, ours %s: not a difference (%s)", d.req, up, got, d.reason)
			}
		})
	}
}

func TestLoadBalancerControllerKeepsItsOwnershipTag(t *testing.T) {
	own := ours(t)
	lb := "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/k8s-a/1"
	sg := "arn:aws:ec2:eu-west-1:111122223333:security-group/x1"
	owned := "aws:ResourceTag/" + OwnershipTag
	setTag := "aws:RequestTag/" + OwnershipTag
	for _, c := range []struct {
		name string
		req  iampolicy.Request
		want iampolicy.Decision
	}{
		{"tag a new load balancer", iampolicy.Request{Action: "elasticloadbalancing:AddTags", Resource: lb, Context: map[string][]string{
			"elasticloadbalancing:CreateAction": {"CreateLoadBalancer"}, setTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.Allowed},
		{"tag a new security group", iampolicy.Request{Action: "ec2:CreateTags", Resource: sg, Context: map[string][]string{
			"ec2:CreateAction": {"CreateSecurityGroup"}, setTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.Allowed},
		{"retag an owned load balancer", iampolicy.Request{Action: "elasticloadbalancing:AddTags", Resource: lb, Context: map[string][]string{
			owned: {"c1"}, "aws:TagKeys": {"team"}}}, iampolicy.Allowed},
		{"untag another key of an owned security group", iampolicy.Request{Action: "ec2:DeleteTags", Resource: sg, Context: map[string][]string{
			owned: {"c1"}, "aws:TagKeys": {"team"}}}, iampolicy.Allowed},
		{"claim an existing load balancer", iampolicy.Request{Action: "elasticloadbalancing:AddTags", Resource: lb, Context: map[string][]string{
			setTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.ExplicitDeny},
		{"move an owned load balancer to another cluster", iampolicy.Request{Action: "elasticloadbalancing:AddTags", Resource: lb, Context: map[string][]string{
			owned: {"c1"}, setTag: {"c2"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.ExplicitDeny},
		{"remove the tag from a load balancer", iampolicy.Request{Action: "elasticloadbalancing:RemoveTags", Resource: lb, Context: map[string][]string{
			owned: {"c1"}, "aws:TagKeys": {OwnershipTag, "team"}}}, iampolicy.ExplicitDeny},
		{"claim an existing security group", iampolicy.Request{Action: "ec2:CreateTags", Resource: sg, Context: map[string][]string{
			setTag: {"c1"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.ExplicitDeny},
		{"remove the tag from a security group", iampolicy.Request{Action: "ec2:DeleteTags", Resource: sg, Context: map[string][]string{
			owned: {"c1"}, "aws:TagKeys": {OwnershipTag}}}, iampolicy.ExplicitDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := own.Evaluate(c.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s: %s, want %s", c.req, got, c.want)
			}
		})
	}
}
