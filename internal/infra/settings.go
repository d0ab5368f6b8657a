package infra

// Conversions from the spec to the components' plain settings: components
// never see spec types.

import (
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
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

// albLogsBucket is the bucket the ALBs log to: the one configured, or the
// platform's own access-log bucket, own.
func albLogsBucket(s *spec.Spec, own string) string {
	if s.Ingress.AccessLogsBucket != "" {
		return s.Ingress.AccessLogsBucket
	}
	return own
}

// albSourceCidrs are the subnets the ALBs live in, which the network
// policies admit them from: the internal load balancer subnets, or the
// public subnets of internet-facing ALBs.
func albSourceCidrs(s *spec.Spec) []string {
	if s.Ingress.Scheme == spec.SchemeInternetFacing {
		return s.PublicSubnetCidrs
	}
	return s.ALBSubnetCidrs
}

// platformSettings are the spec's in-cluster choices as the platform
// component takes them: plain values, nothing derived from the profile.
func platformSettings(s *spec.Spec, albLogs string) platform.Settings {
	w := s.Workloads
	return platform.Settings{
		Region: s.Region, VpcCidr: s.VpcCidr, KserveIngressDomain: s.KserveIngressDomain,
		CertificateArn: s.Ingress.CertificateArn, AccessLogsBucket: albLogs,
		ALBScheme: s.Ingress.Scheme, ALBDeletionProtection: s.Ingress.DeletionProtection,
		ALBSourceCidrs:       albSourceCidrs(s),
		InboundCidrs:         s.ClusterEndpointPublicAccessCidrs,
		AlertWebhookSecret:   s.Alerting.WebhookSecret,
		StorageReclaimPolicy: w.StorageReclaimPolicy,
		Quota:                platform.Quota(w.Quota),
		MLflow:               platform.Replicated(w.MLflow),
		CertManager:          platform.Replicated(w.CertManager),
		MetricsServer:        platform.Replicated(w.MetricsServer),
		Prometheus:           platform.Prometheus(w.Prometheus),
		Alertmanager:         platform.Alertmanager(w.Alertmanager),
		GrafanaStorageSize:   w.Grafana.StorageSize,
		Charts:               platform.ChartSource(s.Charts),
		NodePools:            nodePools(s.NodeGroups),
		KarpenterReplicas:    max(1, min(2, s.NodeGroups.General.MinSize-1)),
		NodeTags:             s.Tags,
	}
}
