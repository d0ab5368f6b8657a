package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
)

// PermissionDelta is the deploying role's permissions a change adds or
// removes, one (effect, action, resource) a row, and the conditions it
// widens or narrows on the permissions both sides grant.
type PermissionDelta struct {
	Added   []Permission `json:"added"`
	Removed []Permission `json:"removed"`
	// Conditions are permissions of both sides whose conditions differ.
	Conditions []ConditionChange `json:"conditions"`
}

// Permission is one action on one resource pattern of the deployer policy.
type Permission struct {
	Effect   string `json:"effect"`
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// Condition lists the statement's condition values, "operator key value".
	Condition []string `json:"condition,omitempty"`
}

// ConditionChange is a permission whose condition values changed.
type ConditionChange struct {
	Permission
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

type grant struct{ effect, action, resource string }

func permissions(r *deployerpolicy.Result) map[grant][]string {
	out := map[grant][]string{}
	if r == nil {
		return out
	}
	for _, p := range r.Policies {
		for _, s := range p.Document.Statement {
			cond := conditionValues(s.Condition)
			for _, a := range s.Action {
				for _, res := range s.Resource {
					g := grant{s.Effect, a, res}
					out[g] = append(out[g], cond...)
				}
			}
		}
	}
	return out
}

// conditionValues flattens a condition block to "operator key value"
// entries, sorted.
func conditionValues(c map[string]map[string]any) []string {
	var out []string
	for op, keys := range c {
		for k, v := range keys {
			vals, ok := v.([]string)
			if !ok {
				if list, isList := v.([]any); isList {
					for _, x := range list {
						vals = append(vals, fmt.Sprint(x))
					}
				} else {
					vals = []string{fmt.Sprint(v)}
				}
			}
			for _, x := range vals {
				out = append(out, op+" "+k+" "+x)
			}
		}
	}
	sort.Strings(out)
	return out
}

func comparePermissions(base, head *deployerpolicy.Result) PermissionDelta {
	a, b := permissions(base), permissions(head)
	var d PermissionDelta
	for g, cond := range b {
		old, ok := a[g]
		p := Permission{g.effect, g.action, g.resource, cond}
		switch {
		case !ok:
			d.Added = append(d.Added, p)
		case !slices.Equal(old, cond):
			d.Conditions = append(d.Conditions, ConditionChange{Permission: p, Added: minus(cond, old), Removed: minus(old, cond)})
		}
	}
	for g, cond := range a {
		if _, ok := b[g]; !ok {
			d.Removed = append(d.Removed, Permission{g.effect, g.action, g.resource, cond})
		}
	}
	byAction := func(x, y Permission) int {
		return strings.Compare(x.Action+" "+x.Resource+" "+x.Effect, y.Action+" "+y.Resource+" "+y.Effect)
	}
	slices.SortFunc(d.Added, byAction)
	slices.SortFunc(d.Removed, byAction)
	slices.SortFunc(d.Conditions, func(x, y ConditionChange) int { return byAction(x.Permission, y.Permission) })
	return d
}

// minus is the entries of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
