package plan

import (
	"path"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// ReleaseRow is one Helm release of the evaluated graph. Source is where
// its chart comes from: the Helm repository's URL, the OCI registry path,
// or "local" for a chart directory (Chart is then its path).
type ReleaseRow struct {
	Release, Chart, Version, Namespace, Source string
}

// Releases returns the graph's Helm releases, sorted by namespace and name.
func Releases(g *Graph) []ReleaseRow {
	var out []ReleaseRow
	for _, r := range g.HelmReleases() {
		row := ReleaseRow{Release: r.Name, Chart: r.Chart, Version: r.Version, Namespace: r.Namespace}
		switch {
		case r.Repo != "":
			row.Source = r.Repo
		case strings.HasPrefix(row.Chart, "oci://"):
			row.Source = "oci://" + path.Dir(strings.TrimPrefix(row.Chart, "oci://"))
		default:
			row.Source = "local"
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Release < out[j].Release
	})
	return out
}

// NamespaceRow is the Pod Security level of one namespace.
type NamespaceRow struct {
	Namespace, Enforce, Warn, Audit, Reason string
}

// NamespaceLevels returns the PSA labels of the graph's namespaces, plus
// the EKS-managed namespaces the platform lists as exemptions.
func NamespaceLevels(g *Graph) []NamespaceRow {
	var out []NamespaceRow
	seen := map[string]bool{}
	for _, ns := range g.Namespaces() {
		label := func(k string) string { return ns.Labels[kubenames.PSALabelPrefix+k] }
		seen[ns.Name] = true
		out = append(out, NamespaceRow{Namespace: ns.Name, Enforce: label("enforce"), Warn: label("warn"), Audit: label("audit"),
			Reason: ns.Annotations[kubenames.PSAExemptionAnnotation]})
	}
	for _, e := range kubenames.Exemptions() {
		if !seen[e.Name] {
			out = append(out, NamespaceRow{Namespace: e.Name + " (EKS)", Enforce: e.Level, Warn: e.Level, Audit: e.Level, Reason: e.Reason})
		}
	}
	return out
}
