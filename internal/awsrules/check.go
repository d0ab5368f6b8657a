package awsrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Violation is one value AWS would refuse.
type Violation struct {
	URN  string
	Path string
	Err  error
}

func (v Violation) String() string { return fmt.Sprintf("%s %s: %v", v.URN, v.Path, v.Err) }

// Check returns every value in g that AWS would refuse, in URN order.
// Every AWS resource's tags are checked against the general tag rules;
// the inputs of targets against the rule of the member receiving them.
func Check(g *plan.Graph) ([]Violation, error) {
	rules, err := Rules()
	if err != nil {
		return nil, err
	}
	var out []Violation
	for _, r := range g.Resources {
		for _, t := range resourceTargets(r.Type) {
			rule, ok := rules[t.rule]
			if !ok {
				return nil, fmt.Errorf("awsrules: target %s.%s names unknown rule %s", t.typ, t.path, t.rule)
			}
			vals := t.sent(r.Inputs, r.Name)
			sort.Strings(vals)
			for _, v := range vals {
				if v == plan.Redacted {
					continue
				}
				if err := rule.Check(v); err != nil {
					out = append(out, Violation{URN: r.URN, Path: t.path, Err: err})
				}
			}
		}
	}
	return out, nil
}

// resourceTargets are the targets of a type, plus the general tag rules
// for every AWS resource with a tags input.
func resourceTargets(typ string) []target {
	var out []target
	for _, t := range targets {
		if t.typ == typ {
			out = append(out, t)
		}
	}
	if strings.HasPrefix(typ, typetoken.AWSPrefix) {
		out = append(out,
			target{typ: typ, path: "tags.~", rule: "tag.key"},
			target{typ: typ, path: "tags.*", rule: "tag.value"})
	}
	return out
}
