package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// FromEngineConfig resolves a stack's spec from the configuration a Pulumi
// engine passes its program in PULUMI_CONFIG, which holds every key of the
// stack, so unknown keys are caught here too.
func FromEngineConfig(stack string, now time.Time) (*Resolved, error) {
	raw := map[string]string{}
	if env := os.Getenv(pulumi.EnvConfig); env != "" {
		if err := json.Unmarshal([]byte(env), &raw); err != nil {
			return nil, fmt.Errorf("reading stack configuration %s: %w", pulumi.EnvConfig, err)
		}
	}
	o, err := spec.ParseEngineConfig(raw)
	if err != nil {
		return nil, err
	}
	s, warns, err := spec.Resolve(spec.Input{Stack: stack, Overrides: o, Now: now})
	if err != nil {
		return nil, err
	}
	return &Resolved{Stack: stack, Spec: s, Warnings: warns}, nil
}
