package infra

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/karpenter"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Disruption settings of the NodePools.
const (
	// ConsolidateAfter is how long an empty or underused node stays: long
	// enough for the next job of a pipeline to reuse a warm node.
	ConsolidateAfter = "5m"
	// ExpireAfter rotates every Karpenter node after 30 days (AMI and
	// kernel updates), as `mlops nodes rotate` does on demand.
	ExpireAfter = "720h"
	// BudgetNodes bounds voluntary disruption to one node in ten.
	BudgetNodes = "10%"
)

// nodePools turns the spec's training and GPU keys into the platform's
// Karpenter NodePools, labelled and tainted as the node groups were.
func nodePools(ng spec.NodeGroups) []platform.NodePool {
	return []platform.NodePool{
		pool("training", ng.Training, false),
		pool("gpu", ng.GPU, true),
	}
}

func pool(name string, g spec.NodeGroup, gpu bool) platform.NodePool {
	arch := "amd64"
	if a, _ := spec.GroupArch(g.InstanceTypes); a == spec.ArchARM {
		arch = "arm64"
	}
	p := platform.NodePool{
		Name: name, Families: g.PoolFamilies(), CapacityTypes: g.PoolCapacityTypes(), Arch: arch,
		Limits: poolLimits(g), DiskSizeGb: g.DiskSizeGb, PricedAs: g.InstanceTypes[0],
		Labels:           map[string]string{nodegroups.WorkloadLabel: name},
		ConsolidateAfter: ConsolidateAfter, ExpireAfter: ExpireAfter, BudgetNodes: BudgetNodes,
	}
	if gpu {
		p.Labels[nodegroups.GPUPresentLabel] = "true"
		p.Taints = []platform.Taint{{Key: kubenames.GPUResource, Value: "true", Effect: "NoSchedule"}}
	} else {
		p.Taints = []platform.Taint{{Key: nodegroups.TrainingTaint, Value: "true", Effect: "NoSchedule"}}
	}
	return p
}

// poolLimits are the spec's limits, or maxSize nodes of the first
// instance type's shape when the spec gives none.
func poolLimits(g spec.NodeGroup) map[string]string {
	l := g.Limits
	if l.CPU == 0 && l.Memory == "" && l.GPUs == 0 {
		shape := spec.InstanceShapes[g.InstanceTypes[0]]
		l = spec.PoolLimits{CPU: shape.VCPU * g.MaxSize, Memory: fmt.Sprintf("%dGi", shape.MemoryGiB*g.MaxSize), GPUs: shape.GPUs * g.MaxSize}
	}
	out := map[string]string{}
	if l.CPU > 0 {
		out["cpu"] = fmt.Sprint(l.CPU)
	}
	if l.Memory != "" {
		out["memory"] = l.Memory
	}
	if l.GPUs > 0 {
		out[kubenames.GPUResource] = fmt.Sprint(l.GPUs)
	}
	return out
}

// declareKarpenter declares Karpenter's AWS resources.
func declareKarpenter(ctx *pulumi.Context, s *spec.Spec, p *Platform, prov pulumi.ResourceOption) error {
	var err error
	p.Karpenter, err = karpenter.New(ctx, "karpenter", &karpenter.Args{
		Scope:               karpenter.Scope{ClusterName: s.ClusterName, Region: s.Region, AccountID: p.AccountID, Partition: p.Partition},
		PermissionsBoundary: p.PermissionsBoundary, Cluster: p.Cluster.Name,
		OidcProviderArn: p.Cluster.OidcProviderArn, OidcIssuer: p.Cluster.OidcIssuer,
		SSMAccess: s.NodeSsmAccess, PrivateSubnetIDs: p.Network.PrivateSubnetIDs, Zones: len(s.PrivateSubnetCidrs),
		NodeSecurityGroupID: p.Cluster.ClusterSecurityGroupID,
	}, prov)
	if err != nil {
		return fmt.Errorf("declaring Karpenter: %w", err)
	}
	return nil
}
