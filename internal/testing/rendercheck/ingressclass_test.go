package rendercheck_test

import (
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestALBClassUsesIPTargets: every Ingress of the ALB class, KServe's
// included (they carry no annotation of ours), gets IP targets from the
// rendered IngressClassParams: instance targets reach a NodePort, which
// the ClusterIP Services of KServe and the UIs do not have. The field is
// checked against the CRD the controller's chart installs.
func TestALBClassUsesIPTargets(t *testing.T) {
	for _, r := range renderAll(t) {
		t.Run(r.stack, func(t *testing.T) {
			var params, crd *unstructured.Unstructured
			for _, rr := range r.releases {
				for _, o := range rr.Objects {
					switch {
					case o.GetKind() == "IngressClassParams":
						params = o
					case o.GetKind() == "CustomResourceDefinition" && o.GetName() == "ingressclassparams.elbv2.k8s.aws":
						crd = o
					}
				}
			}
			if params == nil || crd == nil {
				t.Fatalf("rendered IngressClassParams %v, its CRD %v", params != nil, crd != nil)
			}
			if got, _, _ := unstructured.NestedString(params.Object, "spec", "targetType"); got != "ip" {
				t.Errorf("IngressClassParams %s: targetType = %q, want ip", params.GetName(), got)
			}
			versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
			found := false
			for _, v := range versions {
				enum, ok, _ := unstructured.NestedSlice(v.(map[string]any), "schema", "openAPIV3Schema", "properties", "spec", "properties", "targetType", "enum")
				found = found || ok && slices.Contains(enum, any("ip"))
			}
			if !found {
				t.Error("the chart's IngressClassParams CRD has no spec.targetType admitting ip")
			}
		})
	}
}
