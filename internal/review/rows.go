package review

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/cost"
)

// The rows below are shared by the table and the Markdown comment: each
// section's header and its rows, the values as text.

// resourceRows lists each added, changed and removed resource, a changed
// resource followed by one row per changed input.
func (r Review) resourceRows() (header []string, rows [][]string) {
	header = []string{"CHANGE", "TYPE", "NAME", "MARKS", "INPUT: BASE → HEAD"}
	add := func(op string, cs []ResourceChange) {
		for _, c := range cs {
			what := op
			if c.Replace {
				what = "replace"
			}
			rows = append(rows, []string{what, c.Type, c.Name, marks(c), ""})
			for _, in := range c.Inputs {
				mark := ""
				if in.Replaces {
					mark = " (forces replacement)"
				}
				rows = append(rows, []string{"", "", "", "", in.Path + ": " + short(in.Base) + " → " + short(in.Head) + mark})
			}
		}
	}
	add("add", r.Resources.Added)
	add("change", r.Resources.Changed)
	add("remove", r.Resources.Removed)
	return header, rows
}

func marks(c ResourceChange) string {
	var m []string
	if c.Protected {
		m = append(m, "protected")
	}
	if c.Stateful {
		m = append(m, "stateful")
	}
	return strings.Join(m, ", ")
}

// short cuts a value to a width a table row keeps readable.
func short(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max-1] + "…"
}

func (r Review) costRows() (header []string, rows [][]string) {
	header = []string{"GROUP", "ITEM", "BASE", "HEAD", "DELTA"}
	if len(r.Cost.Lines) == 0 && r.Cost.Delta == (Money{}) {
		return header, nil
	}
	for _, l := range r.Cost.Lines {
		rows = append(rows, []string{l.Group, l.Item, cost.Money(l.Base.Low, l.Base.High), cost.Money(l.Head.Low, l.Head.High), delta(l.Delta)})
	}
	c := r.Cost
	rows = append(rows, []string{"TOTAL", "", cost.Money(c.Base.Low, c.Base.High), cost.Money(c.Head.Low, c.Head.High), delta(c.Delta)})
	return header, rows
}

// delta formats a monthly change with its sign: "+$12", "-$87", "$0".
func delta(m Money) string {
	s := cost.Money(m.Low, m.High)
	if m.Low >= 0 && m.High > 0 {
		return "+" + s
	}
	return s
}

func (r Review) guardrailRows() (header []string, rows [][]string) {
	header = []string{"FINDING", "CONTROL", "STATUS", "RESOURCE", "TITLE"}
	add := func(what string, fs []Finding) {
		for _, f := range fs {
			status := string(f.Status)
			if f.Mandatory {
				status += " (mandatory)"
			}
			rows = append(rows, []string{what, f.Control, status, nameOf(f.URN), f.Title})
		}
	}
	add("added", r.Guardrails.Added)
	add("cleared", r.Guardrails.Cleared)
	add("still", r.Guardrails.Still)
	return header, rows
}

func nameOf(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

func (r Review) permissionRows() (header []string, rows [][]string) {
	header = []string{"CHANGE", "EFFECT", "ACTION", "RESOURCE", "CONDITION"}
	for _, p := range r.Permissions.Added {
		rows = append(rows, []string{"added", p.Effect, p.Action, p.Resource, strings.Join(p.Condition, "; ")})
	}
	for _, p := range r.Permissions.Removed {
		rows = append(rows, []string{"removed", p.Effect, p.Action, p.Resource, strings.Join(p.Condition, "; ")})
	}
	for _, c := range r.Permissions.Conditions {
		var parts []string
		for _, x := range c.Added {
			parts = append(parts, "+ "+x)
		}
		for _, x := range c.Removed {
			parts = append(parts, "- "+x)
		}
		rows = append(rows, []string{"condition", c.Effect, c.Action, c.Resource, strings.Join(parts, "; ")})
	}
	return header, rows
}

func (r Review) keyDiffRows() (header []string, rows [][]string) {
	header = []string{"KEY DIFFERENCE", "BASE", "HEAD"}
	for _, k := range r.KeyDifferences {
		rows = append(rows, []string{k.Feature, k.Base, k.Head})
	}
	return header, rows
}

// Verdict is the review's one-line conclusion.
func (r Review) Verdict() string {
	if r.Regressed {
		return "FAIL: a mandatory guardrail fails that passed at the base"
	}
	return "PASS: no mandatory guardrail regressed"
}
