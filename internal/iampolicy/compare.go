package iampolicy

import (
	"fmt"
	"sort"
	"strings"
)

// SampleValue is the value Samples gives a condition key a statement only
// requires to be present (Null "false").
const SampleValue = "sample"

// Samples derives, from each Allow statement of d, concrete requests that
// statement allows: one per action, per resource (passed through localize,
// which turns a pattern into the ARN a real request would name) and per
// combination of the values its conditions require. Keys a condition
// requires to be absent stay absent; aws:TagKeys is set from the
// aws:RequestTag/ keys, as AWS does. It fails on a condition it cannot
// satisfy by construction, so a comparison never silently skips one.
func Samples(d Document, localize func(action, resource string) []string) ([]Request, error) {
	var out []Request
	for i, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		contexts, err := satisfying(s.Condition)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		for _, a := range s.Action {
			for _, res := range s.Resource {
				for _, r := range localize(a, res) {
					for _, c := range contexts {
						out = append(out, Request{Action: a, Resource: r, Context: c})
					}
				}
			}
		}
	}
	return out, nil
}

// Uncovered returns the requests of ref's samples that ours does not allow.
func Uncovered(ours, ref Document, localize func(action, resource string) []string) ([]Request, error) {
	samples, err := Samples(ref, localize)
	if err != nil {
		return nil, err
	}
	var missing []Request
	for _, r := range samples {
		d, err := ours.Evaluate(r)
		if err != nil {
			return nil, err
		}
		if d != Allowed {
			missing = append(missing, r)
		}
	}
	return missing, nil
}

// satisfying returns the request contexts that satisfy every condition:
// the cartesian product over keys with several allowed values.
func satisfying(cond map[string]map[string]any) ([]map[string][]string, error) {
	contexts := []map[string][]string{{}}
	ops := make([]string, 0, len(cond))
	for op := range cond {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		keys := make([]string, 0, len(cond[op]))
		for k := range cond[op] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			choices, err := values(op, stringList(cond[op][key]))
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", op, key, err)
			}
			var next []map[string][]string
			for _, c := range contexts {
				for _, v := range choices {
					n := make(map[string][]string, len(c)+1)
					for k, x := range c {
						n[k] = x
					}
					if v != nil {
						n[key] = v
					}
					next = append(next, n)
				}
			}
			contexts = next
		}
	}
	for _, c := range contexts {
		var tagKeys []string
		for k := range c {
			if strings.HasPrefix(strings.ToLower(k), "aws:requesttag/") {
				tagKeys = append(tagKeys, k[len("aws:RequestTag/"):])
			}
		}
		if len(tagKeys) > 0 {
			sort.Strings(tagKeys)
			c["aws:TagKeys"] = tagKeys
		}
	}
	return contexts, nil
}

// values lists the context values (nil: key absent) that satisfy one
// condition, each a separate choice.
func values(op string, want []string) ([][]string, error) {
	switch op {
	case "Null":
		if strings.EqualFold(want[0], "true") {
			return [][]string{nil}, nil
		}
		return [][]string{{SampleValue}}, nil
	case "ForAllValues:StringEquals":
		// A multivalued key (aws:TagKeys): one request naming them all.
		return [][]string{append([]string{}, want...)}, nil
	case "StringEquals", "ArnEquals", "Bool", "StringLike", "ArnLike", "StringEqualsIfExists", "BoolIfExists":
		out := make([][]string, 0, len(want))
		for _, w := range want {
			out = append(out, []string{strings.NewReplacer("*", SampleValue, "?", "x").Replace(w)})
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot derive a request satisfying %s", op)
}
