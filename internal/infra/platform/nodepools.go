package platform

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Karpenter's well-known labels (karpenter.sh/v1 and karpenter.k8s.aws/v1).
const (
	CapacityTypeLabel   = "karpenter.sh/capacity-type"
	InstanceFamilyLabel = "karpenter.k8s.aws/instance-family"
	ArchLabel           = "kubernetes.io/arch"
	OSLabel             = "kubernetes.io/os"
	// DiscoveryTag marks the private subnets and the node security group
	// the EC2NodeClasses select, with the cluster's name as its value.
	DiscoveryTag = "karpenter.sh/discovery"
	// AMIAlias selects Amazon Linux 2023 at its latest release: Karpenter
	// resolves the alias per instance type, so GPU types get the NVIDIA
	// variant (driver and container toolkit installed) and the others the
	// standard one.
	AMIAlias = "al2023@latest"
	// PricedAsAnnotation carries NodePool.PricedAs (internal/cost reads it).
	PricedAsAnnotation = "mlops-platform/priced-as"
)

// Karpenter capacity types, as karpenter.sh/capacity-type spells them.
const (
	CapacitySpot     = "spot"
	CapacityOnDemand = "on-demand"
)

// NodePool is one Karpenter NodePool of the platform with its EC2NodeClass
// (same name): what its nodes may be, how far it grows, how it is tainted
// and how its nodes are disrupted.
type NodePool struct {
	Name string
	// Families are the EC2 instance families allowed (g5, g6, c6i…).
	Families []string
	// CapacityTypes are spot and/or on-demand. With both, Karpenter
	// launches spot and falls back to on-demand when no spot capacity of
	// the allowed types is available.
	CapacityTypes []string
	// Arch is amd64 or arm64.
	Arch string
	// Limits cap the pool's total resources (cpu, memory, nvidia.com/gpu):
	// what maxSize was to a node group.
	Limits map[string]string
	Labels map[string]string
	Taints []Taint
	// DiskSizeGb is each node's encrypted gp3 root volume.
	DiskSizeGb int
	// ConsolidateAfter is how long a node stays empty or underused before
	// Karpenter removes it; ExpireAfter rotates every node after it.
	ConsolidateAfter, ExpireAfter string
	// PricedAs is the instance type the cost model prices the pool's
	// nodes as (the spec's preferred type), carried as an annotation.
	PricedAs string
	// BudgetNodes is the share of the pool's nodes voluntary disruption
	// (consolidation, drift, expiry) may take down at once ("10%").
	BudgetNodes string
}

// Taint is a Kubernetes taint.
type Taint struct {
	Key, Value, Effect string
}

// NodePoolSpec returns the NodePool's spec as karpenter.sh/v1 reads it.
func (p NodePool) NodePoolSpec() map[string]any {
	taints := make([]any, 0, len(p.Taints))
	for _, t := range p.Taints {
		taints = append(taints, map[string]any{"key": t.Key, "value": t.Value, "effect": t.Effect})
	}
	labels := map[string]any{}
	for k, v := range p.Labels {
		labels[k] = v
	}
	limits := map[string]any{}
	for k, v := range p.Limits {
		limits[k] = v
	}
	return map[string]any{
		"template": map[string]any{
			"metadata": map[string]any{"labels": labels},
			"spec": map[string]any{
				"nodeClassRef": map[string]any{"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": p.Name},
				"requirements": []any{
					requirement(CapacityTypeLabel, p.CapacityTypes),
					requirement(InstanceFamilyLabel, p.Families),
					requirement(ArchLabel, []string{p.Arch}),
					requirement(OSLabel, []string{"linux"}),
				},
				"taints":      taints,
				"expireAfter": p.ExpireAfter,
			},
		},
		"limits": limits,
		"disruption": map[string]any{
			"consolidationPolicy": "WhenEmptyOrUnderutilized",
			"consolidateAfter":    p.ConsolidateAfter,
			"budgets":             []any{map[string]any{"nodes": p.BudgetNodes}},
		},
	}
}

func requirement(key string, values []string) map[string]any {
	v := append([]string{}, values...)
	sort.Strings(v)
	return map[string]any{"key": key, "operator": "In", "values": toAny(v)}
}

