package simcluster

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

func TestNodeGroupsFromTheGraph(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			s := stacktest.Spec(t, stack)
			groups, err := NodeGroups(stacktest.Graph(t, stack))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]spec.NodeGroup{"general": s.NodeGroups.General, "training": s.NodeGroups.Training, "gpu": s.NodeGroups.GPU}
			if len(groups) != len(want) {
				t.Fatalf("got %d groups, want %d", len(groups), len(want))
			}
			for _, g := range groups {
				w, ok := want[g.Name]
				if !ok {
					t.Fatalf("unexpected group %s", g.Name)
				}
				if g.InstanceType != w.InstanceTypes[0] || g.DesiredSize != w.DesiredSize || g.MinSize != w.MinSize || g.MaxSize != w.MaxSize {
					t.Errorf("%s: %s %d/%d/%d, spec %v %d/%d/%d", g.Name, g.InstanceType, g.MinSize, g.DesiredSize, g.MaxSize, w.InstanceTypes, w.MinSize, w.DesiredSize, w.MaxSize)
				}
				if len(g.Zones) != len(s.AvailabilityZones) {
					t.Errorf("%s: zones %v, spec AZs %v", g.Name, g.Zones, s.AvailabilityZones)
				}
				if g.Labels["mlops-platform/workload"] != g.Name {
					t.Errorf("%s: labels %v", g.Name, g.Labels)
				}
				if g.Nodes() < 1 || g.Nodes() < g.DesiredSize {
					t.Errorf("%s: %d nodes for desired size %d", g.Name, g.Nodes(), g.DesiredSize)
				}
			}
		})
	}
}

func TestNodesAreShapedLikeTheirGroup(t *testing.T) {
	groups, err := NodeGroups(stacktest.Graph(t, "dev"))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]NodeGroup{}
	for _, g := range groups {
		byName[g.Name] = g
	}
	gpu := byName["gpu"]
	n0, n1 := gpu.Node(0), gpu.Node(1)
	if n0.Labels[LabelZone] == n1.Labels[LabelZone] {
		t.Errorf("consecutive nodes share zone %s", n0.Labels[LabelZone])
	}
	if n0.Labels[LabelRegion] != "eu-west-1" || n0.Labels[LabelInstanceType] != gpu.InstanceType || n0.Labels[LabelNodeGroup] != "gpu" {
		t.Errorf("labels %v", n0.Labels)
	}
	if len(n0.Spec.Taints) != 1 || n0.Spec.Taints[0].Key != kubenames.GPUResource || n0.Spec.Taints[0].Effect != corev1.TaintEffectNoSchedule {
		t.Errorf("taints %v", n0.Spec.Taints)
	}
	if got := n0.Status.Allocatable[kubenames.GPUResource]; got.Value() != 1 {
		t.Errorf("allocatable GPUs %v", got.String())
	}
	general := byName["general"].Node(0)
	if _, ok := general.Status.Capacity[kubenames.GPUResource]; ok || len(general.Spec.Taints) != 0 {
		t.Errorf("general node offers a GPU or carries taints: %v %v", general.Status.Capacity, general.Spec.Taints)
	}
}

// TestAllocatable checks the EKS AMI's reservations on two types, worked
// out by hand from the formula in amazon-eks-ami.
func TestAllocatable(t *testing.T) {
	for _, c := range []struct {
		typ      string
		cpu, mem string
		pods     int64
	}{
		// 2000m - (60 + 10)m; 8Gi - (255 + 11*35 + 100)Mi = 8192 - 740 Mi.
		{"t3.large", "1930m", "7452Mi", 35},
		// 16000m - (60 + 10 + 2*5 + 12*2.5)m; 32Gi - (255 + 11*234 + 100)Mi.
		{"c5.4xlarge", "15890m", "29839Mi", 234},
	} {
		_, alloc := Resources(spec.InstanceShapes[c.typ])
		cpu, mem, pods := alloc[corev1.ResourceCPU], alloc[corev1.ResourceMemory], alloc[corev1.ResourcePods]
		if cpu.Cmp(resource.MustParse(c.cpu)) != 0 || mem.Cmp(resource.MustParse(c.mem)) != 0 || pods.Value() != c.pods {
			t.Errorf("%s: cpu %s mem %s pods %s, want %s %s %d", c.typ, cpu.String(), mem.String(), pods.String(), c.cpu, c.mem, c.pods)
		}
	}
}

func TestEveryInstanceTypeHasAPodLimit(t *testing.T) {
	for typ, s := range spec.InstanceShapes {
		if s.MaxPods < 8 {
			t.Errorf("%s: MaxPods %d", typ, s.MaxPods)
		}
	}
}
