package spec

import (
	"strings"
	"testing"
)

func TestCheckLiveVersion(t *testing.T) {
	cases := []struct {
		name, live, want, wantErr string
	}{
		{"new cluster", "", "1.35", ""},
		{"same version", "1.35", "1.35", ""},
		{"one minor up", "1.34", "1.35", ""},
		{"auto-upgraded by EKS, spec behind", "1.34", "1.33", "set kubernetesVersion to 1.34"},
		{"jump of two minors", "1.33", "1.35", "set kubernetesVersion to 1.34 first"},
		{"patch version reported", "1.34.2", "1.33", "set kubernetesVersion to 1.34.2"},
		{"garbage", "latest", "1.35", "cannot compare"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckLiveVersion(tc.live, tc.want)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
