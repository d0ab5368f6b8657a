package policy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the verdicts by control, then what failed and what to
// change, the stale exceptions and the controls not implemented.
func WriteTable(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "GUARDRAILS (stack %s, profile %s): %d of %d reference controls implemented\n", r.Stack, r.Profile, r.Implemented, r.ReferenceRows)
	fmt.Fprintln(tw, "CONTROL\tSEVERITY\tPASSED\tFAILED\tEXCEPTED\tTITLE")
	for _, c := range r.Controls {
		title := c.Title
		if c.Advisory {
			title += " (advisory)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", c.Control, c.Severity, c.Passed, c.Failed, c.Excepted, title)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the guardrails table: %w", err)
	}
	writeList(w, "\nFAILED (what to change)", r.Results, Failed)
	writeList(w, "\nEXCEPTED (exceptions.yaml)", r.Results, Excepted)
	if len(r.StaleExceptions) > 0 {
		fmt.Fprintln(w, "\nSTALE EXCEPTIONS (match no failing result: remove them)")
		for _, e := range r.StaleExceptions {
			fmt.Fprintf(w, "- control %s, profile %s%s: %s\n", e.Control, e.Profile, resourceSuffix(e.Resource), e.Reason)
		}
	}
	fmt.Fprintf(w, "\nNOT IMPLEMENTED: %s\n", notImplementedIDs(r.NotImplemented))
	verdict := "PASS: no mandatory control failed"
	if r.MandatoryFailed() {
		verdict = fmt.Sprintf("DENY: mandatory controls failed: %s", strings.Join(r.FailedControls(), ", "))
	}
	_, err := fmt.Fprintln(w, verdict)
	return err
}

func writeList(w io.Writer, heading string, rs []Result, status Status) {
	first := true
	for _, x := range rs {
		if x.Status != status {
			continue
		}
		if first {
			fmt.Fprintln(w, heading)
			first = false
		}
		fmt.Fprintf(w, "- [%s %s] %s: %s\n", x.Control, x.Severity, x.URN, x.Message)
		if x.Exception != "" {
			fmt.Fprintf(w, "    because: %s\n", x.Exception)
		}
	}
}

func resourceSuffix(r string) string {
	if r == "" {
		return ""
	}
	return ", resource " + r
}

func notImplementedIDs(cs []Control) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ") + " (reasons in the JSON output, guardrails.notImplemented)"
}
