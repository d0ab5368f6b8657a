package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/criticalpath"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/plan"
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
	Estimate     *cost.Estimate         `json:"estimate"`
	Comparison   []cost.Comparison      `json:"documentComparison"`
	Compare      *cost.Estimate         `json:"compare,omitempty"`
	Baseline     *cost.GuardrailVerdict `json:"baselineGuardrails,omitempty"`
	Savings      []cost.Saving          `json:"savings,omitempty"`
	Combined     *cost.Combined         `json:"combined,omitempty"`
	Purchases    []cost.Purchase        `json:"purchases,omitempty"`
	RightSizing  *cost.RightSizing      `json:"rightSizing,omitempty"`
	Bursts       string                 `json:"bursts,omitempty"`
	Outcome      *cost.Outcome          `json:"outcome,omitempty"`
	CriticalPath []*criticalpath.Result `json:"deployTime,omitempty"`
}

// priced is one stack evaluated once and priced.
type priced struct {
	src      stack.Source
	variant  *cost.Variant
	estimate *cost.Estimate
	cat      *cost.Catalogue
	usage    *cost.Usage
}

// price evaluates the named stack with the options' overrides and prices
// it with its region's catalogue and its usage, both merged with the
// options' files.
func price(ctx context.Context, o CostOptions, name string, now time.Time) (*priced, error) {
	src := o.source(name, now)
	v, err := stackVariants{src}.Evaluate(ctx, nil)
	if err != nil {
		return nil, err
	}
	cat, err := cost.LoadCatalogue(v.Spec.Region, o.Prices)
	if err != nil {
		return nil, err
	}
	u, err := cost.LoadUsage(name, o.Usage)
	if err != nil {
		return nil, err
	}
	e, err := cost.Compute(v.Graph, cat, u, now)
	if err != nil {
		return nil, err
	}
	return &priced{src: src, variant: v, estimate: e, cat: cat, usage: u}, nil
}

func runCost(ctx context.Context, env Env, o CostOptions) error {
	now := env.Now()
	main, err := price(ctx, o, o.Stack, now)
	if err != nil {
		return err
	}
	stacks := []*priced{main}
	rep := costReport{Estimate: main.estimate, Comparison: cost.Compare(main.estimate)}
	if o.Compare != "" {
		other, err := price(ctx, o, o.Compare, now)
		if err != nil {
			return err
		}
		rep.Compare = other.estimate
		stacks = append(stacks, other)
	}
	if o.Optimize {
		if err := optimize(ctx, env.logger(), main, now, &rep); err != nil {
			return err
		}
	}
	if o.CriticalPath {
		for _, p := range stacks {
			r, err := criticalpath.Estimate(p.variant.Graph)
			if err != nil {
				return fmt.Errorf("deploy time of %s: %w", p.src.Stack, err)
			}
			rep.CriticalPath = append(rep.CriticalPath, r)
		}
	}
	if err := output.Write(env.Out, o.Output, rep, func() []output.Section { return costSections(o, rep) }); err != nil {
		return err
	}
	var errs []error
	for _, p := range stacks {
		errs = append(errs, p.estimate.Err())
	}
	return errors.Join(errs...)
}

// optimize evaluates the default savings of the main stack and the
// right-sizing of its general group, each a re-evaluation of the stack with
// the change's overrides, then the green ones combined, then the
// commitments priced on the combined variant.
func optimize(ctx context.Context, log *slog.Logger, p *priced, now time.Time, rep *costReport) error {
	changes := cost.DefaultChanges()
	rs, err := cost.RightSize(p.variant.Graph, p.cat, p.usage)
	if err != nil {
		return err
	}
	rep.RightSizing = rs
	if c := rs.Change(); c != nil && !cost.HasSets(changes, c.Sets) {
		changes = append(changes, *c)
	}
	log.Info("evaluating savings: each change re-resolves and re-evaluates the stack", "changes", len(changes))
	opt := &cost.Optimizer{Stack: stackVariants{p.src}, Catalogue: p.cat, Usage: p.usage, Now: now, Checker: guardrailChecker(now)}
	if rep.Baseline, err = opt.CheckBaseline(ctx, p.variant); err != nil {
		return err
	}
	if rep.Savings, err = opt.Evaluate(ctx, p.estimate, changes); err != nil {
		return err
	}
	if rep.Combined, err = opt.Combine(ctx, p.estimate, changes, rep.Savings); err != nil {
		return err
	}
	priceOn := p.estimate
	if rep.Combined != nil && rep.Combined.Estimate() != nil {
		priceOn = rep.Combined.Estimate()
	}
	rep.Purchases = cost.Purchases(priceOn, p.cat)
	out := cost.Summarize(p.estimate, rep.Combined, cost.BestPurchases(rep.Purchases))
	rep.Outcome = &out
	typ := rs.Choice
	if typ == "" {
		typ = rs.Current
	}
	rep.Bursts = cost.Bursts(p.cat, p.usage, typ, rs.Nodes, p.variant.Spec.NodeGroups.General.MaxSize)
	return nil
}

// stackVariants evaluates a stack's variants through the stack runner.
type stackVariants struct{ src stack.Source }

// Evaluate re-resolves the stack with sets appended and evaluates it.
func (s stackVariants) Evaluate(ctx context.Context, sets []string) (*cost.Variant, error) {
	res, err := s.src.With(sets...).Evaluate(ctx)
	if err != nil {
		return nil, err
	}
	return &cost.Variant{Spec: res.Spec, Warnings: res.Warnings, Graph: res.Graph}, nil
}

// planCost prices the plan's graph with the built-in catalogue and usage;
// a region without a catalogue leaves the plan's cost empty, with a log.
func planCost(log *slog.Logger, g *plan.Graph, region string, now time.Time) *cost.Estimate {
	cat, err := cost.LoadCatalogue(region, "")
	if err == nil {
		var u *cost.Usage
		if u, err = cost.LoadUsage(g.Stack, ""); err == nil {
			var e *cost.Estimate
			if e, err = cost.Compute(g, cat, u, now); err == nil {
				return e
			}
		}
	}
	log.Warn("plan carries no cost", "error", err)
	return nil
}
