package cost

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/criticalpath"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// Priced is one stack evaluated once and priced.
type Priced struct {
	// Stack is the stack's name.
	Stack     string
	Evaluator Evaluator
	Variant   *Variant
	Estimate  *Estimate
	Catalogue *Catalogue
	Usage     *Usage
}

// PriceStack evaluates the named stack through ev and prices it with its
// region's catalogue and its usage, merged with the prices and usage
// files when they are not empty.
func PriceStack(ctx context.Context, ev Evaluator, stack, prices, usage string, now time.Time) (*Priced, error) {
	v, err := ev.Evaluate(ctx, nil)
	if err != nil {
		return nil, err
	}
	cat, err := LoadCatalogue(v.Spec.Region, prices)
	if err != nil {
		return nil, err
	}
	u, err := LoadUsage(stack, usage)
	if err != nil {
		return nil, err
	}
	e, err := Compute(v.Graph, cat, u, now)
	if err != nil {
		return nil, err
	}
	return &Priced{Stack: stack, Evaluator: ev, Variant: v, Estimate: e, Catalogue: cat, Usage: u}, nil
}

// Optimization is what Optimize finds for one priced stack.
type Optimization struct {
	Baseline    *GuardrailVerdict `json:"baselineGuardrails,omitempty"`
	Savings     []Saving          `json:"savings,omitempty"`
	Combined    *Combined         `json:"combined,omitempty"`
	Purchases   []Purchase        `json:"purchases,omitempty"`
	RightSizing *RightSizing      `json:"rightSizing,omitempty"`
	Bursts      string            `json:"bursts,omitempty"`
	Outcome     *Outcome          `json:"outcome,omitempty"`
}

// Optimize evaluates the default savings of the stack and the
// right-sizing of its general group, each a re-evaluation of the stack with
// the change's overrides, then the green ones combined, then the
// commitments priced on the combined variant.
func Optimize(ctx context.Context, log *slog.Logger, p *Priced, checker GuardrailChecker, now time.Time) (Optimization, error) {
	var o Optimization
	changes := DefaultChanges()
	rs, err := RightSize(p.Variant.Graph, p.Catalogue, p.Usage)
	if err != nil {
		return o, err
	}
	o.RightSizing = rs
	if c := rs.Change(); c != nil && !HasSets(changes, c.Sets) {
		changes = append(changes, *c)
	}
	log.Info("evaluating savings: each change re-resolves and re-evaluates the stack", "changes", len(changes))
	opt := &Optimizer{Stack: p.Evaluator, Catalogue: p.Catalogue, Usage: p.Usage, Now: now, Checker: checker}
	if o.Baseline, err = opt.CheckBaseline(ctx, p.Variant); err != nil {
		return o, err
	}
	if o.Savings, err = opt.Evaluate(ctx, p.Estimate, changes); err != nil {
		return o, err
	}
	if o.Combined, err = opt.Combine(ctx, p.Estimate, changes, o.Savings); err != nil {
		return o, err
	}
	priceOn := p.Estimate
	if o.Combined != nil && o.Combined.Estimate() != nil {
		priceOn = o.Combined.Estimate()
	}
	o.Purchases = Purchases(priceOn, p.Catalogue)
	out := Summarize(p.Estimate, o.Combined, BestPurchases(o.Purchases))
	o.Outcome = &out
	typ := rs.Choice
	if typ == "" {
		typ = rs.Current
	}
	o.Bursts = Bursts(p.Catalogue, p.Usage, typ, rs.Nodes, p.Variant.Spec.NodeGroups.General.MaxSize)
	return o, nil
}

// DeployTimes estimates each priced stack's first-deploy time and
// critical path.
func DeployTimes(stacks []*Priced) ([]*criticalpath.Result, error) {
	var out []*criticalpath.Result
	for _, p := range stacks {
		r, err := criticalpath.Estimate(p.Variant.Graph)
		if err != nil {
			return nil, fmt.Errorf("deploy time of %s: %w", p.Stack, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// PlanEstimate prices a plan's graph with the built-in catalogue and
// usage; a region without a catalogue leaves the plan's cost empty, with
// a log.
func PlanEstimate(log *slog.Logger, g *plan.Graph, region string, now time.Time) *Estimate {
	cat, err := LoadCatalogue(region, "")
	if err == nil {
		var u *Usage
		if u, err = LoadUsage(g.Stack, ""); err == nil {
			var e *Estimate
			if e, err = Compute(g, cat, u, now); err == nil {
				return e
			}
		}
	}
	log.Warn("plan carries no cost", "error", err)
	return nil
}
