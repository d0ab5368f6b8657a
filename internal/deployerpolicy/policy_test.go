package deployerpolicy

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

var (
	graphsOnce sync.Once
	graphs     map[string]*plan.Graph
	graphsErr  error
)

// adminPrincipals gives the cluster an admin access entry, which the
// shipped stacks leave to the user.
const adminPrincipals = "clusterAdminPrincipals=[arn:aws:iam::123456789012:role/platform-admins]"

// stackGraphs evaluates the shipped dev and prod stacks, and prod with a
// cluster admin, once.
func stackGraphs(t *testing.T) map[string]*plan.Graph {
	t.Helper()
	graphsOnce.Do(func() {
		graphs = map[string]*plan.Graph{}
		for name, sets := range map[string][]string{"dev": nil, "prod": nil, "prod+admins": {adminPrincipals}} {
			stack, _, _ := strings.Cut(name, "+")
			r, err := stacktest.Source(stack, sets...).Evaluate(context.Background())
			if err != nil {
				graphsErr = err
				return
			}
			graphs[name] = r.Graph
		}
	})
	if graphsErr != nil {
		t.Fatal(graphsErr)
	}
	return graphs
}

// TestEveryTypeHasARow fails when the program declares an AWS resource
// type the reviewed table does not cover.
func TestEveryTypeHasARow(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		if _, err := Build(g, ManagedPolicyLimit); err != nil {
			t.Errorf("%s: %v", stack, err)
		}
	}
}

func TestUnknownTypeIsRefused(t *testing.T) {
	g := stackGraphs(t)["dev"].Clone()
	g.Resources = append(g.Resources, plan.Resource{URN: "urn:x", Type: "aws:mq/broker:Broker", Name: "q", Custom: true})
	_, err := Build(plan.NewGraph(g.Stack, g.Project, g.Resources), ManagedPolicyLimit)
	var missing MissingRowsError
	if !errors.As(err, &missing) || !slices.Equal(missing.Types, []string{"aws:mq/broker:Broker"}) {
		t.Fatalf("err %v, want the queue type named as missing", err)
	}
}

// TestEveryRowIsUsed keeps the table to exactly what the program declares.
func TestEveryRowIsUsed(t *testing.T) {
	used := map[string]bool{}
	for _, g := range stackGraphs(t) {
		for _, r := range g.Resources {
			used[r.Type] = true
		}
	}
	for typ := range Table {
		if !used[typ] {
			t.Errorf("row %s: no stack declares this type; remove the row", typ)
		}
	}
}

func TestRowsHaveCreateAndRead(t *testing.T) {
	for typ, a := range Table {
		if len(a.Create) == 0 || len(a.Read) == 0 {
			t.Errorf("%s: a row needs create and read actions", typ)
		}
	}
}

