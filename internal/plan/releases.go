package plan

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
	for _, r := range g.ByType(typetoken.HelmRelease) {
		str := func(k string) string { v, _ := r.Inputs[k].(string); return v }
		row := ReleaseRow{Release: str("name"), Chart: str("chart"), Version: str("version"), Namespace: str("namespace")}
		repo, _ := r.Input("repositoryOpts.repo")
		switch s, _ := repo.(string); {
		case s != "":
			row.Source = s
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
	for _, r := range g.ByType(typetoken.Namespace) {
		label := func(k string) string {
			v, _ := r.Input("metadata.labels")
			m, _ := v.(map[string]any)
			s, _ := m[kubenames.PSALabelPrefix+k].(string)
			return s
		}
		name, _ := r.Input("metadata.name")
		reason, _ := r.Input("metadata.annotations")
		ann, _ := reason.(map[string]any)
		why, _ := ann[kubenames.PSAExemptionAnnotation].(string)
		n := fmt.Sprint(name)
		seen[n] = true
		out = append(out, NamespaceRow{Namespace: n, Enforce: label("enforce"), Warn: label("warn"), Audit: label("audit"), Reason: why})
	}
	for _, e := range kubenames.Exemptions() {
		if !seen[e.Name] {
			out = append(out, NamespaceRow{Namespace: e.Name + " (EKS)", Enforce: e.Level, Warn: e.Level, Audit: e.Level, Reason: e.Reason})
		}
	}
	return out
}
