package cli

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/savedplan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// checkedStack is the stack as the guardrails evaluated it offline.
type checkedStack struct {
	res *stack.Result
	rep *policy.Report
}

// previewSaving previews layer l and has the engine save its update plan
// next to --save-plan, against the layer's state read first (a state that
// moves after this read refuses the plan; one read after the preview
// could hide a move).
func (s *session) previewSaving(ctx context.Context, l layer.Layer) (deploy.Summary, error) {
	base, err := s.d.State(ctx, l)
	if err != nil {
		return deploy.Summary{}, err
	}
	path := savedplan.PlanFile(s.o.SavePlan, string(l))
	sum, err := s.d.PreviewPlan(ctx, l, path)
	if err != nil {
		return sum, err
	}
	entry, err := savedplan.NewLayer(s.d.StackName(l), sum, path, savedplan.State(base))
	if err != nil {
		return sum, err
	}
	s.planned = append(s.planned, entry)
	return sum, nil
}

// identity is the program's and the effective configuration's hashes.
func (s *session) identity() (program, config string, err error) {
	if program, err = savedplan.ProgramHash(); err != nil {
		return "", "", err
	}
	config, err = savedplan.HashJSON(s.r.Spec)
	return program, config, err
}

// writeSavedPlan writes the summary of the layers previewSaving saved.
func (s *session) writeSavedPlan(ctx context.Context) error {
	program, config, err := s.identity()
	if err != nil {
		return err
	}
	cost, err := s.planCost(ctx)
	if err != nil {
		return err
	}
	sum := &savedplan.Summary{Stack: s.r.Stack, Created: s.env.Now().UTC(), Program: program, Config: config,
		Layers: s.planned, Guardrails: guardrailCounts(s.checked.rep), Cost: cost}
	if err := savedplan.Write(s.o.SavePlan, sum); err != nil {
		return err
	}
	fmt.Fprintf(s.env.Err, "plan saved to %s (engine plans: %s); apply it with: mlops up --stack %s --plan %s\n",
		s.o.SavePlan, planFiles(sum), s.o.Stack, s.o.SavePlan)
	return nil
}

func planFiles(sum *savedplan.Summary) string {
	out := ""
	for i, l := range sum.Layers {
		if i > 0 {
			out += ", "
		}
		out += l.Plan
	}
	return out
}

// guardrailCounts count the verdicts of rep.
func guardrailCounts(rep *policy.Report) savedplan.Guardrails {
	var g savedplan.Guardrails
	if rep == nil {
		return g
	}
	for _, c := range rep.Controls {
		g.Passed += c.Passed
		g.Failed += c.Failed
		g.Pending += c.Pending
		g.Excepted += c.Excepted
	}
	g.FailedControls = rep.FailedControls()
	sort.Strings(g.FailedControls)
	return g
}

// planCost is the monthly estimate of the evaluated stack, if priced,
// and its change from what the layers' states hold (priced the same way;
// a stack never deployed costs nothing).
func (s *session) planCost(ctx context.Context) (*savedplan.Cost, error) {
	if s.checked.res == nil {
		return nil, nil
	}
	log := s.env.logger()
	e := cost.PlanEstimate(log, s.checked.res.Graph, s.r.Spec.Region, s.env.Now())
	if e == nil {
		return nil, nil
	}
	c := &savedplan.Cost{Currency: e.Currency, MonthlyLow: e.Low, MonthlyHigh: e.High}
	var deployed []plan.Resource
	for _, l := range layer.All {
		rs, err := s.d.StateResources(ctx, l)
		if err != nil {
			return nil, err
		}
		deployed = append(deployed, rs...)
	}
	if len(deployed) == 0 {
		delta := e.Low
		c.Delta, c.Base = &delta, "nothing deployed"
		return c, nil
	}
	base := cost.PlanEstimate(log, plan.NewGraph(s.r.Stack, spec.ProjectName, deployed), s.r.Spec.Region, s.env.Now())
	if base == nil {
		c.Base = "no delta: what is deployed could not be priced"
		return c, nil
	}
	delta := e.Low - base.Low
	c.Delta = &delta
	c.Base = fmt.Sprintf("what is deployed (%.0f–%.0f %s/month, %d resources)", base.Low, base.High, base.Currency, len(deployed))
	return c, nil
}

// runUpPlan applies a saved plan: checked against the stack, program,
// configuration, states and the clock, gated and approved like up (the
// prompt shows the saved summary), then each layer's engine plan.
func runUpPlan(ctx context.Context, s *session) error {
	sum, err := savedplan.Read(s.o.Plan)
	if err != nil {
		return err
	}
	if s.o.Layer != "" && s.o.Layer != "all" && (len(sum.Layers) != 1 || sum.Layers[0].Layer != s.o.Layer) {
		return UsageError{fmt.Errorf("--layer %s: the saved plan %s holds layers %s; apply it whole (without --layer)", s.o.Layer, s.o.Plan, planFiles(sum))}
	}
	cur := savedplan.Current{Stack: s.r.Stack, Now: s.env.Now(), MaxAge: s.o.PlanMaxAge,
		States: map[string]savedplan.State{}, PlanHashes: map[string]string{}}
	if cur.Program, cur.Config, err = s.identity(); err != nil {
		return err
	}
	for _, l := range sum.Layers {
		st, err := s.d.State(ctx, layer.Layer(l.Layer))
		if err != nil {
			return err
		}
		cur.States[l.Layer] = savedplan.State(st)
		if h, err := savedplan.HashFile(l.PlanPath(s.o.Plan)); err == nil {
			cur.PlanHashes[l.Layer] = h
		}
	}
	if err := sum.Check(s.o.Plan, cur); err != nil {
		return err
	}
	for _, line := range sum.Lines() {
		fmt.Fprintln(s.env.Err, line)
	}
	for _, l := range sum.Layers {
		if err := s.applyPlanned(ctx, l); err != nil {
			return err
		}
	}
	return writeOutputs(ctx, s)
}

// applyPlanned applies one layer of a saved plan.
func (s *session) applyPlanned(ctx context.Context, l savedplan.Layer) error {
	prev := l.Preview
	if err := writeSummaries(s.env.Err, "table", s.d, s.r.Spec.IsProd(), []deploy.Summary{prev}, false, s.o.Diff); err != nil {
		return err
	}
	if prev.Empty() {
		return nil
	}
	ll := layer.Layer(l.Layer)
	if ll == layer.Cluster {
		if err := s.reachCluster(ctx); err != nil {
			return err
		}
	}
	if err := deploy.Gate(s.r.Spec.IsProd(), prev, s.o.AllowReplace); err != nil {
		return err
	}
	if err := s.approval().Ask(ctx, fmt.Sprintf("Apply the saved plan to %s: %s?", l.Stack, prev.Line())); err != nil {
		return err
	}
	p := s.progress(prev.Steps)
	start := s.env.Now()
	if _, err := s.d.UpPlan(ctx, ll, p, l.PlanPath(s.o.Plan)); err != nil {
		s.explainFailure("up", err)
		return err
	}
	fmt.Fprintf(s.env.Err, "%s: %d of %d steps done as planned in %s\n", l.Stack, p.Done(), p.Total(), s.env.Now().Sub(start).Round(time.Second))
	return nil
}
