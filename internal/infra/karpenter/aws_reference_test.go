package karpenter

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// nodeRoleNarrowing are upstream's node-role policies ours leaves out,
// each with its reason.
var nodeRoleNarrowing = map[string]string{
	"AmazonEKS_CNI_Policy":         "the VPC CNI runs with its own IRSA role (identity.VpcCniServiceAccount), so nodes need no ENI rights",
	"AmazonSSMManagedInstanceCore": "attached only when the spec's nodeSsmAccess asks for Session Manager shells, as on the general group",
}

func TestNodeRoleMatchesUpstream(t *testing.T) {
	tpl := loadTemplate(t)
	var props struct {
		ManagedPolicyArns        []string       `yaml:"ManagedPolicyArns"`
		AssumeRolePolicyDocument map[string]any `yaml:"AssumeRolePolicyDocument"`
	}
	r := tpl.Resources["KarpenterNodeRole"]
	if err := r.Properties.Decode(&props); err != nil {
		t.Fatal(err)
	}
	if len(props.ManagedPolicyArns) == 0 {
		t.Fatal("no managed policies read from upstream's node role")
	}
	for _, arn := range props.ManagedPolicyArns {
		name := arn[strings.LastIndex(arn, "/")+1:]
		if slices.Contains(NodePolicies, name) {
			t.Logf("node role  %-36s present", name)
			continue
		}
		reason, ok := nodeRoleNarrowing[name]
		if !ok {
			t.Errorf("upstream's node role has %s, ours does not and no reason is given", name)
			continue
		}
		t.Logf("node role  %-36s left out: %s", name, reason)
	}
	trust, _ := json.Marshal(props.AssumeRolePolicyDocument)
	if !strings.Contains(string(trust), "ec2.") || !strings.Contains(string(trust), "sts:AssumeRole") {
		t.Errorf("upstream's trust changed: %s", trust)
	}
}

func TestQueueMatchesUpstream(t *testing.T) {
	tpl := loadTemplate(t)
	var q struct {
		MessageRetentionPeriod int  `yaml:"MessageRetentionPeriod"`
		SqsManagedSseEnabled   bool `yaml:"SqsManagedSseEnabled"`
	}
	r := tpl.Resources["KarpenterInterruptionQueue"]
	if err := r.Properties.Decode(&q); err != nil {
		t.Fatal(err)
	}
	if q.MessageRetentionPeriod != MessageRetentionSeconds || !q.SqsManagedSseEnabled {
		t.Errorf("upstream's queue keeps messages %ds (ours %d), SSE-SQS %v (ours true)", q.MessageRetentionPeriod, MessageRetentionSeconds, q.SqsManagedSseEnabled)
	}
	var qp struct {
		PolicyDocument struct {
			Statement []map[string]any `yaml:"Statement"`
		} `yaml:"PolicyDocument"`
	}
	r = tpl.Resources["KarpenterInterruptionQueuePolicy"]
	if err := r.Properties.Decode(&qp); err != nil {
		t.Fatal(err)
	}
	ours := QueuePolicy(queueArn)
	if len(qp.PolicyDocument.Statement) != len(ours.Statement) {
		t.Fatalf("upstream's queue policy has %d statements, ours %d", len(qp.PolicyDocument.Statement), len(ours.Statement))
	}
	for i, up := range qp.PolicyDocument.Statement {
		own := ours.Statement[i]
		got := fmt.Sprint(own.Effect, " ", own.Action, " ", principals(own.Principal), " ", conditionOf(own.Condition))
		want := fmt.Sprint(up["Effect"], " ", list(up["Action"]), " ", principals(up["Principal"]), " ", conditionOf(up["Condition"]))
		if got != want {
			t.Errorf("queue policy statement %d: ours %s, upstream %s", i, got, want)
		}
		t.Logf("queue policy  %s", want)
	}
}

// principals flattens a policy principal ("*", {"AWS": "*"} or
// {"Service": [...]}) to a sorted list.
func principals(p any) []string {
	var out []string
	switch v := p.(type) {
	case string:
		out = []string{v}
	case map[string]any:
		for _, x := range v {
			out = append(out, list(x)...)
		}
	}
	sort.Strings(out)
	return out
}

func conditionOf(c any) string {
	// IAM reads a Bool condition's "false" and false alike.
	b, _ := json.Marshal(c)
	return strings.NewReplacer(`"false"`, "false", `"true"`, "true").Replace(strings.ToLower(string(b)))
}

func list(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case []string:
		return x
	}
	return nil
}

func TestRulesMatchUpstream(t *testing.T) {
	tpl := loadTemplate(t)
	var want []string
	for name, r := range tpl.Resources {
		if r.Type != "AWS::Events::Rule" {
			continue
		}
		var props struct {
			EventPattern struct {
				Source     []string `yaml:"source"`
				DetailType []string `yaml:"detail-type"`
			} `yaml:"EventPattern"`
		}
		if err := r.Properties.Decode(&props); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want = append(want, props.EventPattern.Source[0]+" / "+props.EventPattern.DetailType[0])
	}
	var got []string
	for _, r := range Rules {
		got = append(got, r.Source+" / "+r.DetailType)
		var p map[string][]string
		if err := json.Unmarshal([]byte(r.EventPattern()), &p); err != nil || p["source"][0] != r.Source || p["detail-type"][0] != r.DetailType {
			t.Errorf("%s: event pattern %s", r.Name, r.EventPattern())
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("rules %v, upstream's %v", got, want)
	}
	for _, w := range want {
		t.Logf("rule  %s", w)
	}
}

// TestRuleNamesFitEventBridge: the spec bounds the cluster's name by the
// longest rule suffix, so the two must agree.
func TestRuleNamesFitEventBridge(t *testing.T) {
	if got := LongestRuleName(); got != spec.InterruptionRuleSuffixLen {
		t.Errorf("the longest rule suffix is %d characters, spec.InterruptionRuleSuffixLen %d", got, spec.InterruptionRuleSuffixLen)
	}
	longest := strings.Repeat("a", 64-spec.InterruptionRuleSuffixLen)
	for _, r := range Rules {
		if n := RuleName(longest, r); len(n) > 64 {
			t.Errorf("%s: %d characters", n, len(n))
		}
	}
}
