package karpenter

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// reference is upstream's template for the pinned Karpenter, the
// repository's copy (third_party/reference/karpenter, with provenance).
var reference = filepath.Join("..", "..", "..", "third_party", "reference", "karpenter", "cloudformation-v1.14.yaml")

var scope = Scope{ClusterName: "c1", Region: "eu-west-1", AccountID: "111122223333", Partition: "aws"}

const (
	nodeRoleArn = "arn:aws:iam::111122223333:role/karpenter-node-role-x1"
	queueArn    = "arn:aws:sqs:eu-west-1:111122223333:c1"
)

// template is the part of the CloudFormation template the tests read.
type template struct {
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

func loadTemplate(t *testing.T) template {
	t.Helper()
	raw, err := os.ReadFile(reference)
	if err != nil {
		t.Fatal(err)
	}
	var tpl template
	if err := yaml.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("reading %s: %v", reference, err)
	}
	return tpl
}

// substitute resolves the template's !Sub variables for this test's stack.
func substitute(s string) string {
	return strings.NewReplacer(
		"${AWS::Partition}", scope.Partition, "${AWS::Region}", scope.Region, "${AWS::AccountId}", scope.AccountID,
		"${ClusterName}", scope.ClusterName, "${KarpenterNodeRole.Arn}", nodeRoleArn,
		"${KarpenterInterruptionQueue.Arn}", queueArn, "${AWS::URLSuffix}", "amazonaws.com",
	).Replace(s)
}

// upstreamController is upstream's six controller policies as one
// document, in the template's order.
func upstreamController(t *testing.T) (iampolicy.Document, map[string]string) {
	t.Helper()
	tpl := loadTemplate(t)
	names := make([]string, 0, len(tpl.Resources))
	for name, r := range tpl.Resources {
		if r.Type == "AWS::IAM::ManagedPolicy" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) != 6 {
		t.Fatalf("%d managed policies in the template, want 6 (node lifecycle, IAM, EKS, interruption, zonal shift, discovery): %v", len(names), names)
	}
	doc := iampolicy.New()
	policyOf := map[string]string{}
	for _, name := range names {
		var props struct {
			PolicyDocument string `yaml:"PolicyDocument"`
		}
		r := tpl.Resources[name]
		if err := r.Properties.Decode(&props); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d, err := iampolicy.Parse([]byte(substitute(props.PolicyDocument)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, s := range d.Statement {
			policyOf[s.Sid] = name
		}
		doc.Statement = append(doc.Statement, d.Statement...)
	}
	return doc, policyOf
}

func ourController(t *testing.T) iampolicy.Document {
	t.Helper()
	raw, err := ControllerPolicy(scope, nodeRoleArn, queueArn).JSON()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := iampolicy.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// localize turns an upstream resource pattern into an ARN a request of
// this stack names: upstream's "*" account is this account (deliberate
// difference 1), and a "*" in the path a concrete name.
func localize(_, resource string) []string {
	if resource == "*" {
		return []string{"*"}
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 {
		if parts[4] == "*" {
			parts[4] = scope.AccountID
		}
		parts[5] = strings.ReplaceAll(parts[5], "*", "x1")
	}
	return []string{strings.Join(parts, ":")}
}

// deliberate lists where ours grants less than upstream, each with the
// request that shows it and the reason.
var deliberate = []struct {
	req    iampolicy.Request
	reason string
}{
	{iampolicy.Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:eu-west-1:444455556666:subnet/subnet-x1"},
		"resource ARNs name this stack's account where upstream writes \"*\": the controller launches into this account's subnets only"},
}

// TestControllerPolicyCoversUpstream compares ours with upstream action by
// action and condition by condition: every request upstream's statements
// allow (each action, resource and combination of condition values) must
// be allowed by ours, or be listed in deliberate with its reason. Run
// with -v to print the comparison per action.
func TestControllerPolicyCoversUpstream(t *testing.T) {
	ref, policyOf := upstreamController(t)
	own := ourController(t)
	samples, err := iampolicy.Samples(ref, localize)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) < 60 {
		t.Fatalf("only %d requests derived from upstream: the comparison lost statements", len(samples))
	}
	missing, err := iampolicy.Uncovered(own, ref, localize)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range missing {
		t.Errorf("upstream allows, ours does not: %s", r)
	}
	for _, line := range comparison(ref, policyOf, samples, missing) {
		t.Log(line)
	}
}

// comparison is one line per upstream statement and action: how many of
// its requests ours allows.
func comparison(ref iampolicy.Document, policyOf map[string]string, samples, missing []iampolicy.Request) []string {
	missed := map[string]int{}
	for _, r := range missing {
		missed[r.Action]++
	}
	total := map[string]int{}
	for _, r := range samples {
		total[r.Action]++
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range ref.Statement {
		for _, a := range s.Action {
			key := s.Sid + "/" + a
			if seen[key] {
				continue
			}
			seen[key] = true
			status := "present"
			if missed[a] > 0 {
				status = fmt.Sprintf("MISSING %d of %d requests", missed[a], total[a])
			}
			conds := make([]string, 0, len(s.Condition))
			for op, kv := range s.Condition {
				for k := range kv {
					conds = append(conds, op+" "+k)
				}
			}
			sort.Strings(conds)
			out = append(out, fmt.Sprintf("%-38s %-42s %-36s %s [%s]", policyOf[s.Sid], s.Sid, a, status, strings.Join(conds, "; ")))
		}
	}
	return out
}

func TestControllerDeliberateDifferences(t *testing.T) {
	ref, _ := upstreamController(t)
	own := ourController(t)
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

// TestComparisonNamesAMissingAction: a policy without an upstream action,
// or with a condition upstream does not have, is reported by action.
func TestComparisonNamesAMissingAction(t *testing.T) {
	ref, _ := upstreamController(t)
	for _, tc := range []struct {
		name   string
		mutate func(*iampolicy.Document)
		want   string
	}{
		{"action dropped", func(d *iampolicy.Document) {
			for i, s := range d.Statement {
				d.Statement[i].Action = slices.DeleteFunc(s.Action, func(a string) bool { return a == "ec2:CreateFleet" })
			}
		}, "ec2:CreateFleet"},
		{"condition tightened", func(d *iampolicy.Document) {
			for i, s := range d.Statement {
				if s.Sid == "AllowPassingInstanceRole" {
					d.Statement[i].Condition = map[string]map[string]any{"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
				}
			}
		}, "iam:PassRole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			own := ourController(t)
			tc.mutate(&own)
			missing, err := iampolicy.Uncovered(own, ref, localize)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range missing {
				found = found || r.Action == tc.want
			}
			if !found {
				t.Errorf("the comparison did not name %s (missing: %v)", tc.want, missing)
			}
		})
	}
}
