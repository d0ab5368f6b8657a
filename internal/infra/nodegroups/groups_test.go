package nodegroups

import (
	"testing"
)

func TestAMIFollowsArchitecture(t *testing.T) {
	cases := []struct {
		name string
		arm  bool
		want [3]string
	}{
		{"x86", false, [3]string{AmiStandard, AmiStandard, AmiNvidia}},
		{"graviton", true, [3]string{AmiARMStandard, AmiARMStandard, AmiARMNvidia}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Capacity{ARM: tc.arm}
			for i, g := range Standard(c, c, c) {
				if g.AmiType != tc.want[i] {
					t.Errorf("%s: AMI %s, want %s", g.Name, g.AmiType, tc.want[i])
				}
			}
		})
	}
}

func TestAutoscalerTagsDescribeGPUNodes(t *testing.T) {
	gpu := Standard(Capacity{}, Capacity{}, Capacity{InstanceTypes: []string{"g4dn.xlarge"}, Accelerator: "nvidia-tesla-t4"})[2]
	got := map[string]string{}
	for _, kv := range AutoscalerTags(gpu) {
		got[kv[0]] = kv[1]
	}
	want := map[string]string{
		AutoscalerTemplatePrefix + "taint/nvidia.com/gpu":                "true:NoSchedule",
		AutoscalerTemplatePrefix + "resources/nvidia.com/gpu":            "1",
		AutoscalerTemplatePrefix + "label/nvidia.com/gpu.present":        "true",
		AutoscalerTemplatePrefix + "label/k8s.amazonaws.com/accelerator": "nvidia-tesla-t4",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
