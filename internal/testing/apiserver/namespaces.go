package apiserver

import (
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
)

// baseNameAnnotation remembers a namespace's declared name when a test
// applies it under another.
const baseNameAnnotation = "test.mlops-platform/declared-name"

// PSAEnforceLabel is the label Pod Security Admission enforces.
const PSAEnforceLabel = "pod-security.kubernetes.io/enforce"

// Namespace is what the admission checks need to know of one namespace.
type Namespace struct {
	// Name is the namespace as applied; Base is the name the program declares.
	Name, Base string
	// Level is the Pod Security level the namespace's label enforces.
	Level string
	// Want is the level the platform requires of the namespace
	// (kubenames.Namespaces): restricted unless a named exemption says otherwise.
	Want string
	// LimitRange is the container LimitRange, when the namespace has one.
	LimitRange *corev1.LimitRangeItem
	// QuotaCPU is the requests.cpu the quota allows, when there is one.
	QuotaCPU *resource.Quantity
}

// Workload reports whether the namespace is a workload namespace (it has a
// LimitRange and a quota).
func (n Namespace) Workload() bool { return n.LimitRange != nil && n.QuotaCPU != nil }

// Namespaces reads the namespaces the objects declare, with their level,
// container LimitRange and CPU quota.
func Namespaces(objs []Object) ([]Namespace, error) {
	required := map[string]string{}
	for _, n := range kubenames.Namespaces() {
		required[n.Name] = n.Level
	}
	idx := map[string]int{}
	var out []Namespace
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			idx[o.GetName()] = len(out)
			base := o.GetName()
			if b, ok := o.GetAnnotations()[baseNameAnnotation]; ok {
				base = b
			}
			out = append(out, Namespace{Name: o.GetName(), Base: base, Level: o.GetLabels()[PSAEnforceLabel], Want: required[base]})
		}
	}
	for _, o := range objs {
		i, ok := idx[o.GetNamespace()]
		if !ok {
			continue
		}
		switch o.GetKind() {
		case "LimitRange":
			var lr corev1.LimitRange
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &lr); err != nil {
				return nil, err
			}
			for j := range lr.Spec.Limits {
				if lr.Spec.Limits[j].Type == corev1.LimitTypeContainer {
					out[i].LimitRange = &lr.Spec.Limits[j]
				}
			}
		case "ResourceQuota":
			var q corev1.ResourceQuota
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &q); err != nil {
				return nil, err
			}
			if cpu, ok := q.Spec.Hard[corev1.ResourceRequestsCPU]; ok {
				out[i].QuotaCPU = &cpu
			}
		}
	}
	return out, nil
}
