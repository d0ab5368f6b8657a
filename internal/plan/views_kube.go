package plan

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Release is a Helm release as declared.
type Release struct {
	Resource Resource
	// Chart is the chart's name, OCI reference or local path; Repo the
	// Helm repository's URL ("" for OCI and local charts).
	Name, Chart, Version, Namespace, Repo string
}

// ReleaseOf reads a kubernetes:helm.sh/v3:Release resource.
func ReleaseOf(r Resource) Release {
	return Release{Resource: r, Name: r.String("name"), Chart: r.String("chart"), Version: r.String("version"),
		Namespace: r.String("namespace"), Repo: r.String("repositoryOpts.repo")}
}

// HelmReleases are the graph's Helm releases, in URN order.
func (g *Graph) HelmReleases() []Release { return viewAll(g, typetoken.HelmRelease, ReleaseOf) }

// Values are the release's values as declared (nil for none).
func (r Release) Values() map[string]any {
	v, _ := r.Resource.Input(valuesInput)
	m, _ := v.(map[string]any)
	return m
}

// valuesInput is the input holding a release's values.
const valuesInput = "values"

// Value is the release's value at a dotted path of its values.
func (r Release) Value(path string) (any, bool) { return r.Resource.Input(valuesInput + "." + path) }

// ValueString is the release's string value at a dotted path, "" when
// absent or not a string.
func (r Release) ValueString(path string) string { return r.Resource.String(valuesInput + "." + path) }

// ValueInt is the release's whole-number value at a dotted path; ok is
// false when absent or not a number.
func (r Release) ValueInt(path string) (int, bool) { return r.Resource.Int(valuesInput + "." + path) }

// Object is a Kubernetes object as declared: its metadata.
type Object struct {
	Resource            Resource
	Name, Namespace     string
	Labels, Annotations map[string]string
}

// ObjectOf reads the metadata of a Kubernetes resource.
func ObjectOf(r Resource) Object {
	return Object{Resource: r, Name: r.String("metadata.name"), Namespace: r.String("metadata.namespace"),
		Labels: r.StringMap("metadata.labels"), Annotations: r.StringMap("metadata.annotations")}
}

// Objects are the graph's Kubernetes objects of one type, in URN order.
func (g *Graph) Objects(typ string) []Object { return viewAll(g, typ, ObjectOf) }

// Namespaces are the graph's namespaces, in URN order.
func (g *Graph) Namespaces() []Object { return g.Objects(typetoken.Namespace) }
