package spec

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateCharts(t *testing.T) {
	tests := []struct {
		name    string
		sets    []string
		wantErr string // path of the expected error, "" for none
		wantMsg string
	}{
		{name: "default public"},
		{name: "oci mirror", sets: []string{"charts.source=mirror", "charts.mirror=oci://registry.example.com/mirror/charts"}},
		{name: "helm repository mirror", sets: []string{"charts.source=mirror", "charts.mirror=https://charts.example.com/stable"}},
		{name: "local", sets: []string{"charts.source=local", "charts.dir=third_party/charts"}},
		{name: "unknown source", sets: []string{"charts.source=s3"}, wantErr: "charts.source", wantMsg: `"s3"`},
		{name: "mirror without URL", sets: []string{"charts.source=mirror"}, wantErr: "charts.mirror", wantMsg: "set the mirror's URL"},
		{name: "plain http mirror", sets: []string{"charts.source=mirror", "charts.mirror=http://charts.example.com"}, wantErr: "charts.mirror", wantMsg: "not an oci://"},
		{name: "mirror without host", sets: []string{"charts.source=mirror", "charts.mirror=oci:///charts"}, wantErr: "charts.mirror", wantMsg: "not an oci://"},
		{name: "mirror URL ignored", sets: []string{"charts.mirror=oci://registry.example.com/charts"}, wantErr: "charts.mirror", wantMsg: "only with charts.source=mirror"},
		{name: "local without dir", sets: []string{"charts.source=local"}, wantErr: "charts.dir", wantMsg: "set the directory"},
		{name: "dir ignored", sets: []string{"charts.source=mirror", "charts.mirror=https://charts.example.com", "charts.dir=x"}, wantErr: "charts.dir", wantMsg: "only with charts.source=local"},
	}
	for _, stack := range []string{"dev", "prod"} {
		for _, tt := range tests {
			t.Run(stack+"/"+tt.name, func(t *testing.T) {
				sets := append([]string{}, tt.sets...)
				if stack == "dev" {
					sets = append(sets, devCidrs)
				}
				s, _, err := resolveWith(t, stack, sets...)
				var errs Errors
				if err != nil && !errors.As(err, &errs) {
					t.Fatalf("unexpected error type: %v", err)
				}
				if tt.wantErr == "" {
					if err != nil {
						t.Fatalf("want no error, got %v", err)
					}
					if tt.sets == nil && s.Charts.Source != ChartsPublic {
						t.Errorf("default charts.source = %q, want %q", s.Charts.Source, ChartsPublic)
					}
					return
				}
				if len(errs) != 1 || errs[0].Path != tt.wantErr || !strings.Contains(errs[0].Error(), tt.wantMsg) {
					t.Fatalf("want exactly one error on %s saying %q, got %v", tt.wantErr, tt.wantMsg, err)
				}
			})
		}
	}
}
