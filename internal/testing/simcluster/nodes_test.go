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
			// The managed groups only: training and GPU capacity are
			// Karpenter NodePools (internal/testing/karpsim).
			want := map[string]spec.NodeGroup{"general": s.NodeGroups.General}
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
	groups, err := NodeGroups(stacktest.Graph(t, "prod"))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Name != "general" {
		t.Fatalf("groups %v, want general alone (GPU nodes are Karpenter's: karpsim)", groups)
	}
	general := groups[0]
	n0, n1 := general.Node(0), general.Node(1)
	if n0.Labels[LabelZone] == n1.Labels[LabelZone] {
		t.Errorf("consecutive nodes share zone %s", n0.Labels[LabelZone])
	}
	if n0.Labels[LabelRegion] != "eu-west-1" || n0.Labels[LabelInstanceType] != general.InstanceType || n0.Labels[LabelNodeGroup] != "general" {
		t.Errorf("labels %v", n0.Labels)
	}
	if _, ok := n0.Status.Capacity[kubenames.GPUResource]; ok || len(n0.Spec.Taints) != 0 {
		t.Errorf("general node offers a GPU or carries taints: %v %v", n0.Status.Capacity, n0.Spec.Taints)
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
