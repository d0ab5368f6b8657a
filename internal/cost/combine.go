package cost

import (
	"context"
	"fmt"
	"strings"
)

// Combined is the combined variant: every green single change that keeps
// the document's guarantees, applied together and evaluated like a single
// change (re-evaluated stack, repriced, every guardrail re-checked).
type Combined struct {
	Saving
	// Members are the names of the single changes it applies.
	Members []string `json:"members"`
	// SumLow and SumHigh add up the members' single savings; the combined
	// saving differs from that sum where the changes interact.
	SumLow  float64 `json:"sumOfSinglesLow"`
	SumHigh float64 `json:"sumOfSinglesHigh"`
	// Left lists the single changes kept out, each with the reason.
	Left []string `json:"left,omitempty"`
}

// Interaction is the combined saving minus the sum of the singles, low
// and high (negative when the changes overlap).
func (c *Combined) Interaction() (low, high float64) {
	return round2(c.SavedLow - c.SumLow), round2(c.SavedHigh - c.SumHigh)
}

// Combine picks from the evaluated singles those that are green, give up
// no guarantee and save something, keeps one change per setting (the one
// saving most: m6g and m7g both set the general instance types), and
// evaluates them as one variant. It returns nil when no single qualifies.
func (o *Optimizer) Combine(ctx context.Context, base *Estimate, changes []Change, singles []Saving) (*Combined, error) {
	if len(changes) != len(singles) {
		return nil, fmt.Errorf("combine: %d changes but %d evaluated savings", len(changes), len(singles))
	}
	chosen := map[string]int{} // setting -> index of the change that owns it
	var left []string
	var picked []int
	for i, s := range singles {
		if why := ineligible(s); why != "" {
			left = append(left, s.Name+": "+why)
			continue
		}
		clash := -1
		for _, k := range settings(changes[i]) {
			if j, ok := chosen[k]; ok {
				clash = j
			}
		}
		switch {
		case clash < 0:
		case singles[clash].SavedLow >= s.SavedLow:
			left = append(left, fmt.Sprintf("%s: sets what %s sets, which saves more", s.Name, singles[clash].Name))
			continue
		default:
			left = append(left, fmt.Sprintf("%s: sets what %s sets, which saves more", singles[clash].Name, s.Name))
			picked = remove(picked, clash)
		}
		for _, k := range settings(changes[i]) {
			chosen[k] = i
		}
		picked = append(picked, i)
	}
	if len(picked) == 0 {
		return nil, nil
	}
	c := &Combined{Left: left}
	all := Change{Name: "Combined: the green changes that keep the guarantees"}
	var usages []func(Usage) Usage
	for _, i := range picked {
		ch := changes[i]
		c.Members = append(c.Members, ch.Name)
		c.SumLow += singles[i].SavedLow
		c.SumHigh += singles[i].SavedHigh
		all.Sets = append(all.Sets, ch.Sets...)
		if ch.Usage != nil {
			usages = append(usages, ch.Usage)
		}
	}
	if len(usages) > 0 {
		all.Usage = func(u Usage) Usage {
			for _, f := range usages {
				u = f(u)
			}
			return u
		}
	}
	c.SumLow, c.SumHigh = round2(c.SumLow), round2(c.SumHigh)
	c.Saving = o.one(ctx, base, all)
	return c, ctx.Err()
}

// ineligible says why an evaluated single change stays out of the
// combined variant, or "".
func ineligible(s Saving) string {
	switch {
	case s.Error != "":
		return "not evaluated"
	case s.Guardrails == nil:
		return "guardrails not checked"
	case !s.Guardrails.Green:
		return fmt.Sprintf("mandatory guardrails fail %v", s.Guardrails.Failed)
	case s.Drops != "":
		return "gives up " + s.Drops
	case s.SavedHigh <= 0:
		return "saves nothing"
	}
	return ""
}

// settings are the spec keys a change's overrides set.
func settings(c Change) []string {
	out := make([]string, 0, len(c.Sets))
	for _, s := range c.Sets {
		k, _, _ := strings.Cut(s, "=")
		out = append(out, k)
	}
	return out
}

func remove(list []int, v int) []int {
	out := list[:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// Estimate returns the estimate of the changed stack (nil when the change
// was not evaluated).
func (s *Saving) Estimate() *Estimate { return s.estimate }
