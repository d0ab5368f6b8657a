package cli

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// planSections lays out `mlops plan` as tables: resource counts by
// component and type, the Key Differences, the Helm releases and the
// namespaces' Pod Security levels, the warnings, then the guardrails.
func planSections(out planOutput, g *plan.Graph) []output.Section {
	d := out.Document
	counts := output.Section{
		Title:  []string{fmt.Sprintf("Stack %s (project %s, profile %s)", d.Stack, d.Project, d.Spec.Profile), ""},
		Header: []string{"COMPONENT", "TYPE", "COUNT"},
	}
	total := 0
	for _, c := range plan.CountByComponent(g) {
		counts.Rows = append(counts.Rows, []string{c.Component, c.Type, fmt.Sprint(c.N)})
		total += c.N
	}
	counts.Rows = append(counts.Rows, []string{"TOTAL", "", fmt.Sprint(total)})
	keys := output.Section{Header: []string{"KEY DIFFERENCE", "VALUE (read from the evaluated graph)"}}
	for _, r := range d.KeyDiffs {
		keys.Rows = append(keys.Rows, []string{r.Feature, r.Value})
	}
	sections := append([]output.Section{counts, keys}, inClusterSections(g)...)
	warnings := make([]string, len(d.Warnings))
	for i, w := range d.Warnings {
		warnings[i] = "- " + w
	}
	sections = append(sections, list("WARNINGS", warnings))
	return append(sections, guardrailSections(out.Guardrails)...)
}

// inClusterSections lists the releases and the namespaces' PSA levels.
func inClusterSections(g *plan.Graph) []output.Section {
	rows := plan.Releases(g)
	if len(rows) == 0 {
		return nil
	}
	rel := output.Section{Header: []string{"RELEASE", "CHART", "VERSION", "NAMESPACE", "SOURCE"}}
	for _, r := range rows {
		rel.Rows = append(rel.Rows, []string{r.Release, r.Chart, r.Version, r.Namespace, r.Source})
	}
	ns := output.Section{Header: []string{"NAMESPACE", "PSA (enforce/warn/audit)", "EXEMPTION"}}
	for _, n := range plan.NamespaceLevels(g) {
		level := n.Enforce
		if n.Warn != n.Enforce || n.Audit != n.Enforce {
			level = strings.Join([]string{n.Enforce, n.Warn, n.Audit}, "/")
		}
		ns.Rows = append(ns.Rows, []string{n.Namespace, level, n.Reason})
	}
	return []output.Section{rel, ns}
}
