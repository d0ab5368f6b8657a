package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// PlanOptions are the parsed flags of `mlops plan`.
type PlanOptions struct {
	StackOptions
	// PolicyDir holds extra user Rego policies (--policy-dir).
	PolicyDir string
	// Format exports the guardrail verdicts as sarif or junit (-o sarif,
	// -o junit) instead of the plan.
	Format string
}

// newPlanCommand builds `mlops plan`. capture, when set, receives the
// parsed options instead of running the plan (a test hook).
func newPlanCommand(env Env, capture func(PlanOptions)) *cobra.Command {
	var o PlanOptions
	cmd := &cobra.Command{
		Use:   "plan --stack dev|prod [--set key=value]... [-o table|json|sarif|junit] [--policy-dir DIR]",
		Short: "Evaluate the whole program offline and report what it declares",
		Long: "plan evaluates the platform program in process under Pulumi's mock engine: " +
			"no cloud account, no Pulumi CLI, no network. It reads Pulumi.<stack>.yaml from --dir.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			guardrailFormat(&o)
			if err := o.check(); err != nil {
				return err
			}
			if capture != nil {
				capture(o)
				return nil
			}
			return runPlan(cmd, env, o)
		},
	}
	o.register(cmd.Flags(), "evaluate")
	cmd.Flags().Lookup("output").Usage = "output format: table, json, or the guardrail verdicts alone as sarif or junit (for code scanning and CI test reports)"
	addGuardrailFlags(cmd.Flags(), &o)
	return cmd
}

func runPlan(cmd *cobra.Command, env Env, o PlanOptions) error {
	log := env.logger()
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return err
	}
	if r.File == "" {
		log.Warn("no stack configuration file; using profile defaults", "stack", o.Stack, "looked for", spec.StackConfigFile(o.Stack))
	}
	res, err := r.Evaluate(cmd.Context())
	if err != nil {
		return err
	}
	out := planOutput{Document: res.Document(), Cost: cost.PlanEstimate(log, res.Graph, res.Spec.Region, env.Now())}
	if out.Guardrails, err = evaluateGuardrails(cmd.Context(), env, o, out.Document); err != nil {
		return err
	}
	if o.Format != "" {
		return writeGuardrailFormat(env.Out, o.Format, out.Guardrails)
	}
	if err := output.Write(env.Out, o.Output, out, func() []output.Section { return planSections(out, res.Graph) }); err != nil {
		return err
	}
	return guardrailVerdict(out.Guardrails)
}

// planOutput is the JSON `mlops plan` prints: the plan document, plus the
// sections other packages compute from it.
type planOutput struct {
	plan.Document
	Cost       *cost.Estimate `json:"cost"`
	Guardrails *policy.Report `json:"guardrails"`
}
