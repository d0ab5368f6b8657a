package cost

import (
	"context"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Variant is one evaluated version of a stack: its effective spec and the
// graph its program declared.
type Variant struct {
	Spec     *spec.Spec
	Warnings spec.Errors
	Graph    *plan.Graph
}

// Evaluator evaluates the stack being priced with extra --set overrides
// appended to its own. The stack runner (internal/stack) implements it:
// cost only prices the graphs it returns.
type Evaluator interface {
	Evaluate(ctx context.Context, sets []string) (*Variant, error)
}

// GuardrailVerdict is what a GuardrailChecker says of one variant.
type GuardrailVerdict struct {
	// Green is true when no mandatory guardrail fails.
	Green bool `json:"green"`
	// Failed lists the failing mandatory controls.
	Failed []string `json:"failed,omitempty"`
}

// GuardrailChecker runs the mandatory guardrails over an evaluated variant.
// The CLI passes the internal/policy implementation; nil means unchecked.
type GuardrailChecker interface {
	Check(ctx context.Context, v *Variant) (GuardrailVerdict, error)
}
