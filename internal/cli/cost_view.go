package cli

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/criticalpath"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// costSections lays out `mlops cost` as tables: the estimate beside the
// document, then the lines, the comparison, the savings and the critical
// paths the options asked for.
func costSections(o CostOptions, rep costReport) []output.Section {
	out := estimateSections(rep.Estimate)
	if o.Lines {
		out = append(out, linesSection(rep.Estimate))
	}
	if rep.Compare != nil {
		out = append(out, sideBySideSection(rep.Estimate, rep.Compare))
	}
	if o.Optimize {
		out = append(out, savingsSections(rep.Estimate, rep.Baseline, rep.Savings)...)
		out = append(out, optimizeSections(rep)...)
	}
	for _, r := range rep.CriticalPath {
		out = append(out, criticalPathSection(r))
	}
	return out
}

// estimateSections: one row per group with the document's figure beside
// it, the total, then the reasons for every difference and any unpriced
// items and warnings.
func estimateSections(e *cost.Estimate) []output.Section {
	t := output.Section{
		Title:  []string{fmt.Sprintf("Cost estimate, stack %s (%s, %s/month, %g h/month)", e.Stack, e.Region, e.Currency, e.HoursPerMonth), ""},
		Header: []string{"COMPONENT", "CONFIGURATION", "MONTHLY (OURS)", "DOCUMENT", "VERDICT"},
	}
	cmp := cost.Compare(e)
	var notes []string
	for i, g := range e.Groups() {
		c := cmp[i]
		mark := c.Verdict
		if c.Why != "" && c.Document != "" {
			notes = append(notes, fmt.Sprintf("  [%d] %s: %s", len(notes)+1, g.Group, c.Why))
			mark = fmt.Sprintf("%s [%d]", c.Verdict, len(notes))
		}
		t.Rows = append(t.Rows, []string{g.Group, strings.Join(g.Config, " + "), cost.Money(g.Low, g.High) + unpricedMark(g.Unpriced), dash(c.Document), mark})
	}
	total := cmp[len(cmp)-1]
	t.Rows = append(t.Rows, []string{"Total", "", cost.Money(e.Low, e.High) + unpricedMark(len(e.Unpriced) > 0), total.Document, total.Verdict})
	return []output.Section{t,
		list("Why ours differs from the document (the document's '~' figures get ±10%):", notes),
		list("UNPRICED (not counted; the total is a lower bound):", indent(e.Unpriced)),
		list("WARNINGS:", indent(e.Warnings)),
	}
}

// linesSection lists every cost line with its price keys.
func linesSection(e *cost.Estimate) output.Section {
	s := output.Section{Header: []string{"GROUP", "ITEM", "CONFIGURATION", "MONTHLY", "PRICES"}}
	for _, l := range e.Lines {
		m := cost.Money(l.Low, l.High)
		if l.Unpriced {
			m = "UNPRICED"
		}
		s.Rows = append(s.Rows, []string{l.Group, l.Item, l.Config, m, strings.Join(l.Prices, ",")})
	}
	return s
}

// sideBySideSection sets two stacks' group totals next to each other.
func sideBySideSection(a, b *cost.Estimate) output.Section {
	s := output.Section{Header: []string{"COMPONENT", strings.ToUpper(a.Stack), strings.ToUpper(b.Stack), "DIFFERENCE"}}
	ga, gb := byGroup(a.Groups()), byGroup(b.Groups())
	for _, name := range cost.GroupOrder {
		x, okA := ga[name]
		y, okB := gb[name]
		if !okA && !okB {
			continue
		}
		s.Rows = append(s.Rows, []string{name, cost.Money(x.Low, x.High), cost.Money(y.Low, y.High), signed(x.Low-y.Low, x.High-y.High)})
	}
	s.Rows = append(s.Rows, []string{"Total", cost.Money(a.Low, a.High), cost.Money(b.Low, b.High), signed(a.Low-b.Low, a.High-b.High)})
	return s
}

// savingsSections lists the evaluated changes, each with $/month saved and
// the guardrails' verdict on the changed stack, then how each was made.
func savingsSections(base *cost.Estimate, baseline *cost.GuardrailVerdict, savings []cost.Saving) []output.Section {
	t := output.Section{
		Title:  []string{fmt.Sprintf("Savings for stack %s (baseline %s/month, guardrails %s)", base.Stack, cost.Money(base.Low, base.High), verdictText(baseline)), ""},
		Header: []string{"CHANGE", "SAVED/MONTH", "NEW MONTHLY", "GUARDRAILS"},
	}
	var how []string
	for _, s := range savings {
		if s.Error != "" {
			t.Rows = append(t.Rows, []string{s.Name, "-", "-", "not evaluated: " + s.Error})
		} else {
			t.Rows = append(t.Rows, []string{s.Name, cost.Money(s.SavedLow, s.SavedHigh), cost.Money(s.NewLow, s.NewHigh), verdictText(s.Guardrails)})
		}
		how = append(how, fmt.Sprintf("  %s: %s", s.Name, s.Change))
		for _, c := range s.Caveats {
			how = append(how, "    caveat: "+c)
		}
	}
	return []output.Section{t, list("How each was evaluated, and caveats:", how)}
}

// criticalPathSection shows the estimated first-deploy time and the path
// of resources that decides it, each with its typical time and source.
func criticalPathSection(r *criticalpath.Result) output.Section {
	s := output.Section{
		Title:  []string{fmt.Sprintf("First deploy of stack %s: about %s (unlimited parallelism; typical create times)", r.Stack, minutes(r.Total)), ""},
		Header: []string{"START", "FINISH", "TAKES", "TYPE", "NAME", "SOURCE"},
	}
	for _, st := range r.Path {
		if st.Duration == 0 {
			continue
		}
		s.Rows = append(s.Rows, []string{minutes(st.Start), minutes(st.Finish), minutes(st.Duration), st.Type, st.Name, st.Source})
	}
	return s
}

func verdictText(v *cost.GuardrailVerdict) string {
	switch {
	case v == nil:
		return "not checked (no guardrail checker)"
	case v.Green:
		return "all mandatory green"
	default:
		return fmt.Sprintf("RED: %v", v.Failed)
	}
}

func byGroup(gs []cost.GroupTotal) map[string]cost.GroupTotal {
	m := map[string]cost.GroupTotal{}
	for _, g := range gs {
		m[g.Group] = g
	}
	return m
}

func signed(low, high float64) string { return fmt.Sprintf("%+.0f to %+.0f", low, high) }

func unpricedMark(u bool) string {
	if u {
		return " +UNPRICED"
	}
	return ""
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
