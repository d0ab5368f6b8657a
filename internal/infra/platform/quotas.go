package platform

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kube"
)

// ContainerLimits are the LimitRange values of one container.
type ContainerLimits struct {
	// Default is the limit given to a container that sets none.
	Default map[string]string
	// DefaultRequest is the request given to a container that sets none.
	DefaultRequest map[string]string
	// Max caps any container's limit.
	Max map[string]string
}

// Limits returns the container LimitRange of a workload namespace. It
// mentions CPU and memory only: a GPU default (or a GPU max, which the API
// server copies into the default) would be injected into every CPU pod.
// The defaults fit a model server that requests 3 CPU and 8Gi but sets no
// limits: the default limit is at least that, so the request never exceeds
// the limit it is given.
func Limits() ContainerLimits {
	return ContainerLimits{
		Default:        map[string]string{"cpu": "4", "memory": "8Gi"},
		DefaultRequest: map[string]string{"cpu": "250m", "memory": "512Mi"},
		Max:            map[string]string{"cpu": "16", "memory": "64Gi"},
	}
}

// quotas declares a ResourceQuota and a LimitRange in each workload namespace.
func (b *builder) quotas() error {
	lim := Limits()
	for _, ns := range kube.WorkloadNamespaces() {
		meta := func(n string) *metav1.ObjectMetaArgs {
			return &metav1.ObjectMetaArgs{Name: pulumi.String(n), Namespace: pulumi.String(ns)}
		}
		if _, err := corev1.NewResourceQuota(b.ctx, b.name+"-quota-"+ns, &corev1.ResourceQuotaArgs{
			Metadata: meta("workload-quota"),
			Spec:     &corev1.ResourceQuotaSpecArgs{Hard: pulumi.ToStringMap(b.args.Quota.Hard())},
		}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring quota of %s: %w", ns, err)
		}
		if _, err := corev1.NewLimitRange(b.ctx, b.name+"-limits-"+ns, &corev1.LimitRangeArgs{
			Metadata: meta("container-defaults"),
			Spec: &corev1.LimitRangeSpecArgs{Limits: corev1.LimitRangeItemArray{
				corev1.LimitRangeItemArgs{
					Type:           pulumi.String("Container"),
					Default:        pulumi.ToStringMap(lim.Default),
					DefaultRequest: pulumi.ToStringMap(lim.DefaultRequest),
					Max:            pulumi.ToStringMap(lim.Max),
				},
			}},
		}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring limit range of %s: %w", ns, err)
		}
	}
	return nil
}
