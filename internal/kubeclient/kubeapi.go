// Package kubeclient reads and deletes Kubernetes objects as the API types of
// k8s.io/api through client-go's dynamic client. The CLI's Kubernetes calls
// (the rotate pre-check, teardown) go through it rather than the typed
// clientset: any typed client imports client-go's scheme, which registers
// every API group and added about 14 MB to the CLI binary.
package kubeclient

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// Resources the CLI lists or deletes.
var (
	Nodes                = schema.GroupVersionResource{Version: "v1", Resource: "nodes"}
	Pods                 = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	Services             = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	PersistentVolumes    = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumes"}
	PodDisruptionBudgets = schema.GroupVersionResource{Group: "policy", Version: "v1", Resource: "poddisruptionbudgets"}
	Ingresses            = schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "ingresses"}
)

// List lists a resource in a namespace ("" for all, or for a cluster-scoped
// resource) into a value of its typed list, such as corev1.PodList.
func List[L any](ctx context.Context, dyn dynamic.Interface, gvr schema.GroupVersionResource, namespace string, opts metav1.ListOptions) (*L, error) {
	u, err := dyn.Resource(gvr).Namespace(namespace).List(ctx, opts)
	if err != nil {
		return nil, err
	}
	var out L
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.UnstructuredContent(), &out); err != nil {
		return nil, fmt.Errorf("reading the %s list: %w", gvr.Resource, err)
	}
	return &out, nil
}

// Delete deletes an object ("" namespace for a cluster-scoped one).
func Delete(ctx context.Context, dyn dynamic.Interface, gvr schema.GroupVersionResource, namespace, name string) error {
	return dyn.Resource(gvr).Namespace(namespace).Delete(ctx, name, metav1.DeleteOptions{})
}
