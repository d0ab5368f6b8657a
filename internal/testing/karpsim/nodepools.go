package karpsim

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
)

// Kinds and groups of Karpenter's objects.
const (
	KindNodePool      = "NodePool"
	KindKWOKNodeClass = "KWOKNodeClass"
	KindEC2NodeClass  = "EC2NodeClass"
	GroupKWOK         = "karpenter.kwok.sh"
	GroupAWS          = "karpenter.k8s.aws"
)

// NodePools returns the platform's NodePools among objs (as the evaluated
// graph declares them) translated to the kwok provider: each EC2NodeClass
// reference becomes a KWOKNodeClass of the same name, and one KWOKNodeClass
// per name is returned first. Everything else (requirements on the AWS
// provider's labels, limits, taints, disruption) stays as declared.
func NodePools(objs []apiserver.Object) ([]apiserver.Object, error) {
	var pools []apiserver.Object
	classes := map[string]bool{}
	for _, o := range objs {
		if o.GetKind() != KindNodePool {
			continue
		}
		pool := apiserver.Object{URN: o.URN, Unstructured: o.DeepCopy()}
		ref, ok, err := unstructured.NestedStringMap(pool.Object, "spec", "template", "spec", "nodeClassRef")
		if err != nil || !ok {
			return nil, fmt.Errorf("NodePool %s: no nodeClassRef (%v)", o.GetName(), err)
		}
		if ref["kind"] != KindEC2NodeClass || ref["group"] != GroupAWS {
			return nil, fmt.Errorf("NodePool %s references %s.%s, not an EC2NodeClass", o.GetName(), ref["kind"], ref["group"])
		}
		ref["kind"], ref["group"] = KindKWOKNodeClass, GroupKWOK
		if err := unstructured.SetNestedStringMap(pool.Object, ref, "spec", "template", "spec", "nodeClassRef"); err != nil {
			return nil, fmt.Errorf("NodePool %s: %w", o.GetName(), err)
		}
		classes[ref["name"]] = true
		pools = append(pools, pool)
	}
	if len(pools) == 0 {
		return nil, fmt.Errorf("the graph declares no NodePool")
	}
	names := make([]string, 0, len(classes))
	for n := range classes {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]apiserver.Object, 0, len(names)+len(pools))
	for _, n := range names {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion(GroupKWOK + "/v1alpha1")
		u.SetKind(KindKWOKNodeClass)
		u.SetName(n)
		out = append(out, apiserver.Object{Unstructured: u})
	}
	return append(out, pools...), nil
}

// CRDs reads Karpenter's CRDs: every template of the vendored karpenter-crd
// chart (its annotation hook, the one Helm expression, left out) and the
// kwok provider's KWOKNodeClass.
func CRDs(repoRoot string) ([]apiserver.Object, error) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "third_party/charts/karpenter-crd/templates/*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no karpenter-crd chart templates under %s/third_party/charts (%v)", repoRoot, err)
	}
	files = append(files, filepath.Join(repoRoot, "third_party/reference/karpenter-kwok/karpenter.kwok.sh_kwoknodeclasses.yaml"))
	var out []apiserver.Object
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading CRD: %w", err)
		}
		var kept []string
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.Contains(line, "{{") {
				kept = append(kept, line)
			}
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(strings.Join(kept, "\n")), &u.Object); err != nil {
			return nil, fmt.Errorf("parsing CRD %s: %w", f, err)
		}
		if u.GetKind() != "CustomResourceDefinition" {
			return nil, fmt.Errorf("%s is a %s, not a CRD", f, u.GetKind())
		}
		out = append(out, apiserver.Object{Unstructured: u})
	}
	return out, nil
}