func policyText(t *testing.T, r *Result) string {
	t.Helper()
	b, err := json.Marshal(r.Policies)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGrantsUsersOfTheOldSystemLacked checks the actions whose absence
// cost users of the system this project replaces days.
func TestGrantsUsersOfTheOldSystemLacked(t *testing.T) {
	r, err := Build(stackGraphs(t)["prod+admins"], ManagedPolicyLimit)
	if err != nil {
		t.Fatal(err)
	}
	text := policyText(t, r)
	for _, want := range []string{
		`"secretsmanager:CreateSecret"`, `"secretsmanager:RotateSecret"`,
		`"eks:CreateAccessEntry"`, `"eks:AssociateAccessPolicy"`, `"eks:DescribeAccessEntry"`,
		`"iam:PassRole"`, `"sts:GetCallerIdentity"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("prod policy lacks %s", want)
		}
	}
}

// TestPassRoleIsScopedToTheGraphsRoles checks iam:PassRole names each role
// the program declares and nothing else.
func TestPassRoleIsScopedToTheGraphsRoles(t *testing.T) {
	g := stackGraphs(t)["prod"]
	r, err := Build(g, ManagedPolicyLimit)
	if err != nil {
		t.Fatal(err)
	}
	var pass *iampolicy.Statement
	for _, p := range r.Policies {
		for i, s := range p.Document.Statement {
			if slices.Contains(s.Action, "iam:PassRole") {
				pass = &p.Document.Statement[i]
			}
			if s.Sid != "PassPlatformRoles" && slices.Contains(s.Action, "iam:PassRole") {
				t.Errorf("statement %s grants iam:PassRole", s.Sid)
			}
		}
	}
	if pass == nil {
		t.Fatal("no iam:PassRole statement")
	}
	roles := g.ByType(typetoken.Role)
	if len(pass.Resource) != len(roles) || slices.Contains(pass.Resource, "*") {
		t.Errorf("PassRole on %v, want the %d roles of the graph", pass.Resource, len(roles))
	}
	for _, role := range roles {
		if !slices.ContainsFunc(pass.Resource, func(arn string) bool { return strings.HasSuffix(arn, ":role/"+role.Name+"-*") }) {
			t.Errorf("PassRole does not cover role %s", role.Name)
		}
	}
	if got := pass.Condition["StringEquals"]["iam:PassedToService"]; got == nil {
		t.Error("PassRole is not limited to the services the roles are passed to")
	}
}

// TestPolicyFitsTheManagedPolicyLimit checks every document of every stack
// stays under IAM's limit, counted without whitespace.
func TestPolicyFitsTheManagedPolicyLimit(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		r, err := Build(g, ManagedPolicyLimit)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Policies {
			b, _ := json.MarshalIndent(p.Document, "", "  ")
			n := len(strings.Join(strings.Fields(string(b)), ""))
			if n > ManagedPolicyLimit || n != p.Size {
				t.Errorf("%s %s: %d characters without whitespace (reported %d), limit %d", stack, p.Name, n, p.Size, ManagedPolicyLimit)
			}
		}
		t.Logf("%s: %d policies, sizes %v", stack, len(r.Policies), sizes(r))
	}
}

func sizes(r *Result) []int {
	var out []int
	for _, p := range r.Policies {
		out = append(out, p.Size)
	}
	return out
}

// TestSplitKeepsEveryAction forces small documents and checks nothing is
// lost or duplicated.
func TestSplitKeepsEveryAction(t *testing.T) {
	g := stackGraphs(t)["prod"]
	whole, err := Build(g, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Build(g, 2500)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Policies) != 1 || len(parts.Policies) < 4 {
		t.Fatalf("%d policies unsplit, %d split", len(whole.Policies), len(parts.Policies))
	}
	count := func(r *Result) map[string]int {
		m := map[string]int{}
		for _, p := range r.Policies {
			if p.Size > r.Limit {
				t.Errorf("%s is %d characters, limit %d", p.Name, p.Size, r.Limit)
			}
			for _, s := range p.Document.Statement {
				for _, a := range s.Action {
					m[s.Sid[:min(len(s.Sid), 3)]+"|"+a]++
				}
			}
		}
		return m
	}
	a, b := count(whole), count(parts)
	if len(a) != len(b) {
		t.Fatalf("split lost or added actions: %d vs %d", len(a), len(b))
	}
	for k, n := range a {
		if b[k] != n {
			t.Errorf("%s: %d times unsplit, %d split", k, n, b[k])
		}
	}
}

// TestSplitFillsEarlierDocuments: a statement goes into the first document
// with room, so sizes 60, 60, 35, 35 (% of the limit) make two documents,
// where keeping the order would make three.
func TestSplitFillsEarlierDocuments(t *testing.T) {
	const limit = 1000
	stmt := func(sid string, percent int) iampolicy.Statement {
		s := iampolicy.Allow(sid, []string{"s3:GetObject"}, []string{"arn:aws:s3:::b/"})
		s.Resource[0] += strings.Repeat("x", percent*limit/100-size(iampolicy.New(s)))
		return s
	}
	docs, err := split([]iampolicy.Statement{stmt("A", 60), stmt("B", 60), stmt("C", 35), stmt("D", 35)}, limit)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		var sids []string
		for _, s := range d.Statement {
			sids = append(sids, s.Sid)
		}
		got = append(got, strings.Join(sids, "+"))
		if n := size(d); n > limit {
			t.Errorf("%v: %d characters", sids, n)
		}
	}
	if strings.Join(got, " ") != "A+C B+D" {
		t.Errorf("documents %v, want [A+C B+D]", got)
	}
}
