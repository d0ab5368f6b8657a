package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// LayerConfigKey selects the layer a plain `pulumi up` of
// cmd/pulumi-program deploys: aws, cluster, or unset for the whole program.
const LayerConfigKey = spec.ConfigNamespace + "layer"

// FromEngineConfig resolves a stack's spec from the configuration a Pulumi
// engine passes its program in PULUMI_CONFIG, which holds every key of the
// stack, so unknown keys are caught here too. With LayerConfigKey set, the
// Resolved's Layer is that layer and a stack named <env>-<layer> resolves
// as <env> (its profile and default names are the environment's).
func FromEngineConfig(stack string, now time.Time) (*Resolved, error) {
	raw := map[string]string{}
	if env := os.Getenv(pulumi.EnvConfig); env != "" {
		if err := json.Unmarshal([]byte(env), &raw); err != nil {
			return nil, fmt.Errorf("reading stack configuration %s: %w", pulumi.EnvConfig, err)
		}
	}
	var only layer.Layer
	if v, ok := raw[LayerConfigKey]; ok {
		if v != "all" {
			ls, err := layer.Parse(v)
			if err != nil {
				return nil, spec.Errors{{Path: "layer", Msg: err.Error()}}
			}
			only = ls[0]
			stack = layer.SplitStackName(stack, only)
		}
		delete(raw, LayerConfigKey)
	}
	o, err := spec.ParseEngineConfig(raw)
	if err != nil {
		return nil, err
	}
	s, warns, err := spec.Resolve(spec.Input{Stack: stack, Overrides: o, Now: now})
	if err != nil {
		return nil, err
	}
	return &Resolved{Stack: stack, Spec: s, Warnings: warns, Layer: only}, nil
}
