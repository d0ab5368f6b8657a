package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// Export formats of `mlops plan -o`.
const (
	FormatSARIF = "sarif"
	FormatJUnit = "junit"
)

// addGuardrailFlags registers the guardrail flags of `mlops plan`.
func addGuardrailFlags(fs *pflag.FlagSet, o *PlanOptions) {
	fs.StringVar(&o.PolicyDir, "policy-dir", "", "directory of extra Rego policies (package mlops.guardrails.<name>), evaluated with the built-in guardrails")
}

// guardrailFormat moves a guardrail export format given to plan's -o
// (sarif or junit, written instead of the plan) into o.Format, so that -o
// is the one format flag of every command.
func guardrailFormat(o *PlanOptions) {
	switch o.Output {
	case FormatSARIF, FormatJUnit:
		o.Format, o.Output = o.Output, output.Table
	}
}

// evaluateGuardrails runs the built-in and user policies over the plan.
func evaluateGuardrails(ctx context.Context, env Env, o PlanOptions, doc plan.Document) (*policy.Report, error) {
	if o.PolicyDir != "" {
		if fi, err := os.Stat(o.PolicyDir); err != nil || !fi.IsDir() {
			return nil, UsageError{fmt.Errorf("--policy-dir %s: not a directory", o.PolicyDir)}
		}
	}
	r, err := policy.Evaluate(ctx, doc, policy.Options{PolicyDir: o.PolicyDir, Now: env.Now()})
	if err != nil {
		return nil, fmt.Errorf("guardrails: %w", err)
	}
	return r, nil
}

// writeGuardrailFormat writes the verdicts as SARIF or JUnit and returns
// the plan's verdict.
func writeGuardrailFormat(w io.Writer, format string, r *policy.Report) error {
	var err error
	switch format {
	case FormatSARIF:
		err = policy.WriteSARIF(w, r)
	case FormatJUnit:
		err = policy.WriteJUnit(w, r)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		return err
	}
	return guardrailVerdict(r)
}

// guardrailVerdict is a PolicyDeniedError when a mandatory control failed.
func guardrailVerdict(r *policy.Report) error {
	if r.MandatoryFailed() {
		return PolicyDeniedError{Controls: r.FailedControls()}
	}
	return nil
}
