package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// policyChecker runs internal/policy's guardrails over a cost variant.
type policyChecker struct{ now time.Time }

// Check evaluates every guardrail over the variant's plan document.
func (p policyChecker) Check(ctx context.Context, v *cost.Variant) (cost.GuardrailVerdict, error) {
	rep, err := policy.Evaluate(ctx, plan.NewDocument(v.Graph, v.Spec, v.Warnings), policy.Options{Now: p.now})
	if err != nil {
		return cost.GuardrailVerdict{}, fmt.Errorf("evaluating guardrails: %w", err)
	}
	return cost.GuardrailVerdict{Green: !rep.MandatoryFailed(), Failed: rep.FailedControls()}, nil
}

// guardrailChecker returns the checker `mlops cost --optimize` uses.
func guardrailChecker(now time.Time) cost.GuardrailChecker {
	return policyChecker{now: now}
}
