package tfreplace

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Changed returns the replacing paths whose value differs between two
// sets of inputs (plain values: maps, lists, strings, numbers, booleans),
// with list indices filled in ("rules[0].filter.prefix"), sorted. A
// conditional path never counts; a computed one does not count when the
// new inputs leave it unset, as Terraform keeps the prior value then.
func (r Resource) Changed(olds, news map[string]any) []string {
	var out []string
	for _, p := range r.Replaces {
		if p.Conditional {
			continue
		}
		segs := split(p.Path)
		a, b := map[string]any{}, map[string]any{}
		collect(segs, olds, "", a)
		collect(segs, news, "", b)
		for k := range union(a, b) {
			nv, set := b[k]
			if p.Computed && (!set || nv == nil) {
				continue
			}
			if !reflect.DeepEqual(a[k], nv) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Replaces reports whether a change at path (a dotted path as
// internal/review prints it, lists whole) touches a changed replacing path.
func Replaces(changed []string, path string) bool {
	for _, c := range changed {
		if c == path || strings.HasPrefix(c, path+".") || strings.HasPrefix(c, path+"[") || strings.HasPrefix(path, c+".") {
			return true
		}
	}
	return false
}

// Top returns the top-level property of a path.
func Top(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// split cuts "a[].b.c" into "a", "[]", "b", "c".
func split(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		name, rest, list := strings.Cut(part, "[]")
		out = append(out, name)
		for list {
			out = append(out, "[]")
			_, rest, list = strings.Cut(rest, "[]")
		}
	}
	return out
}

// collect records the values found at segs below v, keyed by their
// concrete path.
func collect(segs []string, v any, prefix string, out map[string]any) {
	if len(segs) == 0 {
		out[prefix] = v
		return
	}
	if segs[0] == "[]" {
		l, _ := v.([]any)
		for i, e := range l {
			collect(segs[1:], e, prefix+"["+strconv.Itoa(i)+"]", out)
		}
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	e, ok := m[segs[0]]
	if !ok {
		return
	}
	p := segs[0]
	if prefix != "" {
		p = prefix + "." + p
	}
	collect(segs[1:], e, p, out)
}

func union(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
