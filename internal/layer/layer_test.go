package layer

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []Layer
		ok   bool
	}{
		{"", All, true}, {"all", All, true},
		{"aws", []Layer{AWS}, true}, {"cluster", []Layer{Cluster}, true},
		{"k8s", nil, false}, {"AWS", nil, false},
	} {
		got, err := Parse(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("Parse(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestStackNames(t *testing.T) {
	if got := Cluster.StackName("prod"); got != "prod-cluster" {
		t.Errorf("StackName = %q", got)
	}
	for _, tt := range []struct {
		name string
		l    Layer
		want string
	}{
		{"prod-cluster", Cluster, "prod"}, {"dev-aws", AWS, "dev"},
		{"dev-aws", Cluster, "dev-aws"}, {"-aws", AWS, "-aws"}, {"prod", AWS, "prod"},
	} {
		if got := SplitStackName(tt.name, tt.l); got != tt.want {
			t.Errorf("SplitStackName(%q, %s) = %q, want %q", tt.name, tt.l, got, tt.want)
		}
	}
}
