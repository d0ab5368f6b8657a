package plan

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Evaluate runs the program for s under the engine's mock monitor, in
// process: no Pulumi CLI, no credentials, no network. stack names the stack.
func Evaluate(ctx context.Context, stack string, s *spec.Spec, opts ...Option) (*Graph, error) {
	return EvaluateProgram(ctx, stack, s.Region, infra.Program(s), opts...)
}

// Option changes what the offline engine answers.
type Option func(*recorder)

// FreshAccount makes the offline account one that has never used a service
// with a service-linked role (Auto Scaling, ELB, EKS): getRoles finds none.
func FreshAccount() Option {
	return func(r *recorder) { r.freshAccount = true }
}

// EvaluateProgram evaluates any program the way Evaluate does; tests use it
// to evaluate a program changed on purpose.
func EvaluateProgram(ctx context.Context, stack, region string, program pulumi.RunFunc, opts ...Option) (*Graph, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec := &recorder{project: spec.ProjectName, stack: stack, region: region}
	for _, o := range opts {
		o(rec)
	}
	if err := pulumi.RunErr(program, pulumi.WithMocks(spec.ProjectName, stack, rec)); err != nil {
		return nil, fmt.Errorf("evaluating stack %q: %w", stack, err)
	}
	return NewGraph(stack, spec.ProjectName, rec.resources), nil
}
