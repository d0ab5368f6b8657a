package review

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

const nodeGroup = "aws:eks/nodeGroup:NodeGroup"

func graph(rs ...plan.Resource) *plan.Graph { return plan.NewGraph("prod", "p", rs) }

func TestCompareResources(t *testing.T) {
	ng := func(inputs map[string]any, ignore ...string) plan.Resource {
		return plan.Resource{URN: "urn:ng", Type: nodeGroup, Name: "nodes-general", Inputs: inputs, IgnoreChanges: ignore}
	}
	const cluster, role, attachment, dbType = "aws:eks/cluster:Cluster", "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:rds/instance:Instance"
	// A type internal/tfreplace does not hold (none the program declares).
	const unrecorded = "aws:test/unrecorded:Unrecorded"
	res := func(typ string, inputs map[string]any) plan.Resource {
		return plan.Resource{URN: "urn:" + typ, Type: typ, Name: "r", Inputs: inputs}
	}
	db := plan.Resource{URN: "urn:db", Type: dbType, Name: "database", Protect: true, Inputs: map[string]any{}}
	cases := []struct {
		name           string
		base, head     *plan.Graph
		changed        []string // changed input paths of the one changed resource
		replace        bool
		added, removed int
	}{
		{"instance types replace", graph(ng(map[string]any{"instanceTypes": []any{"m5.xlarge"}})),
			graph(ng(map[string]any{"instanceTypes": []any{"m7g.xlarge"}})), []string{"instanceTypes"}, true, 0, 0},
		{"nested scaling is in place", graph(ng(map[string]any{"scalingConfig": map[string]any{"minSize": 3, "maxSize": 10}})),
			graph(ng(map[string]any{"scalingConfig": map[string]any{"minSize": 3, "maxSize": 12}})), []string{"scalingConfig.maxSize"}, false, 0, 0},
		{"ignored input is no change", graph(ng(map[string]any{"scalingConfig": map[string]any{"desiredSize": 3}}, "scalingConfig.desiredSize")),
			graph(ng(map[string]any{"scalingConfig": map[string]any{"desiredSize": 5}}, "scalingConfig.desiredSize")), nil, false, 0, 0},
		{"input set on one side", graph(ng(map[string]any{})), graph(ng(map[string]any{"labels": map[string]any{"a": "b"}})),
			[]string{"labels.a"}, false, 0, 0},
		// The provider's schema (internal/tfreplace) decides, not a list
		// of top-level inputs: each of these was wrong under the
		// hand-written list this replaced.
		{"a nested ForceNew replaces", graph(res(cluster, map[string]any{"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "10.100.0.0/16"}})),
			graph(res(cluster, map[string]any{"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "10.200.0.0/16"}})), []string{"kubernetesNetworkConfig.serviceIpv4Cidr"}, true, 0, 0},
		{"adding cluster encryption is conditional, in place", graph(res(cluster, map[string]any{})),
			graph(res(cluster, map[string]any{"encryptionConfig": map[string]any{"resources": []any{"secrets"}}})), []string{"encryptionConfig.resources"}, false, 0, 0},
		{"a role's path replaces", graph(res(role, map[string]any{"path": "/mlops/"})), graph(res(role, map[string]any{"path": "/platform/"})), []string{"path"}, true, 0, 0},
		{"an attachment's policy replaces", graph(res(attachment, map[string]any{"policyArn": "arn:a"})), graph(res(attachment, map[string]any{"policyArn": "arn:b"})), []string{"policyArn"}, true, 0, 0},
		{"an Optional+Computed AMI type left unset keeps its value", graph(ng(map[string]any{"amiType": "AL2023_x86_64_STANDARD"})), graph(ng(map[string]any{})), []string{"amiType"}, false, 0, 0},
		{"a type not recorded replaces on its name", graph(res(unrecorded, map[string]any{"identifier": "a"})), graph(res(unrecorded, map[string]any{"identifier": "b"})), []string{"identifier"}, true, 0, 0},
		{"renaming a database updates it in place", graph(res(dbType, map[string]any{"identifier": "a"})), graph(res(dbType, map[string]any{"identifier": "b"})), []string{"identifier"}, false, 0, 0},
		{"a database's master username replaces it", graph(res(dbType, map[string]any{"username": "mlflow"})), graph(res(dbType, map[string]any{"username": "admin"})), []string{"username"}, true, 0, 0},
		{"removed protected database", graph(db), graph(), nil, false, 0, 1},
		{"added", graph(), graph(db), nil, false, 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := compareResources(tc.base, tc.head)
			if len(d.Added) != tc.added || len(d.Removed) != tc.removed {
				t.Fatalf("added %d removed %d, want %d and %d", len(d.Added), len(d.Removed), tc.added, tc.removed)
			}
			if tc.removed == 1 && (!d.Removed[0].Protected || !d.Removed[0].Stateful) {
				t.Errorf("removed database not marked protected and stateful: %+v", d.Removed[0])
			}
			if tc.changed == nil {
				if len(d.Changed) != 0 {
					t.Fatalf("changed %+v, want none", d.Changed)
				}
				return
			}
			if len(d.Changed) != 1 {
				t.Fatalf("changed %+v, want one resource", d.Changed)
			}
			var paths []string
			for _, in := range d.Changed[0].Inputs {
				paths = append(paths, in.Path)
			}
			if fmt.Sprint(paths) != fmt.Sprint(tc.changed) || d.Changed[0].Replace != tc.replace {
				t.Errorf("inputs %v replace %v, want %v %v", paths, d.Changed[0].Replace, tc.changed, tc.replace)
			}
		})
	}
}

func TestCompareGuardrails(t *testing.T) {
	res := func(control, urn string, s policy.Status) policy.Result {
		return policy.Result{Control: control, URN: urn, Status: s}
	}
	base := &policy.Report{Results: []policy.Result{
		res("32", "urn:db", policy.Passed), res("52", "urn:alb", policy.Pending), res("10", "urn:vpc", policy.Failed), res("53", "urn:alb", policy.Pending)}}
	head := &policy.Report{Results: []policy.Result{
		res("32", "urn:db", policy.Failed), res("52", "urn:alb", policy.Failed), res("10", "urn:vpc", policy.Passed), res("53", "urn:alb", policy.Pending)}}
	d := compareGuardrails(base, head)
	got := func(fs []Finding) string {
		var s []string
		for _, f := range fs {
			s = append(s, fmt.Sprintf("%s:%s:%v", f.Control, f.Status, f.Mandatory))
		}
		return strings.Join(s, ",")
	}
	// pending → failed regresses, as a new failure does.
	if g := got(d.Added); g != "32:failed:true,52:failed:true" {
		t.Errorf("added %s", g)
	}
	if g := got(d.Cleared); g != "10:failed:true" {
		t.Errorf("cleared %s", g)
	}
	if g := got(d.Still); g != "53:pending:false" {
		t.Errorf("still %s", g)
	}
}

func TestCompareCostMatchesANodeGroupAcrossInstanceTypes(t *testing.T) {
	est := func(item string, v float64) *cost.Estimate {
		return &cost.Estimate{Low: v + 100, High: v + 100, Lines: []cost.Line{
			{Group: cost.GroupGeneral, Item: item, Resource: "nodes-general", Low: v, High: v},
			{Group: cost.GroupEKS, Item: "control plane", Resource: "cluster", Low: 100, High: 100}}}
	}
	d := compareCost(est("m5.xlarge instances", 469), est("m7g.xlarge instances", 398.5))
	if len(d.Lines) != 1 {
		t.Fatalf("lines %+v, want the one node group line", d.Lines)
	}
	l := d.Lines[0]
	if l.Item != "m5.xlarge instances → m7g.xlarge instances" || l.Delta != (Money{-70.5, -70.5}) || d.Delta != (Money{-70.5, -70.5}) {
		t.Errorf("line %+v total %+v", l, d.Delta)
	}
}

func TestComparePermissionsConditions(t *testing.T) {
	pol := func(stmts ...iampolicy.Statement) *deployerpolicy.Result {
		return &deployerpolicy.Result{Policies: []deployerpolicy.Policy{{Document: iampolicy.New(stmts...)}}}
	}
	attach := func(arns ...any) iampolicy.Statement {
		s := iampolicy.Allow("a", []string{"iam:AttachRolePolicy"}, []string{"role/x-*"})
		s.Condition = map[string]map[string]any{"ArnEquals": {"iam:PolicyARN": arns}}
		return s
	}
	run := iampolicy.Allow("b", []string{"ec2:RunInstances"}, []string{"*"})
	d := comparePermissions(pol(attach("p1")), pol(attach("p1", "p2"), run))
	if len(d.Added) != 1 || d.Added[0].Action != "ec2:RunInstances" || len(d.Removed) != 0 {
		t.Fatalf("added %+v removed %+v", d.Added, d.Removed)
	}
	if len(d.Conditions) != 1 || fmt.Sprint(d.Conditions[0].Added) != "[ArnEquals iam:PolicyARN p2]" {
		t.Errorf("conditions %+v", d.Conditions)
	}
}

// bigReview has n added resources with long names.
func bigReview(n int) Review {
	r := Review{Stack: "prod", Base: "main", Head: "working tree"}
	for i := range n {
		r.Resources.Added = append(r.Resources.Added, ResourceChange{Type: "aws:ec2/subnet:Subnet", Name: fmt.Sprintf("subnet-%05d-%s", i, strings.Repeat("x", 60))})
		r.Permissions.Added = append(r.Permissions.Added, Permission{Effect: "Allow", Action: "ec2:CreateSubnet", Resource: fmt.Sprint(i)})
	}
	return r
}

func TestMarkdownFitsTheCommentLimit(t *testing.T) {
	cases := []struct {
		name     string
		rows     int
		limit    int
		cut      bool
		sections int // <details> blocks rendered
	}{
		{"small review whole", 3, CommentLimit, false, 2},
		{"huge review cut", 5000, CommentLimit, true, 1},
		{"tiny limit", 50, 1500, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md := bigReview(tc.rows).Markdown(tc.limit)
			if len(md) > tc.limit {
				t.Fatalf("%d characters, over the limit %d", len(md), tc.limit)
			}
			if cut := strings.Contains(md, "left out"); cut != tc.cut {
				t.Errorf("truncation note %v, want %v", cut, tc.cut)
			}
			if n := strings.Count(md, "<details>"); n != tc.sections || n != strings.Count(md, "</details>") {
				t.Errorf("%d <details> and %d </details>, want %d each", n, strings.Count(md, "</details>"), tc.sections)
			}
			if !strings.HasPrefix(md, Marker("prod")+"\n") {
				t.Errorf("comment does not start with the marker a workflow finds it by")
			}
		})
	}
}
