package rendercheck

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// PlatformAPIs are the APIs of the CRDs the platform's releases install,
// which charts test with .Capabilities.APIVersions.Has.
var PlatformAPIs = []string{"monitoring.coreos.com/v1", "cert-manager.io/v1", "serving.kserve.io/v1beta1", "serving.kserve.io/v1alpha1", "elbv2.k8s.aws/v1beta1"}

// Rendered is one release rendered with Helm.
type Rendered struct {
	Release
	// Objects are the rendered objects, each namespaced one in a namespace.
	Objects []*unstructured.Unstructured
	// Err is why the release did not render.
	Err  error
	Took time.Duration
}

// RenderAll renders every release for a cluster of kubeVersion (such as
// v1.35.0) that serves PlatformAPIs, and gives every namespaced object
// without a namespace its release's, as Helm's install does.
func RenderAll(ctx context.Context, helm string, rels []Release, kubeVersion string) []Rendered {
	opt := Options{KubeVersion: kubeVersion, APIVersions: PlatformAPIs}
	out := make([]Rendered, 0, len(rels))
	var all []*unstructured.Unstructured
	for _, rel := range rels {
		begin := time.Now()
		objs, err := Render(ctx, helm, rel, opt)
		out = append(out, Rendered{Release: rel, Objects: objs, Err: err, Took: time.Since(begin)})
		all = append(all, objs...)
	}
	scoped := ClusterScopedKinds(all)
	for _, r := range out {
		SetNamespaces(r.Objects, r.Namespace, scoped)
	}
	return out
}
