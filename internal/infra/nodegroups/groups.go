package nodegroups

import (
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// Label and taint keys the platform schedules by.
const (
	WorkloadLabel   = "mlops-platform/workload"
	TrainingTaint   = "mlops-platform/training"
	GPUPresentLabel = "nvidia.com/gpu.present"
	// AcceleratorLabel is the label the cluster autoscaler's AWS provider
	// reads to recognise GPU nodes: with it on the node template, it waits
	// for the device plugin instead of adding more nodes while the GPU is
	// not yet advertised (cluster-autoscaler cloudprovider/aws README).
	AcceleratorLabel = "k8s.amazonaws.com/accelerator"
)

// AMI types of EKS managed node groups (Amazon Linux 2023).
const (
	AmiStandard    = "AL2023_x86_64_STANDARD"
	AmiNvidia      = "AL2023_x86_64_NVIDIA"
	AmiARMStandard = "AL2023_ARM_64_STANDARD"
	AmiARMNvidia   = "AL2023_ARM_64_NVIDIA"
)

// amiType picks the AMI matching the group's architecture (validation
// guarantees a group does not mix them) and whether it needs GPU drivers.
func amiType(c Capacity, gpu bool) string {
	switch {
	case c.ARM && gpu:
		return AmiARMNvidia
	case c.ARM:
		return AmiARMStandard
	case gpu:
		return AmiNvidia
	}
	return AmiStandard
}

// Taint is a Kubernetes taint, with the effect spelled as Kubernetes does.
type Taint struct {
	Key, Value, Effect string
}

// Capacity is what a group's nodes are and how far the group scales.
type Capacity struct {
	// InstanceTypes lists the EC2 instance types, the first preferred.
	InstanceTypes []string
	// CapacityType is ON_DEMAND or SPOT.
	CapacityType                  string
	MinSize, DesiredSize, MaxSize int
	// DiskSizeGb is each node's encrypted gp3 root volume.
	DiskSizeGb int
	// ARM is true for Graviton instance types (an ARM AMI).
	ARM bool
	// Accelerator names the GPU model for k8s.amazonaws.com/accelerator:
	// "nvidia" when the types differ in model, "" without a GPU.
	Accelerator string
	// Version is the group's Kubernetes minor while an upgrade rolls the
	// groups one by one; empty follows the cluster's.
	Version string
	// ApplyDesiredSize sends DesiredSize on this deploy instead of leaving
	// the live desired size to the autoscaler.
	ApplyDesiredSize bool
}

// Group is one managed node group, fully described.
type Group struct {
	Name string
	Capacity
	AmiType string
	Labels  map[string]string
	Taints  []Taint
	// Resources are extended resources a node of this group offers, which
	// the autoscaler must know of to scale the group up from zero.
	Resources map[string]string
}

// Standard derives the three groups of the platform from the spec: general
// capacity, training capacity tainted for training pods, and GPU capacity
// tainted so only pods that tolerate the GPU taint land there.
func Standard(general, training, gpu Capacity) []Group {
	return []Group{
		{
			Name: General, Capacity: general, AmiType: amiType(general, false),
			Labels: map[string]string{WorkloadLabel: "general"},
		},
		{
			Name: "training", Capacity: training, AmiType: amiType(training, false),
			Labels: map[string]string{WorkloadLabel: "training"},
			Taints: []Taint{{Key: TrainingTaint, Value: "true", Effect: "NoSchedule"}},
		},
		{
			Name: "gpu", Capacity: gpu, AmiType: amiType(gpu, true),
			// nvidia.com/gpu.present is the label the NVIDIA device plugin's
			// default node affinity requires; set here, the plugin schedules
			// without node-feature-discovery.
			Labels:    map[string]string{WorkloadLabel: "gpu", GPUPresentLabel: "true", AcceleratorLabel: gpu.Accelerator},
			Taints:    []Taint{{Key: kubenames.GPUResource, Value: "true", Effect: "NoSchedule"}},
			Resources: map[string]string{kubenames.GPUResource: "1"},
		},
	}
}

// eksEffect spells a Kubernetes taint effect the way the EKS API does.
func eksEffect(effect string) string {
	switch effect {
	case "NoSchedule":
		return "NO_SCHEDULE"
	case "NoExecute":
		return "NO_EXECUTE"
	case "PreferNoSchedule":
		return "PREFER_NO_SCHEDULE"
	}
	return effect
}

// General names the always-on group that runs the platform's pods.
const General = "general"
