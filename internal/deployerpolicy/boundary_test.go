package deployerpolicy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// testBoundary is the boundary the program must declare for g's stack,
// written out here rather than taken from internal/boundary.
func testBoundary(g *plan.Graph) string {
	return "arn:aws:iam::" + testAccount + ":policy/mlops-platform-" + g.Stack + "-permissions-boundary"
}

// TestEveryRoleCarriesTheBoundary checks every IAM role of the dev and prod
// graphs names the stack's permissions boundary.
func TestEveryRoleCarriesTheBoundary(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		roles := g.ByType(typetoken.Role)
		if len(roles) < 5 {
			t.Fatalf("%s: only %d roles", stack, len(roles))
		}
		for _, r := range roles {
			if got := r.Inputs["permissionsBoundary"]; got != testBoundary(g) {
				t.Errorf("%s: role %s has permissionsBoundary %v, want %s", stack, r.Name, got, testBoundary(g))
			}
		}
		t.Logf("%s: %d roles carry the boundary", stack, len(roles))
	}
}

// TestBuildRefusesARoleWithoutTheBoundary: the deployer policy is not
// derived for a graph with a role the boundary does not cover.
func TestBuildRefusesARoleWithoutTheBoundary(t *testing.T) {
	for name, edit := range map[string]func(map[string]any){
		"none":    func(in map[string]any) { delete(in, "permissionsBoundary") },
		"another": func(in map[string]any) { in["permissionsBoundary"] = "arn:aws:iam::" + testAccount + ":policy/other" },
	} {
		g := clone(t, stackGraphs(t)["prod"])
		for i, r := range g.Resources {
			if r.Type == typetoken.Role && r.Name == "bastion-role" {
				edit(g.Resources[i].Inputs)
			}
		}
		if _, err := Build(g, ManagedPolicyLimit); err == nil || !strings.Contains(err.Error(), "bastion-role") {
			t.Errorf("%s: Build = %v, want an error naming bastion-role", name, err)
		}
	}
}

