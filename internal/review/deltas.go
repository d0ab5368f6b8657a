package review

import (
	"math"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// CostDelta is the change of the monthly estimate, per cost line.
type CostDelta struct {
	Currency string     `json:"currency"`
	Lines    []CostLine `json:"lines"`
	Base     Money      `json:"base"`
	Head     Money      `json:"head"`
	Delta    Money      `json:"delta"`
}

// Money is a monthly low–high range.
type Money struct {
	Low  float64 `json:"monthlyLow"`
	High float64 `json:"monthlyHigh"`
}

// CostLine is one cost line whose monthly range changed.
type CostLine struct {
	Group  string `json:"group"`
	Item   string `json:"item"`
	Base   Money  `json:"base"`
	Head   Money  `json:"head"`
	Delta  Money  `json:"delta"`
	Config string `json:"configuration"`
}

func compareCost(base, head *cost.Estimate) CostDelta {
	var d CostDelta
	if base == nil || head == nil {
		return d
	}
	d.Currency = head.Currency
	sums := map[lineKey]*CostLine{}
	var order []lineKey
	add := func(e *cost.Estimate, pick func(*CostLine) *Money) {
		for _, l := range e.Lines {
			k := keyOf(l)
			c := sums[k]
			if c == nil {
				c = &CostLine{Group: l.Group, Item: l.Item}
				sums[k] = c
				order = append(order, k)
			} else if c.Item != l.Item && !strings.Contains(c.Item, " → ") {
				c.Item += " → " + l.Item
			}
			m := pick(c)
			m.Low += l.Low
			m.High += l.High
			c.Config = l.Config
		}
	}
	add(base, func(c *CostLine) *Money { return &c.Base })
	add(head, func(c *CostLine) *Money { return &c.Head })
	for _, k := range order {
		c := sums[k]
		c.Delta = Money{round(c.Head.Low - c.Base.Low), round(c.Head.High - c.Base.High)}
		if c.Delta != (Money{}) {
			c.Base, c.Head = Money{round(c.Base.Low), round(c.Base.High)}, Money{round(c.Head.Low), round(c.Head.High)}
			d.Lines = append(d.Lines, *c)
		}
	}
	d.Base, d.Head = Money{round(base.Low), round(base.High)}, Money{round(head.Low), round(head.High)}
	d.Delta = Money{round(head.Low - base.Low), round(head.High - base.High)}
	return d
}

// lineKey matches the lines of both sides that price one thing: a node
// group's instances are one line whatever their type.
type lineKey struct{ group, resource, item string }

func keyOf(l cost.Line) lineKey {
	item := l.Item
	if l.Resource != "" && strings.HasSuffix(item, " instances") {
		item = "instances"
	}
	return lineKey{l.Group, l.Resource, item}
}

func round(x float64) float64 { return math.Round(x*100) / 100 }

// GuardrailDelta sorts the failing guardrail findings of both sides.
type GuardrailDelta struct {
	Added   []Finding `json:"added"`
	Cleared []Finding `json:"cleared"`
	Still   []Finding `json:"stillFailing"`
}

// Finding is one failing or pending result of one control on one resource.
type Finding struct {
	Control string        `json:"control"`
	Title   string        `json:"title"`
	URN     string        `json:"urn"`
	Status  policy.Status `json:"status"`
	Message string        `json:"message,omitempty"`
	// Mandatory findings fail the plan (failed, not advisory).
	Mandatory bool `json:"mandatory"`
}

func findings(r *policy.Report) map[[2]string]Finding {
	out := map[[2]string]Finding{}
	if r == nil {
		return out
	}
	for _, x := range r.Results {
		if x.Status != policy.Failed && x.Status != policy.Pending {
			continue
		}
		out[[2]string{x.Control, x.URN}] = Finding{Control: x.Control, Title: x.Title, URN: x.URN, Status: x.Status,
			Message: x.Message, Mandatory: x.Status == policy.Failed && !x.Advisory}
	}
	return out
}

func compareGuardrails(base, head *policy.Report) GuardrailDelta {
	var d GuardrailDelta
	a, b := findings(base), findings(head)
	for k, f := range b {
		if old, ok := a[k]; !ok || (f.Mandatory && !old.Mandatory) {
			d.Added = append(d.Added, f)
		} else {
			d.Still = append(d.Still, f)
		}
	}
	for k, f := range a {
		if _, ok := b[k]; !ok {
			d.Cleared = append(d.Cleared, f)
		}
	}
	for _, l := range [][]Finding{d.Added, d.Cleared, d.Still} {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Control != l[j].Control {
				return l[i].Control < l[j].Control
			}
			return l[i].URN < l[j].URN
		})
	}
	return d
}

// KeyDiffChange is one Key Differences row whose value changed.
type KeyDiffChange struct {
	Feature string `json:"feature"`
	Base    string `json:"base"`
	Head    string `json:"head"`
}

func compareKeyDiffs(base, head []plan.Row) []KeyDiffChange {
	old := map[string]string{}
	for _, r := range base {
		old[r.Feature] = r.Value
	}
	var out []KeyDiffChange
	for _, r := range head {
		if v, ok := old[r.Feature]; !ok || v != r.Value {
			out = append(out, KeyDiffChange{Feature: r.Feature, Base: orAbsent(v), Head: r.Value})
		}
	}
	return out
}
