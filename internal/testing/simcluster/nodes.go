package simcluster

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Labels EKS puts on the nodes of a managed node group, besides the
// group's own labels.
const (
	LabelNodeGroup    = "eks.amazonaws.com/nodegroup"
	LabelCapacityType = "eks.amazonaws.com/capacityType"
	LabelZone         = corev1.LabelTopologyZone
	LabelRegion       = corev1.LabelTopologyRegion
	LabelInstanceType = corev1.LabelInstanceTypeStable
)

// NodeGroup is a managed node group as the graph declares it.
type NodeGroup struct {
	// Name is the platform's name ("general", "training", "gpu").
	Name         string
	InstanceType string
	CapacityType string
	Shape        spec.Shape
	Labels       map[string]string
	Taints       []corev1.Taint
	// Zones are the Availability Zones of the group's subnets, sorted.
	Zones                         []string
	MinSize, DesiredSize, MaxSize int
}

// Nodes is how many nodes the simulation gives the group: its desired
// size, and one for a group that scales to zero, so scheduling onto it can
// be tested.
func (g NodeGroup) Nodes() int {
	return max(g.DesiredSize, 1)
}

// NodeGroups reads every node group of an evaluated graph, in name order.
func NodeGroups(g *plan.Graph) ([]NodeGroup, error) {
	var out []NodeGroup
	for _, v := range g.ManagedNodeGroups() {
		ng, err := nodeGroup(g, v)
		if err != nil {
			return nil, fmt.Errorf("node group %s: %w", v.Resource.Name, err)
		}
		out = append(out, ng)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the graph of %s declares no node group", g.Stack)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func nodeGroup(g *plan.Graph, v plan.ManagedNodeGroup) (NodeGroup, error) {
	ng := NodeGroup{Name: v.Name, CapacityType: v.CapacityType, Labels: map[string]string{}}
	if len(v.InstanceTypes) == 0 {
		return ng, fmt.Errorf("no instanceTypes")
	}
	ng.InstanceType = v.InstanceTypes[0]
	var ok bool
	if ng.Shape, ok = spec.InstanceShapes[ng.InstanceType]; !ok {
		return ng, fmt.Errorf("instance type %s has no row in spec.InstanceShapes", ng.InstanceType)
	}
	for k, l := range v.Labels {
		ng.Labels[k] = l
	}
	for _, t := range v.Taints {
		effect, err := kubeEffect(t.Effect)
		if err != nil {
			return ng, err
		}
		ng.Taints = append(ng.Taints, corev1.Taint{Key: t.Key, Value: t.Value, Effect: effect})
	}
	zones, unknown := g.Zones(v.SubnetIDs)
	if len(unknown) > 0 {
		return ng, fmt.Errorf("subnet %s is not in the graph", unknown[0])
	}
	if len(zones) == 0 {
		return ng, fmt.Errorf("no subnets")
	}
	ng.Zones = zones
	if v.Scaling == nil {
		return ng, fmt.Errorf("no scalingConfig with minSize, desiredSize and maxSize")
	}
	ng.MinSize, ng.DesiredSize, ng.MaxSize = v.Scaling.Min, v.Scaling.Desired, v.Scaling.Max
	return ng, nil
}

// kubeEffect spells an EKS taint effect the way Kubernetes does.
func kubeEffect(eks string) (corev1.TaintEffect, error) {
	switch eks {
	case "NO_SCHEDULE":
		return corev1.TaintEffectNoSchedule, nil
	case "NO_EXECUTE":
		return corev1.TaintEffectNoExecute, nil
	case "PREFER_NO_SCHEDULE":
		return corev1.TaintEffectPreferNoSchedule, nil
	}
	return "", fmt.Errorf("unknown taint effect %q", eks)
}

// Node is one node of the group, the i-th, in the group's zones round
// robin, as an EKS managed node group's node looks to the scheduler.
func (g NodeGroup) Node(i int) *corev1.Node {
	zone := g.Zones[i%len(g.Zones)]
	name := fmt.Sprintf("%s-%d-%s", g.Name, i, zone)
	labels := map[string]string{
		corev1.LabelHostname:   name,
		corev1.LabelOSStable:   "linux",
		corev1.LabelArchStable: archLabel(g.InstanceType),
		LabelInstanceType:      g.InstanceType,
		LabelZone:              zone,
		LabelRegion:            strings.TrimRight(zone, "abcdefghijklmnopqrstuvwxyz"),
		LabelNodeGroup:         g.Name,
		LabelCapacityType:      g.CapacityType,
	}
	for k, v := range g.Labels {
		labels[k] = v
	}
	capacity, allocatable := Resources(g.Shape)
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.NodeSpec{Taints: append([]corev1.Taint(nil), g.Taints...), ProviderID: "kwok://" + name},
		Status: corev1.NodeStatus{
			Capacity: capacity, Allocatable: allocatable,
			NodeInfo: corev1.NodeSystemInfo{Architecture: archLabel(g.InstanceType), OperatingSystem: "linux"},
		},
	}
}

func archLabel(instanceType string) string {
	if spec.InstanceArch(instanceType) == spec.ArchARM {
		return "arm64"
	}
	return "amd64"
}

// Resources are a node's capacity and allocatable resources. Allocatable
// subtracts what the EKS AMI reserves (amazon-eks-ami's kubelet config):
// kube-reserved CPU of 6% of the first core, 1% of the second, 0.5% of the
// third and fourth and 0.25% of each further one; kube-reserved memory of
// 255Mi plus 11Mi per pod the node may run; and the 100Mi hard eviction
// threshold.
func Resources(s spec.Shape) (capacity, allocatable corev1.ResourceList) {
	capacity = corev1.ResourceList{
		corev1.ResourceCPU:              *resource.NewQuantity(int64(s.VCPU), resource.DecimalSI),
		corev1.ResourceMemory:           *resource.NewQuantity(int64(s.MemoryGiB)<<30, resource.BinarySI),
		corev1.ResourcePods:             *resource.NewQuantity(int64(s.MaxPods), resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("80Gi"),
	}
	if s.GPUs > 0 {
		capacity[kubenames.GPUResource] = *resource.NewQuantity(int64(s.GPUs), resource.DecimalSI)
	}
	allocatable = capacity.DeepCopy()
	cpu := allocatable[corev1.ResourceCPU]
	cpu.Sub(*resource.NewMilliQuantity(reservedMilliCPU(s.VCPU), resource.DecimalSI))
	allocatable[corev1.ResourceCPU] = cpu
	mem := allocatable[corev1.ResourceMemory]
	mem.Sub(*resource.NewQuantity(int64(255+11*s.MaxPods+100)<<20, resource.BinarySI))
	allocatable[corev1.ResourceMemory] = mem
	return capacity, allocatable
}

// reservedMilliCPU is the EKS AMI's kube-reserved CPU, in millicores.
func reservedMilliCPU(cores int) int64 {
	var tenths int64 // tenths of a millicore
	for c := 1; c <= cores; c++ {
		switch {
		case c == 1:
			tenths += 600
		case c == 2:
			tenths += 100
		case c <= 4:
			tenths += 50
		default:
			tenths += 25
		}
	}
	return (tenths + 9) / 10
}
