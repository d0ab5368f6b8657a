// Command pulumi-program is the platform program as the Pulumi CLI runs it
// (`pulumi up` with Pulumi.yaml's main pointing here). It resolves the same
// spec `mlops plan` does, from the stack's configuration, through the stack
// runner, and runs the same program: whole, or one layer when the stack
// sets mlops-platform:layer to aws or cluster (name such stacks
// <env>-aws and <env>-cluster; the cluster layer reads <env>-aws's outputs).
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/stack"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		r, err := resolve(ctx.Stack(), time.Now())
		if err != nil {
			return err
		}
		return r.LayerProgram(r.Layer)(ctx)
	})
}

// resolve reads the configuration the engine passes in PULUMI_CONFIG, judges
// support windows at now (the wall clock, read at this process's edge) and
// prints the spec's warnings.
func resolve(name string, now time.Time) (*stack.Resolved, error) {
	r, err := stack.FromEngineConfig(name, now)
	if err != nil {
		return nil, err
	}
	for _, w := range r.Warnings {
		fmt.Fprintln(os.Stderr, "warning:", w.Error())
	}
	return r, nil
}
