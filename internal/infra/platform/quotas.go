package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
		if err := provider.KubernetesObject(b.ctx, typetoken.ResourceQuota, b.name+"-quota-"+ns, pulumi.Map{
			"metadata": objectMeta("workload-quota", ns),
			"spec":     pulumi.Map{"hard": pulumi.ToStringMap(b.args.Quota.Hard())},
		}, &provider.Resource{}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring quota of %s: %w", ns, err)
		}
		if err := provider.KubernetesObject(b.ctx, typetoken.LimitRange, b.name+"-limits-"+ns, pulumi.Map{
			"metadata": objectMeta("container-defaults", ns),
			"spec": pulumi.Map{"limits": pulumi.Array{
				pulumi.Map{
					"type":           pulumi.String("Container"),
					"default":        pulumi.ToStringMap(lim.Default),
					"defaultRequest": pulumi.ToStringMap(lim.DefaultRequest),
					"max":            pulumi.ToStringMap(lim.Max),
				},
			}},
		}, &provider.Resource{}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring limit range of %s: %w", ns, err)
		}
	}
	return nil
}
