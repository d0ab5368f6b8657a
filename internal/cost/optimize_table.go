package cost

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteSavings prints the evaluated changes, each with $/month saved and
// the guardrails' verdict on the changed stack.
func WriteSavings(w io.Writer, base *Estimate, baseline *GuardrailVerdict, savings []Saving) error {
	fmt.Fprintf(w, "Savings for stack %s (baseline %s/month, guardrails %s)\n\n", base.Stack, money(base.Low, base.High), verdictText(baseline))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANGE\tSAVED/MONTH\tNEW MONTHLY\tGUARDRAILS")
	for _, s := range savings {
		if s.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\tnot evaluated: %s\n", s.Name, s.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, money(s.SavedLow, s.SavedHigh), money(s.NewLow, s.NewHigh), verdictText(s.Guardrails))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nHow each was evaluated, and caveats:")
	for _, s := range savings {
		fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Change)
		for _, c := range s.Caveats {
			fmt.Fprintf(w, "    caveat: %s\n", c)
		}
	}
	return nil
}

func verdictText(v *GuardrailVerdict) string {
	switch {
	case v == nil:
		return "not checked (no guardrail checker)"
	case v.Green:
		return "all mandatory green"
	default:
		return fmt.Sprintf("RED: %v", v.Failed)
	}
}
