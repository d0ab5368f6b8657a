package rendercheck

import (
	"fmt"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// SelfAdmitted lists the objects of one release that a fail-closed
// admission webhook of the same release must admit. Helm applies them
// together, before the webhook's pod serves, so the API server refuses
// them on the first install (and with atomic, on every retry). plurals
// maps kinds to resource names (Plurals); nsLabels are the namespaces'
// labels, for namespace selectors.
func SelfAdmitted(objs []*unstructured.Unstructured, plurals map[string]string, nsLabels map[string]map[string]string) ([]string, error) {
	type hook struct {
		config, name string
		rules        []admissionv1.RuleWithOperations
		ns, obj      *metav1.LabelSelector
	}
	var hooks []hook
	for _, o := range objs {
		switch o.GetKind() {
		case "ValidatingWebhookConfiguration":
			var c admissionv1.ValidatingWebhookConfiguration
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &c); err != nil {
				return nil, fmt.Errorf("reading %s: %w", o.GetName(), err)
			}
			for _, w := range c.Webhooks {
				if failClosed(w.FailurePolicy) {
					hooks = append(hooks, hook{c.Name, w.Name, w.Rules, w.NamespaceSelector, w.ObjectSelector})
				}
			}
		case "MutatingWebhookConfiguration":
			var c admissionv1.MutatingWebhookConfiguration
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &c); err != nil {
				return nil, fmt.Errorf("reading %s: %w", o.GetName(), err)
			}
			for _, w := range c.Webhooks {
				if failClosed(w.FailurePolicy) {
					hooks = append(hooks, hook{c.Name, w.Name, w.Rules, w.NamespaceSelector, w.ObjectSelector})
				}
			}
		}
	}
	var out []string
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		res := plurals[o.GetKind()]
		for _, h := range hooks {
			if !selected(h.obj, o.GetLabels()) || (o.GetNamespace() != "" && !selected(h.ns, nsLabels[o.GetNamespace()])) {
				continue
			}
			for _, r := range h.rules {
				if matches(r, gvk.Group, gvk.Version, res) {
					out = append(out, fmt.Sprintf("%s %s is admitted by %s/%s (failurePolicy Fail) of the same release", o.GetKind(), o.GetName(), h.config, h.name))
					break
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// failClosed: admissionregistration/v1 defaults failurePolicy to Fail.
func failClosed(p *admissionv1.FailurePolicyType) bool {
	return p == nil || *p == admissionv1.Fail
}

func selected(sel *metav1.LabelSelector, l map[string]string) bool {
	if sel == nil {
		return true
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(l))
}

func matches(r admissionv1.RuleWithOperations, group, version, resource string) bool {
	op := false
	for _, o := range r.Operations {
		op = op || o == admissionv1.Create || o == admissionv1.OperationAll
	}
	return op && anyOf(r.APIGroups, group) && anyOf(r.APIVersions, version) && anyOf(r.Resources, resource)
}

func anyOf(list []string, v string) bool {
	for _, x := range list {
		if x == "*" || x == v || x == v+"/*" {
			return true
		}
	}
	return false
}

// Plurals maps every kind among objs to its resource name: a CRD's
// declared plural, else the built-in rule (lower case, -y → -ies,
// -s → -ses, else -s).
func Plurals(objs []*unstructured.Unstructured) map[string]string {
	out := map[string]string{}
	for _, o := range objs {
		k := o.GetKind()
		if _, ok := out[k]; !ok {
			l := strings.ToLower(k)
			switch {
			case strings.HasSuffix(l, "y"):
				out[k] = strings.TrimSuffix(l, "y") + "ies"
			case strings.HasSuffix(l, "s"):
				out[k] = l + "es"
			default:
				out[k] = l + "s"
			}
		}
	}
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" {
			kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
			plural, _, _ := unstructured.NestedString(o.Object, "spec", "names", "plural")
			if kind != "" && plural != "" {
				out[kind] = plural
			}
		}
	}
	return out
}
