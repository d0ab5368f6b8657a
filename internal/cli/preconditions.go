package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// Preconditions are every unmet precondition of a deploy command, found in
// one run (guardrails, backend, secrets provider, Pulumi CLI, certificate)
// so that one attempt lists all there is to fix (review m11). Its exit
// code is the first one's, the code the command exited with when it
// stopped at the first.
type Preconditions []error

func (p Preconditions) Error() string {
	msgs := make([]string, len(p))
	for i, err := range p {
		msgs[i] = "- " + strings.ReplaceAll(err.Error(), "\n", "\n    ")
	}
	return fmt.Sprintf("%d preconditions unmet; fix each before deploying:\n  %s", len(p), strings.Join(msgs, "\n  "))
}

// Unwrap returns the first precondition, which decides the exit code.
func (p Preconditions) Unwrap() error {
	if len(p) == 0 {
		return nil
	}
	return p[0]
}

// add appends err, flattening a Preconditions; nil is ignored.
func (p Preconditions) add(err error) Preconditions {
	if err == nil {
		return p
	}
	var more Preconditions
	if errors.As(err, &more) {
		return append(p, more...)
	}
	return append(p, err)
}

// err is nil when nothing is unmet, the error itself when one is, and the
// list otherwise.
func (p Preconditions) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	return p
}

// runGuardrails evaluates the stack offline and runs the guardrails; a
// failed mandatory control blocks with ExitPolicyDenied. It returns the
// evaluated stack and the verdicts (a saved plan's summary holds them).
func runGuardrails(ctx context.Context, env Env, o DeployOptions, r *stack.Resolved) (*stack.Result, *policy.Report, error) {
	res, err := r.Evaluate(ctx)
	if err != nil {
		return nil, nil, err
	}
	rep, err := evaluateGuardrails(ctx, env, PlanOptions{StackOptions: o.StackOptions, PolicyDir: o.PolicyDir}, res.Document())
	if err != nil {
		return nil, nil, err
	}
	if err := deployVerdict(rep); err != nil {
		fmt.Fprintf(env.Err, "guardrails: a deploy needs every mandatory control to pass; `mlops plan --stack %s` shows what to change\n", o.Stack)
		return res, rep, err
	}
	fmt.Fprintf(env.Err, "guardrails: passed (%d resources evaluated offline)\n", len(res.Graph.Resources))
	return res, rep, nil
}

// deployVerdict is a PolicyDeniedError when a mandatory control failed or
// is pending: a deploy refuses what the offline plan only warns about
// (Report.Blocking), naming the keys pending results wait for.
func deployVerdict(r *policy.Report) error {
	blocking := r.Blocking()
	if len(blocking) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var controls []string
	for _, x := range blocking {
		if !seen[x.Control] {
			seen[x.Control] = true
			controls = append(controls, x.Control)
		}
	}
	sort.Strings(controls)
	err := PolicyDeniedError{Controls: controls}
	if keys := r.PendingInputs(); len(keys) > 0 {
		return fmt.Errorf("%w (pending until set: %s)", err, strings.Join(keys, ", "))
	}
	return err
}
