package iampolicy

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Request is one authorization question put to an identity policy: may the
// holder perform Action on Resource, given the request context keys?
type Request struct {
	Action   string
	Resource string
	// Context holds the condition keys AWS sets for the request (for
	// example aws:RequestTag/k, aws:TagKeys, ec2:CreateAction). A key that
	// is absent is not in the map.
	Context map[string][]string
}

// String names the request for test output.
func (r Request) String() string {
	keys := make([]string, 0, len(r.Context))
	for k, v := range r.Context {
		keys = append(keys, k+"="+strings.Join(v, "|"))
	}
	sort.Strings(keys)
	return fmt.Sprintf("%s on %s {%s}", r.Action, r.Resource, strings.Join(keys, ", "))
}

// Decision is the outcome of evaluating one policy.
type Decision int

// The decisions of IAM's evaluation logic for a single identity policy.
const (
	// ImplicitDeny: no statement allows the request.
	ImplicitDeny Decision = iota
	// Allowed: an Allow statement matches and no Deny does.
	Allowed
	// ExplicitDeny: a Deny statement matches.
	ExplicitDeny
)

func (d Decision) String() string {
	return [...]string{"implicit deny", "allow", "explicit deny"}[d]
}

// Parse reads a policy document as AWS accepts it: Action, Resource and
// condition values may each be a string or a list.
func Parse(raw []byte) (Document, error) {
	var in struct {
		Version   string
		Statement []struct {
			Sid       string
			Effect    string
			Principal map[string]any
			Action    any
			Resource  any
			Condition map[string]map[string]any
			NotAction any
		}
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return Document{}, fmt.Errorf("parsing policy document: %w", err)
	}
	doc := Document{Version: in.Version}
	for i, s := range in.Statement {
		if s.NotAction != nil {
			return Document{}, fmt.Errorf("statement %d: NotAction is not supported by this evaluator", i)
		}
		doc.Statement = append(doc.Statement, Statement{
			Sid: s.Sid, Effect: s.Effect, Principal: s.Principal,
			Action: stringList(s.Action), Resource: stringList(s.Resource), Condition: s.Condition,
		})
	}
	return doc, nil
}

// Evaluate decides a request against the document's statements the way
// IAM does for one identity policy: an explicit Deny wins, then any Allow.
// It fails on a condition operator it does not implement rather than
// guessing.
func (d Document) Evaluate(r Request) (Decision, error) {
	out := ImplicitDeny
	for i, s := range d.Statement {
		ok, err := s.matches(r)
		if err != nil {
			return ImplicitDeny, fmt.Errorf("statement %d (%s): %w", i, s.Sid, err)
		}
		switch {
		case ok && s.Effect == "Deny":
			return ExplicitDeny, nil
		case ok && s.Effect == "Allow":
			out = Allowed
		}
	}
	return out, nil
}

func (s Statement) matches(r Request) (bool, error) {
	// A statement without Resource is a trust policy's: it applies to the
	// role it is attached to, whatever the request names.
	if !anyMatch(s.Action, r.Action, true) || len(s.Resource) > 0 && !anyMatch(s.Resource, r.Resource, false) {
		return false, nil
	}
	ctx := make(map[string][]string, len(r.Context))
	for k, v := range r.Context {
		ctx[strings.ToLower(k)] = v
	}
	for op, keys := range s.Condition {
		for key, want := range keys {
			ok, err := condition(op, ctx[strings.ToLower(key)], stringList(want))
			if err != nil {
				return false, fmt.Errorf("condition %s %s: %w", op, key, err)
			}
			if !ok {
				return false, nil
			}
		}
	}
	return true, nil
}

// condition evaluates one operator for one key. got is nil when the key is
// absent from the request.
func condition(op string, got, want []string) (bool, error) {
	if op == "Null" {
		if len(want) != 1 {
			return false, fmt.Errorf("condition operator Null takes one value")
		}
		return (got == nil) == strings.EqualFold(want[0], "true"), nil
	}
	set := ""
	if i := strings.Index(op, ":"); i > 0 {
		set, op = op[:i], op[i+1:]
	}
	ifExists := strings.HasSuffix(op, "IfExists")
	op = strings.TrimSuffix(op, "IfExists")
	match, negated, err := operator(op)
	if err != nil {
		return false, err
	}
	one := func(v string) bool {
		for _, w := range want {
			if match(v, w) {
				return !negated
			}
		}
		return negated
	}
	switch set {
	case "ForAnyValue":
		for _, v := range got {
			if one(v) {
				return true, nil
			}
		}
		return false, nil
	case "ForAllValues":
		for _, v := range got {
			if !one(v) {
				return false, nil
			}
		}
		return true, nil
	case "":
		if got == nil {
			return ifExists || negated, nil
		}
		// A positive operator needs one matching value; a negated one
		// needs every value to match none.
		for _, v := range got {
			if one(v) != negated {
				return !negated, nil
			}
		}
		return negated, nil
	}
	return false, fmt.Errorf("unknown set operator %s", set)
}

func operator(op string) (match func(got, want string) bool, negated bool, err error) {
	equals := func(g, w string) bool { return g == w }
	like := func(g, w string) bool { return glob(w, g, false) }
	switch op {
	case "StringEquals", "ArnEquals":
		return equals, false, nil
	case "StringNotEquals", "ArnNotEquals":
		return equals, true, nil
	case "StringEqualsIgnoreCase":
		return strings.EqualFold, false, nil
	case "StringLike", "ArnLike":
		return like, false, nil
	case "StringNotLike", "ArnNotLike":
		return like, true, nil
	case "Bool":
		return strings.EqualFold, false, nil
	}
	return nil, false, fmt.Errorf("operator %s is not implemented", op)
}

func anyMatch(patterns []string, value string, foldCase bool) bool {
	for _, p := range patterns {
		if glob(p, value, foldCase) {
			return true
		}
	}
	return false
}

// glob matches IAM wildcards: * any run of characters (slashes included),
// ? one character.
func glob(pattern, value string, foldCase bool) bool {
	if foldCase {
		pattern, value = strings.ToLower(pattern), strings.ToLower(value)
	}
	// path.Match stops * at '/'; IAM does not, so match segment-free by
	// replacing '/' on both sides with a byte path.Match treats literally.
	const sep = "\x00"
	ok, err := path.Match(escapeClass(strings.ReplaceAll(pattern, "/", sep)), strings.ReplaceAll(value, "/", sep))
	return err == nil && ok
}

// escapeClass keeps '[', ']' and '\' literal: IAM has no character classes.
func escapeClass(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)
	return r.Replace(p)
}

func stringList(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case bool:
		return []string{fmt.Sprint(x)}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}
