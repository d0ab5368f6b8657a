package review

import (
	"context"
	"fmt"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// Evaluate evaluates one side offline: the graph, its cost with the
// built-in prices and usage, the guardrails (with the user policies of
// policyDir, if set) and the deployer policy.
func Evaluate(ctx context.Context, label string, src stack.Source, policyDir string) (Side, error) {
	res, err := src.Evaluate(ctx)
	if err != nil {
		return Side{}, fmt.Errorf("%s: %w", label, err)
	}
	s := Side{Label: label, Document: res.Document(), Graph: res.Graph}
	if s.Cost, err = estimate(res, src.Now); err != nil {
		return Side{}, fmt.Errorf("%s: cost: %w", label, err)
	}
	s.Guardrails, err = policy.Evaluate(ctx, s.Document, policy.Options{PolicyDir: policyDir, Now: src.Now})
	if err != nil {
		return Side{}, fmt.Errorf("%s: guardrails: %w", label, err)
	}
	if s.Permissions, err = deployerpolicy.Build(res.Graph, deployerpolicy.ManagedPolicyLimit); err != nil {
		return Side{}, fmt.Errorf("%s: deployer policy: %w", label, err)
	}
	return s, nil
}

func estimate(res *stack.Result, now time.Time) (*cost.Estimate, error) {
	cat, err := cost.LoadCatalogue(res.Spec.Region, "")
	if err != nil {
		return nil, err
	}
	u, err := cost.LoadUsage(res.Graph.Stack, "")
	if err != nil {
		return nil, err
	}
	return cost.Compute(res.Graph, cat, u, now)
}
