package teardown

import (
	"strings"
	"testing"
)

func TestClusterAccess(t *testing.T) {
	full := map[string]any{"clusterEndpoint": "https://x.eks.amazonaws.com", "certificateAuthority": "Y2E=", "clusterName": "mlops-platform-dev"}
	without := func(k string) map[string]any {
		m := map[string]any{}
		for kk, v := range full {
			if kk != k {
				m[kk] = v
			}
		}
		return m
	}
	tests := []struct {
		name string
		outs map[string]any
		err  string
	}{
		{"complete", map[string]any{"clusterLayer": full}, ""},
		{"no clusterLayer", map[string]any{}, "lacks clusterLayer"},
		{"no endpoint", map[string]any{"clusterLayer": without("clusterEndpoint")}, "lacks clusterLayer"},
		{"no CA", map[string]any{"clusterLayer": without("certificateAuthority")}, "lacks clusterLayer"},
		{"CA not base64", map[string]any{"clusterLayer": map[string]any{"clusterEndpoint": "https://x", "certificateAuthority": "%%", "clusterName": "c"}}, "not base64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep, ca, name, err := ClusterAccess(tc.outs, "dev-aws")
			if tc.err == "" {
				if err != nil || ep != full["clusterEndpoint"] || string(ca) != "ca" || name != "mlops-platform-dev" {
					t.Errorf("got %q %q %q %v", ep, ca, name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "dev-aws") {
				t.Errorf("error %v, want %q naming the stack", err, tc.err)
			}
		})
	}
}
