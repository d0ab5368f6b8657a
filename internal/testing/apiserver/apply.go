package apiserver

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
)

// FieldManager names the applier in managedFields.
const FieldManager = "mlops-apiserver-harness"

// Applied records the outcome of applying one object.
type Applied struct {
	Object Object
	Err    error
}

// Apply server-side applies objects in order and returns each outcome.
func (s *Server) Apply(ctx context.Context, objs []Object) ([]Applied, error) {
	return s.apply(ctx, objs, nil)
}

// DryRun server-side applies objects with dryRun=All: every admission
// plugin and webhook judges them, nothing is stored.
func (s *Server) DryRun(ctx context.Context, objs []Object) ([]Applied, error) {
	return s.apply(ctx, objs, []string{metav1.DryRunAll})
}

func (s *Server) apply(ctx context.Context, objs []Object, dryRun []string) ([]Applied, error) {
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		return nil, fmt.Errorf("building dynamic client: %w", err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(s.Client.Discovery()))
	out := make([]Applied, 0, len(objs))
	for _, o := range objs {
		out = append(out, Applied{Object: o, Err: applyOne(ctx, dyn, mapper, o, dryRun)})
	}
	return out, nil
}

func applyOne(ctx context.Context, dyn dynamic.Interface, mapper meta.RESTMapper, o Object, dryRun []string) error {
	gvk := o.GroupVersionKind()
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: no API for %s: %w", o.GetKind(), o.GetName(), gvk, err)
	}
	var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ri = dyn.Resource(m.Resource).Namespace(o.GetNamespace())
	}
	if _, err := ri.Apply(ctx, o.GetName(), o.Unstructured, metav1.ApplyOptions{FieldManager: FieldManager, Force: true, DryRun: dryRun}); err != nil {
		return fmt.Errorf("applying %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
	}
	return nil
}

// WaitEstablished waits until every CustomResourceDefinition among objs is
// Established and its API is discoverable, so custom resources can be
// applied next.
func (s *Server) WaitEstablished(ctx context.Context, objs []Object) error {
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		return fmt.Errorf("building dynamic client: %w", err)
	}
	crdAPI := dyn.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for _, o := range objs {
		if o.GetKind() != "CustomResourceDefinition" {
			continue
		}
		for {
			crd, err := crdAPI.Get(ctx, o.GetName(), metav1.GetOptions{})
			if err == nil && established(crd) {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("CRD %s not established: %w", o.GetName(), ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}
