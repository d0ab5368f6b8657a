// Command pulumi-program is the platform program as the Pulumi CLI runs it
// (`pulumi up` with Pulumi.yaml's main pointing here). It resolves the same
// spec `mlops plan` does, from the stack's configuration, and declares the
// same program.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		s, err := resolve(ctx.Stack())
		if err != nil {
			return err
		}
		return infra.Program(s)(ctx)
	})
}

// resolve reads the configuration the engine passes in PULUMI_CONFIG, which
// holds every key of the stack, so unknown keys are caught here too.
func resolve(stack string) (*spec.Spec, error) {
	raw := map[string]string{}
	if env := os.Getenv(pulumi.EnvConfig); env != "" {
		if err := json.Unmarshal([]byte(env), &raw); err != nil {
			return nil, fmt.Errorf("reading stack configuration: %w", err)
		}
	}
	o, err := spec.ParseEngineConfig(raw)
	if err != nil {
		return nil, err
	}
	s, warns, err := spec.Resolve(spec.Input{Stack: stack, Overrides: o, Now: time.Now()})
	for _, w := range warns {
		fmt.Fprintln(os.Stderr, "warning:", w.Error())
	}
	return s, err
}