// NodeClass is what an EC2NodeClass needs from the AWS layer.
type NodeClass struct {
	// ClusterName is the value of the discovery tag on the private
	// subnets and the node security group.
	ClusterName string
	// NodeRole is the IAM role (name) of the nodes.
	NodeRole string
	// DataKeyArn encrypts the root volumes.
	DataKeyArn string
	// Tags are the platform's tags, put on every instance, volume and
	// network interface Karpenter launches.
	Tags map[string]string
}

// NodeClassSpec returns the pool's EC2NodeClass spec: private subnets and
// the node security group by tag, AL2023 (NVIDIA variant on GPU types),
// IMDSv2 only with a hop limit of 1 (pods cannot reach the node's
// credentials), an encrypted gp3 root volume with the data key, no public
// address, and the platform's tags.
func (p NodePool) NodeClassSpec(c NodeClass) map[string]any {
	discovery := []any{map[string]any{"tags": map[string]any{DiscoveryTag: c.ClusterName}}}
	tags := map[string]any{}
	for k, v := range c.Tags {
		tags[k] = v
	}
	return map[string]any{
		"role":                       c.NodeRole,
		"subnetSelectorTerms":        discovery,
		"securityGroupSelectorTerms": discovery,
		"amiSelectorTerms":           []any{map[string]any{"alias": AMIAlias}},
		"associatePublicIPAddress":   false,
		"metadataOptions": map[string]any{
			"httpEndpoint": "enabled", "httpProtocolIPv6": "disabled",
			"httpPutResponseHopLimit": 1, "httpTokens": "required",
		},
		"blockDeviceMappings": []any{map[string]any{
			"deviceName": "/dev/xvda",
			"ebs": map[string]any{
				"volumeSize": fmt.Sprintf("%dGi", p.DiskSizeGb), "volumeType": "gp3",
				"encrypted": true, "kmsKeyID": c.DataKeyArn, "deleteOnTermination": true,
			},
		}},
		"tags": tags,
	}
}

// nodePools declares each pool's EC2NodeClass and NodePool once
// Karpenter's CRDs exist.
func (b *builder) nodePools() error {
	if len(b.args.NodePools) == 0 {
		return nil
	}
	crds := b.released["karpenter-crd"]
	if crds == nil {
		return fmt.Errorf("the node pools need the karpenter-crd release")
	}
	after := pulumi.DependsOn([]pulumi.Resource{crds})
	for _, p := range b.args.NodePools {
		spec := pulumi.All(b.args.ClusterName, b.args.KarpenterNodeRole, b.args.DataKeyArn).ApplyT(func(v []any) (map[string]any, error) {
			c := NodeClass{Tags: b.args.NodeTags}
			var ok [3]bool
			c.ClusterName, ok[0] = v[0].(string)
			c.NodeRole, ok[1] = v[1].(string)
			c.DataKeyArn, ok[2] = v[2].(string)
			if !ok[0] || !ok[1] || !ok[2] {
				return nil, fmt.Errorf("node class %s: an input is not a string", p.Name)
			}
			return p.NodeClassSpec(c), nil
		}).(pulumi.MapOutput)
		class := &provider.Resource{}
		if err := provider.KubernetesObject(b.ctx, typetoken.EC2NodeClass, b.name+"-nodeclass-"+p.Name, pulumi.Map{
			"metadata": pulumi.Map{"name": pulumi.String(p.Name)},
			"spec":     spec,
		}, class, b.with(after)...); err != nil {
			return fmt.Errorf("declaring EC2NodeClass %s: %w", p.Name, err)
		}
		if err := provider.KubernetesObject(b.ctx, typetoken.NodePool, b.name+"-nodepool-"+p.Name, pulumi.Map{
			"metadata": pulumi.Map{"name": pulumi.String(p.Name),
				"annotations": pulumi.StringMap{PricedAsAnnotation: pulumi.String(p.PricedAs)}},
			"spec": pulumi.ToMap(p.NodePoolSpec()),
		}, &provider.Resource{}, b.with(pulumi.DependsOn([]pulumi.Resource{crds, class}))...); err != nil {
			return fmt.Errorf("declaring NodePool %s: %w", p.Name, err)
		}
	}
	return nil
}
