package savedplan

import (
	"fmt"
	"strings"
	"time"
)

// Current is what `up --plan` runs with, to compare with what the plan
// was made from.
type Current struct {
	Stack   string
	Program string
	Config  string
	// States are the layers' states now, by layer name.
	States map[string]State
	// PlanHashes are the engine plan files' hashes now, by layer name.
	PlanHashes map[string]string
	// Now is the clock the plan's age is judged by.
	Now time.Time
	// MaxAge is the oldest plan applied.
	MaxAge time.Duration
}

// RefusedError: the saved plan no longer describes what up would apply.
type RefusedError struct {
	// Path is the saved plan's summary.
	Path string
	// Reasons say what differs, one each.
	Reasons []string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refusing the saved plan %s: %s; preview again with --save-plan and review the new plan",
		e.Path, strings.Join(e.Reasons, "; "))
}

// Check is a *RefusedError naming everything that differs between the plan
// and cur, or nil when the plan still applies.
func (s *Summary) Check(path string, cur Current) error {
	var why []string
	if s.Stack != cur.Stack {
		why = append(why, fmt.Sprintf("it was made for stack %s, not %s", s.Stack, cur.Stack))
	}
	if age := cur.Now.Sub(s.Created); age > cur.MaxAge {
		why = append(why, fmt.Sprintf("it was saved %s ago (at %s), more than the %s --plan-max-age allows",
			age.Round(time.Second), s.Created.UTC().Format(time.RFC3339), cur.MaxAge))
	} else if age < -time.Minute {
		why = append(why, fmt.Sprintf("it was saved in the future (%s)", s.Created.UTC().Format(time.RFC3339)))
	}
	if s.Program != cur.Program {
		why = append(why, "the program changed since the plan was saved (another mlops build)")
	}
	if s.Config != cur.Config {
		why = append(why, "the stack configuration changed since the plan was saved (the stack file or the --set overrides)")
	}
	for _, l := range s.Layers {
		if got, ok := cur.PlanHashes[l.Layer]; !ok || got != l.PlanSHA256 {
			why = append(why, fmt.Sprintf("%s: the engine plan file %s is not the one saved", l.Stack, l.Plan))
		}
		now := cur.States[l.Layer]
		if now != l.Base {
			why = append(why, fmt.Sprintf("%s: the state moved since the plan was saved (update %d then, %d now%s)",
				l.Stack, l.Base.Version, now.Version, sameCount(l.Base, now)))
		}
	}
	if len(why) > 0 {
		return &RefusedError{Path: path, Reasons: why}
	}
	return nil
}

// sameCount notes a state whose resources changed without a new update.
func sameCount(then, now State) string {
	if then.Version == now.Version {
		return ", its resources differ"
	}
	return ""
}

// Lines are the summary as the approval prompt shows it.
func (s *Summary) Lines() []string {
	out := []string{fmt.Sprintf("saved plan for stack %s, saved %s (program %s, config %s)",
		s.Stack, s.Created.UTC().Format(time.RFC3339), short(s.Program), short(s.Config))}
	for _, l := range s.Layers {
		out = append(out, fmt.Sprintf("  %s (layer %s): %d to create, %d to update, %d to replace, %d to delete (against update %d)",
			l.Stack, l.Layer, l.Creates, l.Updates, l.Replaces, l.Deletes, l.Base.Version))
	}
	g := s.Guardrails
	line := fmt.Sprintf("  guardrails: %d passed, %d failed, %d pending, %d excepted", g.Passed, g.Failed, g.Pending, g.Excepted)
	if len(g.FailedControls) > 0 {
		line += " (failed: " + strings.Join(g.FailedControls, ", ") + ")"
	}
	out = append(out, line)
	if c := s.Cost; c != nil {
		line := fmt.Sprintf("  cost: %.0f–%.0f %s/month", c.MonthlyLow, c.MonthlyHigh, c.Currency)
		if c.Delta != nil {
			line += fmt.Sprintf(", %+.0f from %s", *c.Delta, c.Base)
		} else if c.Base != "" {
			line += " (" + c.Base + ")"
		}
		out = append(out, line)
	}
	return out
}

// short is a hash's first 12 characters.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
