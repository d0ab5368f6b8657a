package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// PlanOptions are the parsed flags of `mlops plan`.
type PlanOptions struct {
	Stack  string
	Sets   []string
	Output string
	Dir    string
	// PolicyDir holds extra user Rego policies (--policy-dir).
	PolicyDir string
	// Format exports the guardrail verdicts as sarif or junit (--format).
	Format string
}

// newPlanCommand builds `mlops plan`. capture, when set, receives the
// parsed options instead of running the plan (a test hook).
func newPlanCommand(env Env, capture func(PlanOptions)) *cobra.Command {
	var o PlanOptions
	cmd := &cobra.Command{
		Use:   "plan --stack dev|prod [--set key=value]... [--output table|json] [--policy-dir DIR] [--format sarif|junit]",
		Short: "Evaluate the whole program offline and report what it declares",
		Long: "plan evaluates the platform program in process under Pulumi's mock engine: " +
			"no cloud account, no Pulumi CLI, no network. It reads Pulumi.<stack>.yaml from --dir.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkStackAndOutput(o.Stack, o.Output); err != nil {
				return err
			}
			if err := validateGuardrailFlags(o); err != nil {
				return err
			}
			if capture != nil {
				capture(o)
				return nil
			}
			return runPlan(cmd, env, o)
		},
	}
	cmd.Flags().StringVarP(&o.Stack, "stack", "s", "", "stack to evaluate (dev, prod, or a stack whose config sets profile)")
	cmd.Flags().StringArrayVar(&o.Sets, "set", nil, "override a config key, e.g. --set nodeGroups.gpu.maxSize=2 (repeatable)")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "table", "output format: table or json")
	cmd.Flags().StringVar(&o.Dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	addGuardrailFlags(cmd.Flags(), &o)
	return cmd
}

func runPlan(cmd *cobra.Command, env Env, o PlanOptions) error {
	log := logger(env.Err)
	s, warns, file, err := spec.Load(o.Dir, o.Stack, o.Sets, env.Now())
	if err != nil {
		return err
	}
	if file == "" {
		log.Info("no stack configuration file; using profile defaults", "stack", o.Stack, "looked for", spec.StackConfigFile(o.Stack))
	}
	g, err := plan.Evaluate(cmd.Context(), o.Stack, s)
	if err != nil {
		return err
	}
	out := planOutput{Document: plan.NewDocument(g, s, warns), Cost: planCost(log, g, s.Region, env.Now())}
	if out.Guardrails, err = evaluateGuardrails(cmd.Context(), env, o, out.Document); err != nil {
		return err
	}
	if o.Format != "" {
		return writeGuardrailFormat(env.Out, o.Format, out.Guardrails)
	}
	if o.Output == "json" {
		enc := json.NewEncoder(env.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return guardrailVerdict(out.Guardrails)
	}
	if err := plan.WriteTable(env.Out, out.Document, g); err != nil {
		return err
	}
	return writeGuardrailTable(env.Out, out.Guardrails)
}

// planOutput is the JSON `mlops plan` prints: the plan document, plus the
// sections other packages compute from it.
type planOutput struct {
	plan.Document
	Cost       *cost.Estimate `json:"cost"`
	Guardrails *policy.Report `json:"guardrails"`
}
