package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	corev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/core/v1"
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
//
// The default limit equals the max, so any container that sets requests
// within the max but no limits (an 8 CPU / 16Gi training job, a 12Gi model
// server) is admitted: a default below its request would make the pod
// invalid. The max is the largest default node shape (c5.4xlarge, 16 vCPU
// and 32 GiB); nothing larger schedules anyway. A container without
// limits is thus counted at 32Gi against the quota's limits.memory: set
// limits to fit more of them.
func Limits() ContainerLimits {
	largest := map[string]string{"cpu": "16", "memory": "32Gi"}
	return ContainerLimits{
		Default:        largest,
		DefaultRequest: map[string]string{"cpu": "250m", "memory": "512Mi"},
		Max:            largest,
	}
}

// quotas declares a ResourceQuota and a LimitRange in each workload namespace.
func (b *builder) quotas() error {
	lim := Limits()
	for _, ns := range kubenames.WorkloadNamespaces() {
		if _, err := corev1.NewResourceQuota(b.ctx, b.name+"-quota-"+ns, &corev1.ResourceQuotaArgs{
			Metadata: objectMeta("workload-quota", ns),
			Spec:     &corev1.ResourceQuotaSpecArgs{Hard: pulumi.ToStringMap(b.args.Quota.Hard())},
		}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring quota of %s: %w", ns, err)
		}
		if _, err := corev1.NewLimitRange(b.ctx, b.name+"-limits-"+ns, &corev1.LimitRangeArgs{
			Metadata: objectMeta("container-defaults", ns),
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
