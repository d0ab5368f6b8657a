package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deploytime"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// priceVariant prices an evaluated stack with its region's catalogue and
// the stack's usage, and returns the optimizer set up for it.
func priceVariant(src cost.StackSource, v *cost.Variant, o CostOptions, now time.Time) (*cost.Estimate, *cost.Optimizer, error) {
	cat, err := cost.LoadCatalogue(v.Spec.Region, o.Prices)
	if err != nil {
		return nil, nil, err
	}
	u, err := cost.LoadUsage(src.Stack, o.Usage)
	if err != nil {
		return nil, nil, err
	}
	e, err := cost.Compute(v.Graph, cat, u, now)
	if err != nil {
		return nil, nil, err
	}
	return e, &cost.Optimizer{Source: src, Catalogue: cat, Usage: u, Now: now}, nil
}

// criticalPaths schedules the main stack and, when compared, the other.
func criticalPaths(v *cost.Variant, other *cost.Estimate, src cost.StackSource, ctx context.Context) ([]*deploytime.Result, error) {
	r, err := deploytime.Estimate(v.Graph)
	if err != nil {
		return nil, fmt.Errorf("deploy time of %s: %w", src.Stack, err)
	}
	out := []*deploytime.Result{r}
	if other == nil {
		return out, nil
	}
	ov, err := cost.StackSource{Dir: src.Dir, Stack: other.Stack, Now: src.Now}.Evaluate(ctx, nil, cost.Extra{})
	if err != nil {
		return nil, err
	}
	r2, err := deploytime.Estimate(ov.Graph)
	if err != nil {
		return nil, fmt.Errorf("deploy time of %s: %w", other.Stack, err)
	}
	return append(out, r2), nil
}

func writeCost(w io.Writer, o CostOptions, rep costReport) error {
	if o.Output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if err := cost.WriteTable(w, rep.Estimate); err != nil {
		return err
	}
	if o.Lines {
		fmt.Fprintln(w)
		if err := cost.WriteLines(w, rep.Estimate); err != nil {
			return err
		}
	}
	if rep.Compare != nil {
		fmt.Fprintln(w)
		if err := cost.WriteSideBySide(w, rep.Estimate, rep.Compare); err != nil {
			return err
		}
	}
	if o.Optimize {
		fmt.Fprintln(w)
		if err := cost.WriteSavings(w, rep.Estimate, rep.Baseline, rep.Savings); err != nil {
			return err
		}
	}
	for _, r := range rep.CriticalPath {
		fmt.Fprintln(w)
		if err := deploytime.WriteCriticalPath(w, r); err != nil {
			return err
		}
	}
	return nil
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
