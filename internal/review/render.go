package review

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/output"
)

// Sections lays the review out as the CLI's tables.
func (r Review) Sections() []output.Section {
	title := output.Section{Title: []string{fmt.Sprintf("Review of stack %s: %s → %s", r.Stack, r.Base, r.Head)}}
	if r.Empty() {
		title.Title = append(title.Title, "No change: resources, cost, guardrails, permissions and Key Differences are the same.")
	}
	out := []output.Section{title}
	for _, p := range r.parts() {
		h, rows := p.rows()
		if len(rows) == 0 {
			continue
		}
		out = append(out, output.Section{Title: []string{strings.ToUpper(p.title) + " (" + p.summary + ")"}, Header: h, Rows: rows})
	}
	return append(out, output.Section{Lines: []string{r.Verdict()}})
}

// part is one section of the review, in the order the outputs show them.
type part struct {
	title, summary string
	rows           func() ([]string, [][]string)
}

func (r Review) parts() []part {
	res, g, p := r.Resources, r.Guardrails, r.Permissions
	replaced := 0
	for _, c := range res.Changed {
		if c.Replace {
			replaced++
		}
	}
	return []part{
		{"Resources", fmt.Sprintf("%d added, %d changed (%d replaced), %d removed", len(res.Added), len(res.Changed), replaced, len(res.Removed)), r.resourceRows},
		{"Monthly cost", "total " + delta(r.Cost.Delta) + " a month", r.costRows},
		{"Guardrails", fmt.Sprintf("%d added, %d cleared, %d still failing or pending", len(g.Added), len(g.Cleared), len(g.Still)), r.guardrailRows},
		{"Deployer permissions", fmt.Sprintf("%d added, %d removed, %d with changed conditions", len(p.Added), len(p.Removed), len(p.Conditions)), r.permissionRows},
		{"Key Differences", fmt.Sprintf("%d changed", len(r.KeyDifferences)), r.keyDiffRows},
	}
}
