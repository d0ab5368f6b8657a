package cli

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/criticalpath"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// CostOptions are the parsed flags of `mlops cost`.
type CostOptions struct {
	StackOptions
	Prices       string
	Usage        string
	Compare      string
	Optimize     bool
	CriticalPath bool
	Lines        bool
	TimeToGPU    bool
}

// newCostCommand builds `mlops cost`. capture, when set, receives the
// parsed options instead of running (a test hook).
func newCostCommand(env Env, capture func(CostOptions)) *cobra.Command {
	var o CostOptions
	cmd := &cobra.Command{
		Use:   "cost --stack dev|prod [--compare STACK] [--optimize] [--critical-path] [--time-to-gpu] [--prices FILE] [--usage FILE]",
		Short: "Estimate the monthly AWS cost of a stack from its evaluated graph",
		Long: "cost evaluates the program offline like plan, prices every resource from the region's price " +
			"catalogue and the usage assumptions, and sets the result beside the requirements document's Cost Estimate. " +
			"--set, --prices and --usage apply to every stack priced, the --compare stack included.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			if capture != nil {
				capture(o)
				return nil
			}
			if o.TimeToGPU {
				return runTimeToGPU(env, o)
			}
			return runCost(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	o.register(f, "price")
	f.StringVar(&o.Prices, "prices", "", "YAML prices file merged over each region's catalogue")
	f.StringVar(&o.Usage, "usage", "", "YAML usage file merged over each stack's built-in usage assumptions")
	f.StringVar(&o.Compare, "compare", "", "a second stack to show side by side, evaluated with the same --set, --prices and --usage")
	f.BoolVar(&o.Optimize, "optimize", false, "evaluate savings and their guardrail verdicts")
	f.BoolVar(&o.CriticalPath, "critical-path", false, "estimate first-deploy time and print the critical path")
	f.BoolVar(&o.Lines, "lines", false, "also print every cost line with its price keys")
	f.BoolVar(&o.TimeToGPU, "time-to-gpu", false, "print, per GPU family, the time from a pending GPU pod to Running, stage by stage with sources")
	return cmd
}

// costReport is what `mlops cost --output json` prints.
type costReport struct {
	Estimate   *cost.Estimate    `json:"estimate"`
	Comparison []cost.Comparison `json:"documentComparison"`
	Compare    *cost.Estimate    `json:"compare,omitempty"`
	// Optimization's fields are the report's own (each omitted when empty).
	cost.Optimization
	CriticalPath []*criticalpath.Result `json:"deployTime,omitempty"`
}

// price evaluates the named stack with the options' overrides and prices
// it, its region's catalogue and its usage merged with the options' files.
func price(ctx context.Context, o CostOptions, name string, now time.Time) (*cost.Priced, error) {
	return cost.PriceStack(ctx, stackVariants{o.source(name, now)}, name, o.Prices, o.Usage, now)
}

func runCost(ctx context.Context, env Env, o CostOptions) error {
	now := env.Now()
	main, err := price(ctx, o, o.Stack, now)
	if err != nil {
		return err
	}
	stacks := []*cost.Priced{main}
	rep := costReport{Estimate: main.Estimate, Comparison: cost.Compare(main.Estimate)}
	if o.Compare != "" {
		other, err := price(ctx, o, o.Compare, now)
		if err != nil {
			return err
		}
		rep.Compare = other.Estimate
		stacks = append(stacks, other)
	}
	if o.Optimize {
		if rep.Optimization, err = cost.Optimize(ctx, env.logger(), main, guardrailChecker(now), now); err != nil {
			return err
		}
	}
	if o.CriticalPath {
		if rep.CriticalPath, err = cost.DeployTimes(stacks); err != nil {
			return err
		}
	}
	if err := output.Write(env.Out, o.Output, rep, func() []output.Section { return costSections(o, rep) }); err != nil {
		return err
	}
	var errs []error
	for _, p := range stacks {
		errs = append(errs, p.Estimate.Err())
	}
	return errors.Join(errs...)
}

// stackVariants evaluates a stack's variants through the stack runner:
// the cost.Evaluator the CLI wires into the pipeline.
type stackVariants struct{ src stack.Source }

// Evaluate re-resolves the stack with sets appended and evaluates it.
func (s stackVariants) Evaluate(ctx context.Context, sets []string) (*cost.Variant, error) {
	res, err := s.src.With(sets...).Evaluate(ctx)
	if err != nil {
		return nil, err
	}
	return &cost.Variant{Spec: res.Spec, Warnings: res.Warnings, Graph: res.Graph}, nil
}
