package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/tfreplace"
)

// ResourceDelta is the resources a change adds, changes and removes.
type ResourceDelta struct {
	Added   []ResourceChange `json:"added"`
	Changed []ResourceChange `json:"changed"`
	Removed []ResourceChange `json:"removed"`
}

// Empty reports whether no resource changes.
func (d ResourceDelta) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0
}

// ResourceChange is one resource added, changed or removed.
type ResourceChange struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Replace is set when a changed input replaces the resource (see
	// replacing; the engine's preview has the last word).
	Replace bool `json:"replace,omitempty"`
	// Protected resources refuse deletion; Stateful ones hold data or keys.
	Protected bool          `json:"protected,omitempty"`
	Stateful  bool          `json:"stateful,omitempty"`
	Inputs    []InputChange `json:"inputs,omitempty"`
}

// InputChange is one changed input of a resource, as JSON text.
type InputChange struct {
	Path     string `json:"path"`
	Base     string `json:"base"`
	Head     string `json:"head"`
	Replaces bool   `json:"replaces,omitempty"`
}

// Absent stands for an input one side does not set.
const Absent = "(unset)"

// namingInputs replace any resource they name. They are the rule only for
// types whose provider source internal/tfreplace does not hold yet
// (tfreplace.NotRecorded); a recorded type's own table says which of its
// names replace.
var namingInputs = []string{"name", "namePrefix", "bucket", "bucketPrefix", "identifier", "clusterName", "nodeGroupName", "vpcId"}

// replacing returns, for one changed resource, whether a change at an
// input path (as compareInputs prints it) replaces the resource: what the
// Terraform AWS provider marks ForceNew or RequiresReplace, read from
// internal/tfreplace, the table the fake AWS provider's Diff also reads.
// A table that cannot be read marks every change as replacing, the side a
// reviewer can afford to err on.
func replacing(typ string, olds, news map[string]any) func(path string) bool {
	rules, ok, err := tfreplace.For(typ)
	switch {
	case err != nil:
		return func(string) bool { return true }
	case !ok:
		return func(path string) bool { return slices.Contains(namingInputs, tfreplace.Top(path)) }
	}
	changed := rules.Changed(olds, news)
	return func(path string) bool { return tfreplace.Replaces(changed, path) }
}

func compareResources(base, head *plan.Graph) ResourceDelta {
	var d ResourceDelta
	olds := map[string]plan.Resource{}
	for _, r := range base.Resources {
		olds[r.URN] = r
	}
	seen := map[string]bool{}
	for _, r := range head.Resources {
		seen[r.URN] = true
		old, ok := olds[r.URN]
		if !ok {
			d.Added = append(d.Added, change(r))
			continue
		}
		if c, changed := compareInputs(old, r); changed {
			d.Changed = append(d.Changed, c)
		}
	}
	for _, r := range base.Resources {
		if !seen[r.URN] {
			d.Removed = append(d.Removed, change(r))
		}
	}
	return d
}

func change(r plan.Resource) ResourceChange {
	return ResourceChange{URN: r.URN, Type: r.Type, Name: r.Name, Protected: r.Protect,
		Stateful: slices.Contains(deploy.StatefulTypes, r.Type)}
}

// compareInputs lists the inputs of one resource that differ, leaves of
// nested objects by dotted path, lists as a whole; inputs the resource
// ignores changes of are skipped, as the engine skips them.
func compareInputs(old, cur plan.Resource) (ResourceChange, bool) {
	c := change(cur)
	c.Protected = c.Protected || old.Protect
	a, b := map[string]string{}, map[string]string{}
	flatten("", old.Inputs, a)
	flatten("", cur.Inputs, b)
	replaces := replacing(cur.Type, old.Inputs, cur.Inputs)
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	for p := range paths {
		top, _, _ := strings.Cut(p, ".")
		if a[p] == b[p] || slices.Contains(cur.IgnoreChanges, top) || slices.Contains(cur.IgnoreChanges, p) {
			continue
		}
		ic := InputChange{Path: p, Base: orAbsent(a[p]), Head: orAbsent(b[p]), Replaces: replaces(p)}
		c.Replace = c.Replace || ic.Replaces
		c.Inputs = append(c.Inputs, ic)
	}
	sort.Slice(c.Inputs, func(i, j int) bool { return c.Inputs[i].Path < c.Inputs[j].Path })
	return c, len(c.Inputs) > 0
}

func orAbsent(s string) string {
	if s == "" {
		return Absent
	}
	return s
}

func flatten(prefix string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok && (len(m) > 0 || prefix == "") {
		for k, x := range m {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, x, out)
		}
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprint(v))
	}
	out[prefix] = string(b)
}
