package infra

// Conversions from the spec to the components' plain settings: components
// never see spec types.

import (
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// nodeGroups turns the spec's general group into the node group
// component's plain description: the one managed node group. Training
// and GPU capacity are Karpenter NodePools (nodePools), and the cluster
// autoscaler scales only this group, between its minSize and maxSize
// (never from zero, so none of its scale-from-zero issues apply).
func nodeGroups(ng spec.NodeGroups) []nodegroups.Group {
	return nodegroups.Standard(capacity(ng.General), capacity(ng.Training), capacity(ng.GPU))[:1]
}

// capacity is one spec group as the component takes it: its architecture
// and GPU model resolved from the instance-shape table.
func capacity(g spec.NodeGroup) nodegroups.Capacity {
	arch, _ := spec.GroupArch(g.InstanceTypes)
	return nodegroups.Capacity{
		InstanceTypes: g.InstanceTypes, CapacityType: g.CapacityType,
		MinSize: g.MinSize, DesiredSize: g.DesiredSize, MaxSize: g.MaxSize, DiskSizeGb: g.DiskSizeGb,
		ARM: arch == spec.ArchARM, Accelerator: spec.GroupAccelerator(g.InstanceTypes), Version: g.Version,
		ApplyDesiredSize: g.ApplyDesiredSize,
	}
}

// databaseSettings is the spec's database section as the component takes it.
func databaseSettings(d spec.Database) database.Settings {
	return database.Settings{
		EngineVersion: d.EngineVersion, InstanceClass: d.InstanceClass, MultiAz: d.MultiAz,
		BackupRetentionDays: d.BackupRetentionDays, DeletionProtection: d.DeletionProtection,
		AllocatedStorageGb: d.AllocatedStorageGb, MaxAllocatedStorageGb: d.MaxAllocatedStorageGb,
		ApplyImmediately: d.ApplyImmediately,
	}
}
