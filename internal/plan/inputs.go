package plan

import "fmt"

// This file is the graph's one decoder: every typed reading of an input
// (the views, and readers' reads of inputs no view covers) goes through
// these getters. The engine hands numbers over as int64 when whole and
// float64 otherwise; lists as []any; objects as map[string]any.

// String is the string input at a dotted path, "" when absent or not a
// string.
func (r Resource) String(path string) string {
	v, _ := r.Input(path)
	s, _ := v.(string)
	return s
}

// Strings is the list-of-strings input at a dotted path (a lone string is
// a list of one); empty strings and other elements are skipped.
func (r Resource) Strings(path string) []string {
	v, _ := r.Input(path)
	return StringList(v)
}

// Bool is the boolean input at a dotted path; ok is false when it is
// absent or not a boolean.
func (r Resource) Bool(path string) (value, ok bool) {
	v, _ := r.Input(path)
	value, ok = v.(bool)
	return value, ok
}

// Number is the numeric input at a dotted path; ok is false when it is
// absent or not a number.
func (r Resource) Number(path string) (float64, bool) {
	v, _ := r.Input(path)
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// Int is the whole-number input at a dotted path (fractions truncated);
// ok is false when it is absent or not a number.
func (r Resource) Int(path string) (int, bool) {
	n, ok := r.Number(path)
	return int(n), ok
}

// StringMap is the object input at a dotted path with its values printed
// as text (tags, labels, annotations); nil when absent.
func (r Resource) StringMap(path string) map[string]string {
	v, _ := r.Input(path)
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
			continue
		}
		out[k] = fmt.Sprint(x)
	}
	return out
}

// Tags are the resource's AWS tags; nil when it declares none.
func (r Resource) Tags() map[string]string { return r.StringMap("tags") }

// DeclaredName is the resource's "name" input (an AWS or Helm name, as
// opposed to its logical name), "" when absent.
func (r Resource) DeclaredName() string { return r.String("name") }

// DeclaredNamePrefix is the resource's "namePrefix" input, "" when
// absent.
func (r Resource) DeclaredNamePrefix() string { return r.String("namePrefix") }

// VpcID is the "vpcId" input of a resource placed in a VPC.
func (r Resource) VpcID() string { return r.String("vpcId") }

// StringList turns a decoded JSON value, a string or a list, into its
// non-empty strings; other elements are skipped.
func StringList(v any) []string {
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
