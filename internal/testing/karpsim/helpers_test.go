package karpsim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// workload is a pod's shape: what it requests and where it may go.
type workload struct {
	cpu, memory  string
	gpus         int64
	tolerations  []corev1.Toleration
	nodeSelector map[string]string
	labels       map[string]string
}

func (w workload) pod(name string) *corev1.Pod {
	req := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(w.cpu), corev1.ResourceMemory: resource.MustParse(w.memory)}
	var limits corev1.ResourceList
	if w.gpus > 0 {
		gpu := *resource.NewQuantity(w.gpus, resource.DecimalSI)
		req[kubenames.GPUResource] = gpu
		limits = corev1.ResourceList{kubenames.GPUResource: gpu}
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: w.labels},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "main", Image: "registry.k8s.io/pause:3.10",
				Resources: corev1.ResourceRequirements{Requests: req, Limits: limits}}},
			Tolerations: w.tolerations, NodeSelector: w.nodeSelector,
		},
	}
}

func create(ctx context.Context, t *testing.T, k *Karpenter, ns string, p *corev1.Pod) {
	t.Helper()
	err := wait.PollUntilContextCancel(ctx, 200*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		_, err := k.Client.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{})
		if err != nil && strings.Contains(err.Error(), "serviceaccount") {
			return false, nil // the namespace's default service account is not there yet
		}
		return true, err
	})
	if err != nil {
		t.Fatalf("creating pod %s/%s: %v", ns, p.Name, err)
	}
}

// eventually polls f every 100ms until it reports done, ctx ends, or a
// program of the cluster exits.
func eventually(ctx context.Context, k *Karpenter, what string, f func(ctx context.Context) (bool, error)) error {
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := k.Alive(); err != nil {
			return false, err
		}
		return f(ctx)
	})
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// podEvents are a pod's events, "Reason: message", from any source.
func podEvents(ctx context.Context, k *Karpenter, ns, name string) []string {
	evs, err := k.Client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + name})
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range evs.Items {
		out = append(out, fmt.Sprintf("%s (%s): %s", e.Reason, e.Source.Component, e.Message))
	}
	return out
}

func nodeOf(ctx context.Context, k *Karpenter, name string) (*corev1.Node, error) {
	return k.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
}

func podReady(ctx context.Context, k *Karpenter, ns, name string) (*corev1.Pod, bool) {
	p, err := k.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, false
	}
	return p, simcluster.PodReady(p)
}

func contains(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}
