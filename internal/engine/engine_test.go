package engine

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

func TestPlainValueRedactsSecrets(t *testing.T) {
	m := resource.PropertyMap{
		"password": resource.MakeSecret(resource.NewProperty("hunter2")),
		"nested": resource.NewProperty(resource.PropertyMap{
			"token": resource.MakeSecret(resource.NewProperty("abc")),
			"list":  resource.NewProperty([]resource.PropertyValue{resource.MakeSecret(resource.NewProperty(1.0))}),
		}),
		"out":   resource.NewProperty(resource.Output{Element: resource.NewProperty("x"), Known: true, Secret: true}),
		"plain": resource.NewProperty("visible"),
		"count": resource.NewProperty(3.0),
		"ratio": resource.NewProperty(0.5),
	}
	got := plainMap(m)
	for _, path := range []string{"password", "nested.token", "nested.list[0]", "out"} {
		r := plan.Resource{Inputs: got}
		if v, _ := r.Input(path); v != plan.Redacted {
			t.Errorf("%s = %v, want %s", path, v, plan.Redacted)
		}
	}
	if got["plain"] != "visible" || got["count"] != int64(3) || got["ratio"] != 0.5 {
		t.Errorf("plain values changed: %v", got)
	}
}

func TestProviderURN(t *testing.T) {
	const urn = "urn:pulumi:prod::mlops-platform::pulumi:providers:aws::aws"
	cases := []struct{ ref, want string }{
		{urn + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9", urn},
		{urn, urn},
		{"", ""},
	}
	for _, tc := range cases {
		if got := ProviderURN(tc.ref); got != tc.want {
			t.Errorf("ProviderURN(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}
