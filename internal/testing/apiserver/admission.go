package apiserver

import (
	"context"
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// GPUResource is the extended resource no CPU pod may be given.
const GPUResource = corev1.ResourceName(kubenames.GPUResource)

// dryRun admits a pod through every admission plugin without storing it.
func (s *Server) dryRun(ctx context.Context, ns string, pod *corev1.Pod) (*corev1.Pod, error) {
	return s.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
}

// PrepareNamespace does what the controllers a bare API server lacks would
// do: it creates the default service account and publishes each quota's
// status, which the ResourceQuota admission plugin enforces against.
func (s *Server) PrepareNamespace(ctx context.Context, ns string) error {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
	if _, err := s.Client.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating default service account in %s: %w", ns, err)
	}
	quotas, err := s.Client.CoreV1().ResourceQuotas(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing quotas in %s: %w", ns, err)
	}
	for i := range quotas.Items {
		q := &quotas.Items[i]
		q.Status.Hard = q.Spec.Hard.DeepCopy()
		q.Status.Used = corev1.ResourceList{}
		for name := range q.Spec.Hard {
			q.Status.Used[name] = resource.MustParse("0")
		}
		if _, err := s.Client.CoreV1().ResourceQuotas(ns).UpdateStatus(ctx, q, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("publishing status of quota %s/%s: %w", ns, q.Name, err)
		}
	}
	return nil
}

// CheckViolationRejected: a pod breaking the namespace's level is refused
// with the Pod Security message.
func (s *Server) CheckViolationRejected(ctx context.Context, ns, level string) error {
	_, err := s.dryRun(ctx, ns, ViolatingPod("violates-"+level, level))
	if err == nil {
		return fmt.Errorf("%s: a pod violating %q was admitted", ns, level)
	}
	if !strings.Contains(err.Error(), "violates PodSecurity") {
		return fmt.Errorf("%s: rejected, but not by Pod Security: %v", ns, err)
	}
	return nil
}

// CheckCompliantAdmitted: a restricted-compliant pod is admitted.
func (s *Server) CheckCompliantAdmitted(ctx context.Context, ns string) error {
	if _, err := s.dryRun(ctx, ns, RestrictedPod("compliant", Resources("100m", "128Mi", "200m", "256Mi"), 1)); err != nil {
		return fmt.Errorf("%s: a compliant pod was refused: %w", ns, err)
	}
	return nil
}

// CheckNoGPUInjected: a CPU-only pod gets no GPU request or limit.
func (s *Server) CheckNoGPUInjected(ctx context.Context, ns string) error {
	pod, err := s.dryRun(ctx, ns, RestrictedPod("cpu-only", Resources("500m", "512Mi", "", ""), 1))
	if err != nil {
		return fmt.Errorf("%s: a CPU-only pod was refused: %w", ns, err)
	}
	res := pod.Spec.Containers[0].Resources
	if _, ok := res.Requests[GPUResource]; ok {
		return fmt.Errorf("%s: the LimitRange injected a GPU request: %v", ns, res.Requests)
	}
	if _, ok := res.Limits[GPUResource]; ok {
		return fmt.Errorf("%s: the LimitRange injected a GPU limit: %v", ns, res.Limits)
	}
	return nil
}

// CheckModelServer: a model server requesting 3 CPU and 8Gi without limits
// is admitted, and its limits are the LimitRange defaults, no lower than
// what it requested.
func (s *Server) CheckModelServer(ctx context.Context, ns string, defaults corev1.ResourceList) error {
	pod, err := s.dryRun(ctx, ns, RestrictedPod("model-server", Resources("3", "8Gi", "", ""), 1))
	if err != nil {
		return fmt.Errorf("%s: a 3 CPU / 8Gi model server was refused: %w", ns, err)
	}
	res := pod.Spec.Containers[0].Resources
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		lim, ok := res.Limits[name]
		if !ok {
			return fmt.Errorf("%s: the model server got no %s limit (the LimitRange has no default)", ns, name)
		}
		if want := defaults[name]; lim.Cmp(want) != 0 {
			return fmt.Errorf("%s: %s limit %s, want the LimitRange default %s", ns, name, lim.String(), want.String())
		}
		if req := res.Requests[name]; lim.Cmp(req) < 0 {
			return fmt.Errorf("%s: %s limit %s is below the request %s", ns, name, lim.String(), req.String())
		}
	}
	// With explicit limits the server keeps them.
	if _, err := s.dryRun(ctx, ns, RestrictedPod("model-server-limits", Resources("3", "8Gi", "4", "12Gi"), 1)); err != nil {
		return fmt.Errorf("%s: a model server with 4 CPU / 12Gi limits was refused: %w", ns, err)
	}
	return nil
}

// CheckQuotaRejects: a pod whose requests exceed the quota is refused by
// ResourceQuota, while each container stays within the LimitRange max.
func (s *Server) CheckQuotaRejects(ctx context.Context, ns string, hardCPU, maxCPU resource.Quantity) error {
	per := maxCPU
	if per.IsZero() {
		per = hardCPU.DeepCopy()
		per.Add(resource.MustParse("1"))
	}
	n := int(hardCPU.MilliValue()/per.MilliValue()) + 1
	pod := RestrictedPod("over-quota", Resources(per.String(), "256Mi", per.String(), "256Mi"), n)
	_, err := s.dryRun(ctx, ns, pod)
	if err == nil {
		return fmt.Errorf("%s: %d containers of %s CPU (over the quota's %s) were admitted", ns, n, per.String(), hardCPU.String())
	}
	if !strings.Contains(err.Error(), "exceeded quota") {
		return fmt.Errorf("%s: refused, but not by the quota: %v", ns, err)
	}
	return nil
}