func clone(t *testing.T, g *plan.Graph) *plan.Graph {
	t.Helper()
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	var out plan.Graph
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// TestDeployerWritesRolesOnlyWithTheBoundary evaluates the role writes
// with and without the stack's boundary, on every role of each stack.
func TestDeployerWritesRolesOnlyWithTheBoundary(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		allow := authorizer(t, build(t, g))
		own := testBoundary(g)
		other := "arn:aws:iam::" + testAccount + ":policy/mlops-platform-other-permissions-boundary"
		for _, r := range g.ByType(typetoken.Role) {
			role := "arn:aws:iam::" + testAccount + ":role/" + r.Name + suffix
			for _, c := range []struct {
				action string
				ctx    map[string][]string
				want   iampolicy.Decision
			}{
				{"iam:CreateRole", ctx("iam:PermissionsBoundary", own), iampolicy.Allowed},
				{"iam:CreateRole", nil, iampolicy.ExplicitDeny},
				{"iam:CreateRole", ctx("iam:PermissionsBoundary", other), iampolicy.ExplicitDeny},
				{"iam:PutRolePolicy", ctx("iam:PermissionsBoundary", own), iampolicy.Allowed},
				{"iam:PutRolePolicy", nil, iampolicy.ExplicitDeny},
				{"iam:UpdateAssumeRolePolicy", nil, iampolicy.ExplicitDeny},
				{"iam:AttachRolePolicy", ctx("iam:PolicyARN", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"), iampolicy.ExplicitDeny},
				{"iam:DeleteRolePolicy", nil, iampolicy.ImplicitDeny},
				{"iam:DetachRolePolicy", nil, iampolicy.ImplicitDeny},
				{"iam:DeleteRole", nil, iampolicy.ImplicitDeny},
				{"iam:PutRolePermissionsBoundary", ctx("iam:PermissionsBoundary", own), iampolicy.Allowed},
				{"iam:PutRolePermissionsBoundary", ctx("iam:PermissionsBoundary", other), iampolicy.ExplicitDeny},
				{"iam:DeleteRolePermissionsBoundary", ctx("iam:PermissionsBoundary", own), iampolicy.ExplicitDeny},
			} {
				req := iampolicy.Request{Action: c.action, Resource: role, Context: c.ctx}
				if got := allow(req); got != c.want {
					t.Errorf("%s: %s: %s, want %s", stack, req, got, c.want)
				}
			}
		}
		for _, a := range boundaryPolicyWrites {
			req := iampolicy.Request{Action: a, Resource: own}
			if got := allow(req); got != iampolicy.ExplicitDeny {
				t.Errorf("%s: %s: %s, want explicit deny", stack, req, got)
			}
		}
		elsewhere := iampolicy.Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::" + testAccount + ":role/backdoor", Context: ctx("iam:PermissionsBoundary", own)}
		if got := allow(elsewhere); got == iampolicy.Allowed {
			t.Errorf("%s: %s is allowed", stack, elsewhere)
		}
	}
}

// boundaryDoc is the boundary of r as IAM reads it.
func boundaryDoc(t *testing.T, r *Result) iampolicy.Document {
	t.Helper()
	if r.Boundary == nil {
		t.Fatal("no boundary")
	}
	b, err := json.Marshal(r.Boundary.Document)
	if err != nil {
		t.Fatal(err)
	}
	// The account variable, as IAM resolves it for the role.
	d, err := iampolicy.Parse([]byte(strings.ReplaceAll(string(b), "${aws:PrincipalAccount}", testAccount)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBoundaryCoversEveryInlinePolicy: a platform role can still do all
// its inline policy grants through the boundary, so the boundary breaks no
// workload.
func TestBoundaryCoversEveryInlinePolicy(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		bd := boundaryDoc(t, build(t, g))
		n := 0
		for _, p := range g.ByType(typetoken.RolePolicy) {
			d, err := iampolicy.Parse([]byte(p.Inputs["policy"].(string)))
			if err != nil {
				t.Fatal(err)
			}
			reqs, err := iampolicy.Samples(d, func(_, res string) []string { return []string{res} })
			if err != nil {
				t.Fatalf("%s %s: %v", stack, p.Name, err)
			}
			for _, req := range reqs {
				// A sample of one statement another statement denies.
				if own, _ := d.Evaluate(req); own != iampolicy.Allowed {
					continue
				}
				n++
				if got, err := iampolicy.EvaluateBounded([]iampolicy.Document{d}, bd, req); err != nil || got != iampolicy.Allowed {
					t.Errorf("%s %s: %s: %v %v", stack, p.Name, req, got, err)
				}
			}
		}
		t.Logf("%s: %d requests the inline policies allow are allowed through the boundary", stack, n)
	}
}

// TestAdminPolicyOnAPlatformRoleStaysInsideTheBoundary: the deploying role
// may put any inline policy on a platform role (it carries the boundary),
// but what the role can then do is the policy and the boundary together.
func TestAdminPolicyOnAPlatformRoleStaysInsideTheBoundary(t *testing.T) {
	g := stackGraphs(t)["prod"]
	r := build(t, g)
	allow := authorizer(t, r)
	bastion := "arn:aws:iam::" + testAccount + ":role/bastion-role" + suffix
	put := iampolicy.Request{Action: "iam:PutRolePolicy", Resource: bastion, Context: ctx("iam:PermissionsBoundary", testBoundary(g))}
	if got := allow(put); got != iampolicy.Allowed {
		t.Fatalf("the deployer cannot put a policy on the bastion role: %s", got)
	}
	admin, err := iampolicy.Parse([]byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	bd := boundaryDoc(t, r)
	deployer := "arn:aws:iam::" + testAccount + ":role/platform-deployer"
	key := "arn:aws:kms:eu-west-1:" + testAccount + ":key/0000aaaa-12ab-34cd-56ef-1234567890ab"
	for _, c := range []struct {
		req  iampolicy.Request
		want iampolicy.Decision
	}{
		{iampolicy.Request{Action: "iam:AttachRolePolicy", Resource: deployer, Context: ctx("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess")}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::" + testAccount + ":role/backdoor"}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "iam:DeleteRolePermissionsBoundary", Resource: bastion}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "iam:CreatePolicyVersion", Resource: testBoundary(g)}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "iam:PassRole", Resource: deployer}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "sts:AssumeRole", Resource: deployer}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "kms:PutKeyPolicy", Resource: key}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "kms:ScheduleKeyDeletion", Resource: key}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::someone-elses-bucket"}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::someone-elses-bucket"}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "organizations:LeaveOrganization", Resource: "*"}, iampolicy.ImplicitDeny},
		{iampolicy.Request{Action: "rds:DeleteDBInstance", Resource: "arn:aws:rds:eu-west-1:" + testAccount + ":db:other"}, iampolicy.ImplicitDeny},
		// What the boundary leaves: the services the platform's roles use.
		{iampolicy.Request{Action: "ec2:DescribeInstances", Resource: "*"}, iampolicy.Allowed},
		{iampolicy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::someone-elses-bucket/k"}, iampolicy.Allowed},
	} {
		got, err := iampolicy.EvaluateBounded([]iampolicy.Document{admin}, bd, c.req)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("the bastion role with an admin policy: %s: %s, want %s", c.req, got, c.want)
		}
	}
}

// TestBoundaryFitsTheManagedPolicyLimit: the boundary is one managed
// policy, so it must fit IAM's limit on its own.
func TestBoundaryFitsTheManagedPolicyLimit(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		b := build(t, g).Boundary
		if b.Size > ManagedPolicyLimit || b.ARN != strings.ReplaceAll(testBoundary(g), testAccount, account) || !strings.HasSuffix(b.ARN, "/"+b.Name) {
			t.Errorf("%s: boundary %s (%s) of %d characters, limit %d", stack, b.Name, b.ARN, b.Size, ManagedPolicyLimit)
		}
		t.Logf("%s: boundary %s, %d characters, %d statements", stack, b.Name, b.Size, len(b.Document.Statement))
	}
}
