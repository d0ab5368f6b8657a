package simcluster

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// Tolerations and selectors a workload uses to reach the tainted groups.
var (
	gpuToleration = corev1.Toleration{Key: kubenames.GPUResource, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}
)

func pod(name string, edit func(*corev1.PodSpec)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "main", Image: "registry.k8s.io/pause:3.10",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("32Mi"),
			}},
		}}},
	}
	if edit != nil {
		edit(&p.Spec)
	}
	return p
}

func withGPU(s *corev1.PodSpec) {
	gpu := corev1.ResourceList{kubenames.GPUResource: resource.MustParse("1")}
	s.Containers[0].Resources.Requests[kubenames.GPUResource] = gpu[kubenames.GPUResource]
	s.Containers[0].Resources.Limits = gpu
}

func TestSchedulingFollowsTheNodeGroups(t *testing.T) {
	c := simCluster(t)
	ns := namespace(t, c, "sched")
	ctx := testContext(t)
	groupOf := func(node string) string {
		n, err := c.Client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return n.Labels[LabelNodeGroup]
	}
	// Training and GPU nodes are Karpenter's, launched for pending pods:
	// internal/testing/karpsim shows those pods landing. Here, with the
	// managed general group alone, they stay pending.
	t.Run("plain pods stay on general nodes", func(t *testing.T) {
		// More plain pods than one node's pod limit leaves room for, so
		// any node that admitted them would show up.
		var names []string
		for i := range 40 {
			p, err := c.Client.CoreV1().Pods(ns).Create(ctx, pod(fmt.Sprintf("plain-%d", i), nil), metav1.CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, p.Name)
		}
		used := map[string]int{}
		for _, name := range names {
			p, err := c.WaitPodReady(ctx, ns, name)
			if err != nil {
				t.Fatal(err)
			}
			used[p.Spec.NodeName]++
			if g := groupOf(p.Spec.NodeName); g != "general" {
				t.Errorf("plain pod %s landed on %s (group %s)", name, p.Spec.NodeName, g)
			}
		}
		if len(used) < 2 {
			t.Errorf("40 plain pods used only %v", used)
		}
	})
	for _, tc := range []struct {
		name, reason string
		edit         func(*corev1.PodSpec)
	}{
		{"gpu-without-toleration", "Insufficient nvidia.com/gpu", withGPU},
		{"training-without-toleration", "node affinity/selector", func(s *corev1.PodSpec) {
			s.NodeSelector = map[string]string{"mlops-platform/workload": "training"}
		}},
		{"two-gpus", "Insufficient nvidia.com/gpu", func(s *corev1.PodSpec) {
			withGPU(s)
			two := resource.MustParse("2")
			s.Containers[0].Resources.Requests[kubenames.GPUResource], s.Containers[0].Resources.Limits[kubenames.GPUResource] = two, two
			s.Tolerations = []corev1.Toleration{gpuToleration}
		}},
	} {
		t.Run(tc.name+" stays pending", func(t *testing.T) {
			if _, err := c.Client.CoreV1().Pods(ns).Create(ctx, pod(tc.name, tc.edit), metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			msg, err := c.WaitUnschedulable(ctx, ns, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg, tc.reason) {
				t.Errorf("unschedulable for %q, want %q", msg, tc.reason)
			}
		})
	}
}
