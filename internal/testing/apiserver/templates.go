package apiserver

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// PodTemplate is the pod template of a declared workload object (a Job):
// Pod Security Admission enforces only on pods, so an applied Job with a
// non-compliant template is accepted and its pods are refused later.
type PodTemplate struct {
	// Owner names the object, as "Kind namespace/name".
	Owner     string
	Namespace string
	Spec      corev1.PodSpec
}

// PodTemplates returns the pod templates (spec.template.spec) of objs.
func PodTemplates(objs []Object) ([]PodTemplate, error) {
	var out []PodTemplate
	for _, o := range objs {
		raw, found, err := unstructured.NestedMap(o.Object, "spec", "template", "spec")
		if err != nil || !found {
			continue
		}
		owner := fmt.Sprintf("%s %s/%s", o.GetKind(), o.GetNamespace(), o.GetName())
		var spec corev1.PodSpec
		if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(raw, &spec, true); err != nil {
			return nil, fmt.Errorf("%s: reading its pod template: %w", owner, err)
		}
		out = append(out, PodTemplate{Owner: owner, Namespace: o.GetNamespace(), Spec: spec})
	}
	return out, nil
}

// CheckTemplateAdmitted: a pod made from the template is admitted in the
// template's namespace (Pod Security, LimitRange, quota, service account).
func (s *Server) CheckTemplateAdmitted(ctx context.Context, tpl PodTemplate) error {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "from-template-"}, Spec: tpl.Spec}
	if _, err := s.dryRun(ctx, tpl.Namespace, pod); err != nil {
		return fmt.Errorf("a pod of %s was refused: %w", tpl.Owner, err)
	}
	return nil
}
