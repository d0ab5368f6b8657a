package nodegroups

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

func TestAMIFollowsArchitecture(t *testing.T) {
	ng := func(types ...string) spec.NodeGroup { return spec.NodeGroup{InstanceTypes: types} }
	cases := []struct {
		name  string
		group spec.NodeGroups
		want  [3]string
	}{
		{"x86", spec.NodeGroups{General: ng("m5.xlarge"), Training: ng("c5.4xlarge"), GPU: ng("g4dn.xlarge")}, [3]string{AmiStandard, AmiStandard, AmiNvidia}},
		{"graviton", spec.NodeGroups{General: ng("m7g.xlarge"), Training: ng("c7g.4xlarge"), GPU: ng("g5g.xlarge")}, [3]string{AmiARMStandard, AmiARMStandard, AmiARMNvidia}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, g := range Standard(tc.group) {
				if g.AmiType != tc.want[i] {
					t.Errorf("%s: AMI %s, want %s", g.Name, g.AmiType, tc.want[i])
				}
			}
		})
	}
}

func TestAutoscalerTagsDescribeGPUNodes(t *testing.T) {
	gpu := Standard(spec.NodeGroups{GPU: spec.NodeGroup{InstanceTypes: []string{"g4dn.xlarge"}}})[2]
	got := map[string]string{}
	for _, kv := range AutoscalerTags(gpu) {
		got[kv[0]] = kv[1]
	}
	want := map[string]string{
		AutoscalerTemplatePrefix + "taint/nvidia.com/gpu":         "true:NoSchedule",
		AutoscalerTemplatePrefix + "resources/nvidia.com/gpu":     "1",
		AutoscalerTemplatePrefix + "label/nvidia.com/gpu.present": "true",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
