package diagram

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// str is a string input, "" when absent or of another kind.
func str(r plan.Resource, path string) string {
	v, _ := r.Input(path)
	s, _ := v.(string)
	return s
}

// strs is a string or list-of-strings input; other elements are skipped.
func strs(r plan.Resource, path string) []string {
	v, _ := r.Input(path)
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// flag is a boolean input; ok is false when absent or not a boolean.
func flag(r plan.Resource, path string) (value, ok bool) {
	v, _ := r.Input(path)
	value, ok = v.(bool)
	return value, ok
}

// num is a numeric input as text ("?" when absent); JSON numbers are
// float64, so 3.0 prints as 3.
func num(r plan.Resource, path string) string {
	v, ok := r.Input(path)
	if !ok || v == nil {
		return "?"
	}
	if f, ok := v.(float64); ok {
		return fmt.Sprintf("%g", f)
	}
	return fmt.Sprint(v)
}

// tag is the value of a tag, "" when absent.
func tag(r plan.Resource, key string) string {
	v, _ := r.Input("tags")
	m, _ := v.(map[string]any)
	s, _ := m[key].(string)
	return s
}

// hasTag reports whether r carries a tag key.
func hasTag(r plan.Resource, key string) bool {
	v, _ := r.Input("tags")
	m, _ := v.(map[string]any)
	_, ok := m[key]
	return ok
}

// lines joins the non-empty parts of a label, one per line.
func lines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// shortType is the last part of a type token: "NatGateway" for
// "aws:ec2/natGateway:NatGateway".
func shortType(t string) string {
	return t[strings.LastIndexByte(t, ':')+1:]
}
