package rendercheck

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestCheckPlacement(t *testing.T) {
	groups := []NodeGroup{
		{Name: "general", Labels: map[string]string{"mlops-platform/workload": "general"}},
		{Name: "gpu", Labels: map[string]string{"mlops-platform/workload": "gpu"}, Taints: []corev1.Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}}},
	}
	tests := []struct {
		name string
		spec corev1.PodSpec
		bad  int
	}{
		{"no constraints", corev1.PodSpec{}, 0},
		{"group label", corev1.PodSpec{NodeSelector: map[string]string{"mlops-platform/workload": "gpu", "kubernetes.io/os": "linux"}}, 0},
		{"unknown label", corev1.PodSpec{NodeSelector: map[string]string{"mlops-platform/workload": "inference"}}, 1},
		{"windows", corev1.PodSpec{NodeSelector: map[string]string{"kubernetes.io/os": "windows"}}, 1},
		{"labels of two groups", corev1.PodSpec{NodeSelector: map[string]string{"mlops-platform/workload": "gpu", "x": "y"}}, 1},
		{"dormant label", corev1.PodSpec{NodeSelector: map[string]string{"nvidia.com/mps.capable": "true"}}, 0},
		{"gpu toleration", corev1.PodSpec{Tolerations: []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}}, 0},
		{"system toleration", corev1.PodSpec{Tolerations: []corev1.Toleration{{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists}}}, 0},
		{"tolerate all", corev1.PodSpec{Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}}}, 0},
		{"unknown taint", corev1.PodSpec{Tolerations: []corev1.Toleration{{Key: "dedicated", Value: "ml", Effect: corev1.TaintEffectNoSchedule}}}, 1},
		{"wrong value", corev1.PodSpec{Tolerations: []corev1.Toleration{{Key: "nvidia.com/gpu", Value: "false", Operator: corev1.TolerationOpEqual}}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPlacement("pod", tt.spec, groups); len(got) != tt.bad {
				t.Errorf("got %v, want %d problems", got, tt.bad)
			}
		})
	}
}
