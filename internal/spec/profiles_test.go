package spec

import (
	"slices"
	"testing"
)

// TestProfileDefaults pins every value of the requirements document's Key
// Differences table and sections to the right profile.
func TestProfileDefaults(t *testing.T) {
	prod, _, err := resolveWith(t, "prod")
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := resolveWith(t, "dev", devCidrs)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		got, want any
	}{
		{"prod region", prod.Region, "eu-west-1"},
		{"prod vpc", prod.VpcCidr, "10.100.0.0/16"},
		{"dev vpc", dev.VpcCidr, "10.0.0.0/16"},
		{"prod private endpoint only", prod.ClusterEndpointPublicAccess, false},
		{"dev public endpoint", dev.ClusterEndpointPublicAccess, true},
		{"prod min nodes", prod.NodeGroups.General.MinSize, 3},
		{"dev min nodes", dev.NodeGroups.General.MinSize, 2},
		{"prod instance types", prod.NodeGroups.General.InstanceTypes, []string{"m5.xlarge", "m5a.xlarge", "m6i.xlarge"}},
		{"prod bastion", prod.Bastion.Enabled, true},
		{"dev no bastion", dev.Bastion.Enabled, false},
		{"node SSM off", prod.NodeSsmAccess || dev.NodeSsmAccess, false},
		{"prod changes wait for the window", prod.Database.ApplyImmediately, false},
		{"dev changes apply at once", dev.Database.ApplyImmediately, true},
		{"dev instance types", dev.NodeGroups.General.InstanceTypes, []string{"t3.large"}},
		{"prod general on demand", prod.NodeGroups.General.CapacityType, CapacityOnDemand},
		{"training spot", prod.NodeGroups.Training.CapacityType, CapacitySpot},
		{"training scale to zero", prod.NodeGroups.Training.MinSize, 0},
		{"training type", prod.NodeGroups.Training.InstanceTypes[0], "c5.4xlarge"},
		{"gpu spot", prod.NodeGroups.GPU.CapacityType, CapacitySpot},
		{"gpu scale to zero", prod.NodeGroups.GPU.MinSize, 0},
		{"gpu type", prod.NodeGroups.GPU.InstanceTypes[0], "g5.xlarge"},
		{"gpu families", prod.NodeGroups.GPU.Families, []string{"g5", "g6"}},
		{"gpu spot first, on-demand fallback", prod.NodeGroups.GPU.CapacityTypes, []string{PoolSpot, PoolOnDemand}},
		{"gpu limit", prod.NodeGroups.GPU.Limits, PoolLimits{CPU: 16, Memory: "64Gi", GPUs: 4}},
		{"training limit", prod.NodeGroups.Training.Limits, PoolLimits{CPU: 160, Memory: "320Gi"}},
		{"dev gpu limit", dev.NodeGroups.GPU.Limits.GPUs, 1},
		{"prod NAT per AZ", prod.NatGatewayPerAz, true},
		{"dev single NAT", dev.NatGatewayPerAz, false},
		{"prod multi-AZ", prod.Database.MultiAz, true},
		{"dev single-AZ", dev.Database.MultiAz, false},
		{"prod backups", prod.Database.BackupRetentionDays, 7},
		{"dev backups", dev.Database.BackupRetentionDays, 1},
		{"prod deletion protection", prod.Database.DeletionProtection, true},
		{"dev no deletion protection", dev.Database.DeletionProtection, false},
		{"db class", prod.Database.InstanceClass, "db.t3.medium"},
		{"prod container insights", prod.ContainerInsights, true},
		{"prod log retention", prod.LogRetentionDays, 30},
		{"prod versioning", prod.Artifacts.Versioning, true},
		{"prod no force destroy", prod.Artifacts.ForceDestroy, false},
		{"prod protected", prod.ProtectStatefulResources, true},
		{"dev not protected", dev.ProtectStatefulResources, false},
		{"prod criticality", prod.Tags["Criticality"], "high"},
		{"dev environment tag", dev.Tags["Environment"], "dev"},
		{"prod internal ALBs", prod.Ingress.Scheme, SchemeInternal},
		{"dev internet-facing ALBs", dev.Ingress.Scheme, SchemeInternetFacing},
		{"prod ALB deletion protection", prod.Ingress.DeletionProtection, true},
		{"dev no ALB deletion protection", dev.Ingress.DeletionProtection, false},
		{"prod KMS deletion window", prod.KMS.DeletionWindowDays, 30},
		{"dev KMS deletion window", dev.KMS.DeletionWindowDays, 7},
		{"access logs kept 90 days", prod.AccessLogs.ExpirationDays, 90},
		{"dev access logs kept 90 days", dev.AccessLogs.ExpirationDays, 90},
		{"prod HA MLflow", prod.Workloads.MLflow, Replicated{Replicas: 2, DisruptionBudget: true}},
		{"dev single MLflow", dev.Workloads.MLflow, Replicated{Replicas: 1}},
		{"prod HA cert-manager", prod.Workloads.CertManager, Replicated{Replicas: 2, DisruptionBudget: true}},
		{"dev single cert-manager", dev.Workloads.CertManager, Replicated{Replicas: 1}},
		{"prod HA metrics-server", prod.Workloads.MetricsServer, Replicated{Replicas: 2, DisruptionBudget: true}},
		{"dev single metrics-server", dev.Workloads.MetricsServer, Replicated{Replicas: 1}},
		{"prod Prometheus", prod.Workloads.Prometheus, Prometheus{Replicas: 2, Retention: "15d", RetentionSize: "45GB", StorageSize: "50Gi"}},
		{"dev Prometheus", dev.Workloads.Prometheus, Prometheus{Replicas: 1, Retention: "2d"}},
		{"prod Alertmanager", prod.Workloads.Alertmanager, Alertmanager{Replicas: 2, StorageSize: "10Gi"}},
		{"dev Alertmanager", dev.Workloads.Alertmanager, Alertmanager{Replicas: 1}},
		{"prod Grafana volume", prod.Workloads.Grafana.StorageSize, "10Gi"},
		{"dev Grafana no volume", dev.Workloads.Grafana.StorageSize, ""},
		{"prod retains volumes", prod.Workloads.StorageReclaimPolicy, ReclaimRetain},
		{"dev deletes volumes", dev.Workloads.StorageReclaimPolicy, ReclaimDelete},
		{"prod quota", prod.Workloads.Quota, Quota{RequestsCPU: "64", RequestsMemory: "256Gi", LimitsMemory: "512Gi", GPUs: 4, PersistentVolumeClaims: 20, RequestsStorage: "2Ti", Pods: 200}},
		{"dev quota", dev.Workloads.Quota, Quota{RequestsCPU: "16", RequestsMemory: "64Gi", LimitsMemory: "128Gi", GPUs: 1, PersistentVolumeClaims: 10, RequestsStorage: "500Gi", Pods: 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !equal(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	for _, tag := range []string{"Environment", "Project", "CostCenter", "Criticality", "ManagedBy"} {
		if prod.Tags[tag] == "" || dev.Tags[tag] == "" {
			t.Errorf("tag %s missing from a profile", tag)
		}
	}
}

func equal(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok && bok {
		return slices.Equal(as, bs)
	}
	return a == b
}

func TestDefaultsRejectsUnknownProfile(t *testing.T) {
	if _, err := Defaults("qa", "qa"); err == nil {
		t.Fatal("Defaults accepted an unknown profile")
	}
}
