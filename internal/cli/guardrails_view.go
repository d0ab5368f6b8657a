package cli

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// guardrailSections lays out the verdicts by control, each with its
// standard IDs (Security Hub, CIS, Checkov, Trivy), then what failed and
// what to change, the exceptions, the stale exceptions, the controls not
// implemented and the plan's verdict.
func guardrailSections(r *policy.Report) []output.Section {
	if r == nil {
		return nil
	}
	t := output.Section{
		Title:  []string{fmt.Sprintf("GUARDRAILS (stack %s, profile %s): %d of %d reference controls implemented", r.Stack, r.Profile, r.Implemented, r.ReferenceRows)},
		Header: []string{"CONTROL", "SEVERITY", "PASSED", "FAILED", "PENDING", "EXCEPTED", "TITLE", "STANDARD IDS"},
	}
	for _, c := range r.Controls {
		title := c.Title
		if c.Advisory {
			title += " (advisory)"
		}
		t.Rows = append(t.Rows, []string{c.Control, string(c.Severity), fmt.Sprint(c.Passed), fmt.Sprint(c.Failed), fmt.Sprint(c.Pending), fmt.Sprint(c.Excepted), title, strings.Join(c.IDs, ", ")})
	}
	var stale []string
	for _, e := range r.StaleExceptions {
		res := ""
		if e.Resource != "" {
			res = ", resource " + e.Resource
		}
		stale = append(stale, fmt.Sprintf("- control %s, profile %s%s: %s", e.Control, e.Profile, res, e.Reason))
	}
	ids := make([]string, len(r.NotImplemented))
	for i, c := range r.NotImplemented {
		ids[i] = c.ID
	}
	verdict := "PASS: no mandatory control failed"
	if keys := r.PendingInputs(); len(keys) > 0 {
		verdict += "; pending until set: " + strings.Join(keys, ", ") + " (a deploy refuses until then)"
	}
	if r.MandatoryFailed() {
		verdict = "DENY: mandatory controls failed: " + strings.Join(r.FailedControls(), ", ")
	}
	return []output.Section{t,
		list("FAILED (what to change)", resultLines(r.Results, policy.Failed)),
		list("PENDING (set the key before deploying)", resultLines(r.Results, policy.Pending)),
		list("EXCEPTED (exceptions.yaml)", resultLines(r.Results, policy.Excepted)),
		list("STALE EXCEPTIONS (match no failing result: remove them)", stale),
		{Lines: []string{"NOT IMPLEMENTED: " + strings.Join(ids, ", ") + " (reasons in the JSON output, guardrails.notImplemented)", verdict}},
	}
}

// resultLines lists the results of one status, each naming our control,
// its standard IDs, the resource and what to change.
func resultLines(rs []policy.Result, status policy.Status) []string {
	var out []string
	for _, x := range rs {
		if x.Status != status {
			continue
		}
		control := x.Control
		if len(x.IDs) > 0 {
			control += " " + strings.Join(x.IDs, ", ")
		}
		out = append(out, fmt.Sprintf("- [%s; %s] %s: %s", control, x.Severity, x.URN, x.Message))
		if x.Needs != "" {
			out = append(out, "    needs: "+x.Needs)
		}
		if x.Exception != "" {
			out = append(out, "    because: "+x.Exception)
		}
	}
	return out
}
