package apiserver

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// HelmRelease is the type token of Helm releases, which are not applied:
// their charts are rendered by Helm, not declared as objects.
const HelmRelease = "kubernetes:helm.sh/v3:Release"

// Object is one Kubernetes object the program declares.
type Object struct {
	URN string
	*unstructured.Unstructured
}

// Objects returns the Kubernetes objects of a graph (everything but Helm
// releases and the provider), in dependency order: an object comes after
// every object it depends on, namespaces first among equals.
func Objects(g *plan.Graph) ([]Object, error) {
	var rs []plan.Resource
	for _, r := range g.Resources {
		if r.Custom && strings.HasPrefix(r.Type, "kubernetes:") && r.Type != HelmRelease {
			rs = append(rs, r)
		}
	}
	ordered, err := topological(g, rs)
	if err != nil {
		return nil, err
	}
	out := make([]Object, 0, len(ordered))
	for _, r := range ordered {
		obj, err := toUnstructured(r)
		if err != nil {
			return nil, err
		}
		out = append(out, Object{URN: r.URN, Unstructured: obj})
	}
	return out, nil
}

func toUnstructured(r plan.Resource) (*unstructured.Unstructured, error) {
	content := map[string]any{}
	for k, v := range r.Inputs {
		content[k] = v
	}
	obj := &unstructured.Unstructured{Object: normalise(content).(map[string]any)}
	if obj.GetKind() == "" || obj.GetAPIVersion() == "" || obj.GetName() == "" {
		return nil, fmt.Errorf("%s: inputs lack apiVersion, kind or metadata.name", r.URN)
	}
	if obj.GetKind() == "Secret" {
		redactSecretData(obj)
	}
	return obj, nil
}

// normalise turns the plan's int64 numbers into the int64/float64 values
// unstructured objects accept and drops nulls.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e != nil {
				out[k] = normalise(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	case int:
		return int64(x)
	}
	return v
}

// redactSecretData replaces values the plan redacted with a valid
// placeholder, so the API server judges the object, not the redaction.
func redactSecretData(obj *unstructured.Unstructured) {
	placeholder := base64.StdEncoding.EncodeToString([]byte("redacted-in-plan"))
	for _, field := range []string{"data", "stringData"} {
		if obj.Object[field] == plan.Redacted {
			obj.Object[field] = map[string]any{"redacted": placeholder}
			continue
		}
		m, ok := obj.Object[field].(map[string]any)
		if !ok {
			continue
		}
		for k, v := range m {
			if v == plan.Redacted {
				if field == "data" {
					m[k] = placeholder
				} else {
					m[k] = "redacted-in-plan"
				}
			}
		}
	}
}

// topological orders rs so that dependencies come first (Kahn's algorithm,
// ties broken by kind rank then URN for a stable order).
func topological(g *plan.Graph, rs []plan.Resource) ([]plan.Resource, error) {
	n := len(rs)
	after := make([][]int, n)
	indeg := make([]int, n)
	for i := range rs {
		for j := range rs {
			if i != j && g.DependsOn(rs[i].URN, rs[j].URN) {
				after[j] = append(after[j], i)
				indeg[i]++
			}
		}
	}
	less := func(a, b int) bool {
		ra, rb := kindRank(rs[a].Type), kindRank(rs[b].Type)
		if ra != rb {
			return ra < rb
		}
		return rs[a].URN < rs[b].URN
	}
	var ready, order []int
	for i := range rs {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		sort.Slice(ready, func(a, b int) bool { return less(ready[a], ready[b]) })
		i := ready[0]
		ready = ready[1:]
		order = append(order, i)
		for _, j := range after[i] {
			if indeg[j]--; indeg[j] == 0 {
				ready = append(ready, j)
			}
		}
	}
	if len(order) != n {
		return nil, fmt.Errorf("the Kubernetes objects depend on each other in a cycle")
	}
	out := make([]plan.Resource, n)
	for k, i := range order {
		out[k] = rs[i]
	}
	return out, nil
}

// kindRank puts cluster-scoped foundations before namespaced objects.
func kindRank(typ string) int {
	for i, k := range []string{"Namespace", "StorageClass", "ClusterRole", "ServiceAccount", "Role", "Binding"} {
		if strings.Contains(typ, k) {
			return i
		}
	}
	return 10
}

// Rename gives every namespace, and every cluster-scoped object, a suffix,
// so that several variants of the layer can live in one API server.
func Rename(objs []Object, suffix string) {
	if suffix == "" {
		return
	}
	names := map[string]bool{}
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			names[o.GetName()] = true
		}
	}
	for _, o := range objs {
		switch {
		case o.GetKind() == "Namespace":
			ann := o.GetAnnotations()
			if ann == nil {
				ann = map[string]string{}
			}
			ann[baseNameAnnotation] = o.GetName()
			o.SetAnnotations(ann)
			o.SetName(o.GetName() + suffix)
		case names[o.GetNamespace()]:
			o.SetNamespace(o.GetNamespace() + suffix)
		case o.GetNamespace() == "" && clusterScoped[o.GetKind()]:
			o.SetName(o.GetName() + suffix)
		}
	}
}

// clusterScoped are the cluster-wide kinds the layer declares.
var clusterScoped = map[string]bool{"StorageClass": true, "ClusterRole": true, "ClusterRoleBinding": true, "IngressClass": true}
