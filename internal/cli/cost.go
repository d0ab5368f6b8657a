package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deploytime"
)

// CostOptions are the parsed flags of `mlops cost`.
type CostOptions struct {
	Stack        string
	Sets         []string
	Dir          string
	Prices       string
	Usage        string
	Compare      string
	Optimize     bool
	CriticalPath bool
	Lines        bool
	Output       string
}

// newCostCommand builds `mlops cost`. capture, when set, receives the
// parsed options instead of running (a test hook).
func newCostCommand(env Env, capture func(CostOptions)) *cobra.Command {
	var o CostOptions
	cmd := &cobra.Command{
		Use:   "cost --stack dev|prod [--compare STACK] [--optimize] [--critical-path] [--prices FILE] [--usage FILE]",
		Short: "Estimate the monthly AWS cost of a stack from its evaluated graph",
		Long: "cost evaluates the program offline like plan, prices every resource from the region's price " +
			"catalogue and the usage assumptions, and sets the result beside the requirements document's Cost Estimate.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkStackAndOutput(o.Stack, o.Output); err != nil {
				return err
			}
			if capture != nil {
				capture(o)
				return nil
			}
			return runCost(cmd, env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Stack, "stack", "s", "", "stack to price")
	f.StringArrayVar(&o.Sets, "set", nil, "override a config key, as in plan (repeatable)")
	f.StringVar(&o.Dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	f.StringVar(&o.Prices, "prices", "", "YAML prices file merged over the region's catalogue")
	f.StringVar(&o.Usage, "usage", "", "YAML usage file merged over the built-in usage assumptions")
	f.StringVar(&o.Compare, "compare", "", "a second stack to show side by side")
	f.BoolVar(&o.Optimize, "optimize", false, "evaluate savings and their guardrail verdicts")
	f.BoolVar(&o.CriticalPath, "critical-path", false, "estimate first-deploy time and print the critical path")
	f.BoolVar(&o.Lines, "lines", false, "also print every cost line with its price keys")
	f.StringVarP(&o.Output, "output", "o", "table", "output format: table or json")
	return cmd
}

// costReport is what `mlops cost --output json` prints.
type costReport struct {
	Estimate     *cost.Estimate         `json:"estimate"`
	Comparison   []cost.Comparison      `json:"documentComparison"`
	Compare      *cost.Estimate         `json:"compare,omitempty"`
	Baseline     *cost.GuardrailVerdict `json:"baselineGuardrails,omitempty"`
	Savings      []cost.Saving          `json:"savings,omitempty"`
	CriticalPath []*deploytime.Result   `json:"deployTime,omitempty"`
}

func runCost(cmd *cobra.Command, env Env, o CostOptions) error {
	ctx := cmd.Context()
	now := env.Now()
	src := cost.StackSource{Dir: o.Dir, Stack: o.Stack, Sets: o.Sets, Now: now}
	v, err := src.Evaluate(ctx, nil, cost.Extra{})
	if err != nil {
		return err
	}
	e, opt, err := priceVariant(src, v, o, now)
	if err != nil {
		return err
	}
	rep := costReport{Estimate: e, Comparison: cost.Compare(e)}
	if o.Compare != "" {
		other := cost.StackSource{Dir: o.Dir, Stack: o.Compare, Now: now}
		ov, err := other.Evaluate(ctx, nil, cost.Extra{})
		if err != nil {
			return err
		}
		if rep.Compare, _, err = priceVariant(other, ov, CostOptions{Prices: o.Prices}, now); err != nil {
			return err
		}
	}
	if o.Optimize {
		logger(env.Err).Info("evaluating savings: each change re-resolves and re-evaluates the stack", "changes", len(cost.DefaultChanges()))
		opt.Checker = guardrailChecker(now)
		if opt.Checker == nil {
			logger(env.Err).Warn("internal/policy not wired: guardrails not checked")
		}
		if rep.Baseline, err = opt.CheckBaseline(ctx, v); err != nil {
			return err
		}
		if rep.Savings, err = opt.Evaluate(ctx, e, cost.DefaultChanges()); err != nil {
			return err
		}
	}
	if o.CriticalPath {
		if rep.CriticalPath, err = criticalPaths(v, rep.Compare, src, ctx); err != nil {
			return err
		}
	}
	if err := writeCost(env.Out, o, rep); err != nil {
		return err
	}
	return e.Err()
}
