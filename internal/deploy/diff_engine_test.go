package deploy_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/provider"
)

// parameterProgram declares one SSM parameter whose value is a secret, as
// the SDKs mark one, and whose name (which the fake provider, as AWS,
// treats as forcing a new parameter) and description are given.
func parameterProgram(name, description, value string) func(layer.Layer) pulumi.RunFunc {
	return func(layer.Layer) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			return provider.AWS(ctx, "aws:ssm/parameter:Parameter", "param", pulumi.Map{
				"name": pulumi.String(name), "type": pulumi.String("SecureString"),
				"description": pulumi.String(description), "value": provider.Secret(pulumi.String(value)),
			}, &provider.Resource{})
		}
	}
}

// TestRealEngineDiffMasksSecrets: through the real engine, an in-place
// update lists its input old → new and a secret input changed with it
// only masked; a change of the name is a replacement naming it.
func TestRealEngineDiffMasksSecrets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	h.program = parameterProgram("/mlops/p", "first", "s3cr3t-one")
	if _, err := h.deployer(nil).Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil)); err != nil {
		t.Fatalf("up: %v", err)
	}
	tests := []struct {
		name, param, description string
		op                       deploy.Op
		want                     []deploy.PropertyDiff
		reasons                  []string
	}{
		{"in place", "/mlops/p", "second", deploy.OpUpdate, []deploy.PropertyDiff{
			{Path: "description", Kind: deploy.KindUpdate, Old: `"first"`, New: `"second"`},
			{Path: "value", Kind: deploy.KindUpdate, Old: deploy.Masked, New: deploy.Masked},
		}, nil},
		{"replacement", "/mlops/q", "first", deploy.OpReplace, []deploy.PropertyDiff{
			{Path: "name", Kind: deploy.KindUpdate, Old: `"/mlops/p"`, New: `"/mlops/q"`, Replaces: true},
			{Path: "value", Kind: deploy.KindUpdate, Old: deploy.Masked, New: deploy.Masked},
		}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.program = parameterProgram(tt.param, tt.description, "s3cr3t-two")
			sum, err := h.deployer(nil).Preview(ctx, layer.AWS)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(sum.Changes, func(c deploy.Change) bool { return c.Name == "param" })
			if i < 0 {
				t.Fatalf("no change of param: %+v", sum.Changes)
			}
			c := sum.Changes[i]
			if c.Op != tt.op || !slices.Equal(c.Diffs, tt.want) || !slices.Equal(c.ReplaceReasons, tt.reasons) {
				t.Errorf("%s with diffs %+v, reasons %v; want %s with %+v, %v", c.Op, c.Diffs, c.ReplaceReasons, tt.op, tt.want, tt.reasons)
			}
			for _, d := range c.Diffs {
				if strings.Contains(d.Old+d.New, "s3cr3t") {
					t.Errorf("secret shown: %+v", d)
				}
			}
		})
	}
}
