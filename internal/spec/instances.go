package spec

import "fmt"

// Shape is what the cluster autoscaler must know of an instance type to
// size a node group from zero: it reads the group's first type only, so
// every type of one group must have the same shape.
type Shape struct {
	VCPU      int
	MemoryGiB int
	GPUs      int
	// Accelerator is the value of the k8s.amazonaws.com/accelerator label
	// for GPU types (the label the cluster autoscaler's AWS provider uses to
	// tell GPU node groups apart); empty for types without a GPU.
	Accelerator string
	// MaxPods is the pod limit EKS sets on the type's nodes with the VPC
	// CNI (ENIs x (IPv4 addresses per ENI - 1) + 2, no prefix delegation):
	// amazon-eks-ami eni-max-pods.txt.
	MaxPods int
}

// InstanceShapes holds the shapes of the instance types the profiles and
// the cost optimisations use. Source: Amazon EC2 instance types
// specifications, docs.aws.amazon.com/ec2/latest/instancetypes (general
// purpose gp.html, compute optimized co.html, accelerated computing ac.html),
// read 2026-11-29; MaxPods from amazon-eks-ami eni-max-pods.txt. Add a row
// before using a type in a group of several types or in the GPU group.
var InstanceShapes = map[string]Shape{
	"t3.medium":    {VCPU: 2, MemoryGiB: 4, MaxPods: 17},
	"t3.large":     {VCPU: 2, MemoryGiB: 8, MaxPods: 35},
	"t3.xlarge":    {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"m5.large":     {VCPU: 2, MemoryGiB: 8, MaxPods: 29},
	"m5.xlarge":    {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"m5.2xlarge":   {VCPU: 8, MemoryGiB: 32, MaxPods: 58},
	"m5a.xlarge":   {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"m6i.xlarge":   {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"m6g.large":    {VCPU: 2, MemoryGiB: 8, MaxPods: 29},
	"m6g.xlarge":   {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"m7g.large":    {VCPU: 2, MemoryGiB: 8, MaxPods: 29},
	"m7g.xlarge":   {VCPU: 4, MemoryGiB: 16, MaxPods: 58},
	"c5.4xlarge":   {VCPU: 16, MemoryGiB: 32, MaxPods: 234},
	"c5a.4xlarge":  {VCPU: 16, MemoryGiB: 32, MaxPods: 234},
	"c6i.4xlarge":  {VCPU: 16, MemoryGiB: 32, MaxPods: 234},
	"c7g.4xlarge":  {VCPU: 16, MemoryGiB: 32, MaxPods: 234},
	"g4dn.xlarge":  {VCPU: 4, MemoryGiB: 16, GPUs: 1, Accelerator: "nvidia-tesla-t4", MaxPods: 29},
	"g4dn.2xlarge": {VCPU: 8, MemoryGiB: 32, GPUs: 1, Accelerator: "nvidia-tesla-t4", MaxPods: 29},
	"g5.xlarge":    {VCPU: 4, MemoryGiB: 16, GPUs: 1, Accelerator: "nvidia-a10g", MaxPods: 58},
	"g6.xlarge":    {VCPU: 4, MemoryGiB: 16, GPUs: 1, Accelerator: "nvidia-l4", MaxPods: 58},
	"g5g.xlarge":   {VCPU: 4, MemoryGiB: 8, GPUs: 1, Accelerator: "nvidia-t4g", MaxPods: 58},
}

// GroupShape returns the one shape of a node group's instance types (the
// first type's). ok is false when a type is missing from InstanceShapes or
// when two types differ in vCPUs, memory or GPU count; reason says which.
// The GPU model may differ (g4dn.xlarge and g5.xlarge both offer 4 vCPUs,
// 16 GiB and one GPU), which keeps a spot GPU group diversified.
func GroupShape(types []string) (shape Shape, ok bool, reason string) {
	for i, t := range types {
		s, known := InstanceShapes[t]
		if !known {
			return Shape{}, false, "instance type " + t + " has no row in the instance-shape table (internal/spec/instances.go)"
		}
		if i == 0 {
			shape = s
			continue
		}
		if s.VCPU != shape.VCPU || s.MemoryGiB != shape.MemoryGiB || s.GPUs != shape.GPUs {
			return shape, false, shapeDiff(types[0], shape, t, s)
		}
	}
	return shape, true, ""
}

func shapeDiff(a string, sa Shape, b string, sb Shape) string {
	return fmt.Sprintf("%s (%s) and %s (%s) differ; the cluster autoscaler sizes a group from its first type only", a, sa, b, sb)
}

func (s Shape) String() string {
	out := fmt.Sprintf("%d vCPU, %d GiB", s.VCPU, s.MemoryGiB)
	if s.GPUs > 0 {
		out += fmt.Sprintf(", %d GPU %s", s.GPUs, s.Accelerator)
	}
	return out
}
