package kubeverify

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
)

// FieldManager names the applier in managedFields.
const FieldManager = "mlops-kubeverify"

// Applied records the outcome of applying one object.
type Applied struct {
	Object Object
	Err    error
}

// Apply server-side applies objects in order and returns each outcome.
func (s *Server) Apply(ctx context.Context, objs []Object) ([]Applied, error) {
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		return nil, fmt.Errorf("building dynamic client: %w", err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(s.Client.Discovery()))
	out := make([]Applied, 0, len(objs))
	for _, o := range objs {
		out = append(out, Applied{Object: o, Err: applyOne(ctx, dyn, mapper, o)})
	}
	return out, nil
}

func applyOne(ctx context.Context, dyn dynamic.Interface, mapper meta.RESTMapper, o Object) error {
	gvk := o.GroupVersionKind()
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: no API for %s: %w", o.GetKind(), o.GetName(), gvk, err)
	}
	var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ri = dyn.Resource(m.Resource).Namespace(o.GetNamespace())
	}
	if _, err := ri.Apply(ctx, o.GetName(), o.Unstructured, metav1.ApplyOptions{FieldManager: FieldManager, Force: true}); err != nil {
		return fmt.Errorf("applying %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
	}
	return nil
}
