package cost

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Change is one candidate saving: spec overrides (--set syntax) the stack
// is re-evaluated with, and the usage it shifts.
type Change struct {
	Name   string
	Sets   []string
	Usage  func(Usage) Usage
	Caveat string
	// Drops names a guarantee of the requirements document the change gives
	// up even when no guardrail checks it; such a change is priced but kept
	// out of the combined variant, which holds the guarantees equal.
	Drops string
}

// Saving is a change evaluated: its estimate, what it saves against the
// baseline, and the guardrails' verdict on the changed stack.
type Saving struct {
	Name       string            `json:"name"`
	Change     string            `json:"change"`
	SavedLow   float64           `json:"savedLow"`
	SavedHigh  float64           `json:"savedHigh"`
	NewLow     float64           `json:"monthlyLow"`
	NewHigh    float64           `json:"monthlyHigh"`
	Guardrails *GuardrailVerdict `json:"guardrails"`
	Caveats    []string          `json:"caveats,omitempty"`
	Drops      string            `json:"drops,omitempty"`
	Error      string            `json:"error,omitempty"`
	// estimate is the changed stack's estimate, which purchases are priced on.
	estimate *Estimate
}

// Optimizer evaluates changes to one stack against its baseline.
type Optimizer struct {
	// Stack re-evaluates the stack with each change's overrides.
	Stack     Evaluator
	Catalogue *Catalogue
	Usage     *Usage
	Now       time.Time
	// Checker judges each changed stack; nil reports guardrails unchecked.
	Checker GuardrailChecker
}

// DefaultChanges are the savings `mlops cost --optimize` tries.
func DefaultChanges() []Change {
	return append([]Change{
		{Name: "Graviton general nodes (m7g.xlarge)", Sets: []string{"nodeGroups.general.instanceTypes=[m7g.xlarge]"}},
		{Name: "Graviton general nodes (m6g.xlarge)", Sets: []string{"nodeGroups.general.instanceTypes=[m6g.xlarge]"}},
		{Name: "Graviton RDS class (db.t4g.medium)", Sets: []string{"database.instanceClass=db.t4g.medium"}},
		{Name: "Log retention 14 days", Sets: []string{"logRetentionDays=14"}},
		{Name: "Container Insights off (log and metric volume)", Sets: []string{"containerInsights=false"},
			Drops: "Key Differences and Monitoring: Container Insights enabled in prod"},
		{Name: "Single NAT gateway", Sets: []string{"natGatewayPerAz=false"}},
	}, poolChanges()...)
}

// Evaluate evaluates each change against base. A change that fails to
// evaluate is reported with its error, not dropped.
func (o *Optimizer) Evaluate(ctx context.Context, base *Estimate, changes []Change) ([]Saving, error) {
	out := make([]Saving, 0, len(changes))
	for _, c := range changes {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, o.one(ctx, base, c))
	}
	return out, nil
}

func (o *Optimizer) one(ctx context.Context, base *Estimate, c Change) Saving {
	s := Saving{Name: c.Name, Change: describe(c), Drops: c.Drops}
	if c.Caveat != "" {
		s.Caveats = append(s.Caveats, c.Caveat)
	}
	v, err := o.Stack.Evaluate(ctx, c.Sets)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	u := *o.Usage
	if c.Usage != nil {
		u = c.Usage(u)
	}
	e, err := Compute(v.Graph, o.Catalogue, &u, o.Now)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	s.estimate = e
	s.NewLow, s.NewHigh = e.Low, e.High
	s.SavedLow, s.SavedHigh = round2(base.Low-e.Low), round2(base.High-e.High)
	s.Caveats = append(s.Caveats, e.Warnings...)
	s.Caveats = append(s.Caveats, e.Unpriced...)
	if s.Guardrails, err = o.check(ctx, v); err != nil {
		s.Error = err.Error()
	}
	return s
}

func (o *Optimizer) check(ctx context.Context, v *Variant) (*GuardrailVerdict, error) {
	if o.Checker == nil {
		return nil, nil
	}
	gv, err := o.Checker.Check(ctx, v)
	if err != nil {
		return nil, fmt.Errorf("checking guardrails of %s: %w", v.Graph.Stack, err)
	}
	return &gv, nil
}

func describe(c Change) string {
	var parts []string
	for _, s := range c.Sets {
		parts = append(parts, "--set "+s)
	}
	return strings.Join(parts, " ")
}

// CheckBaseline runs the checker over the unchanged, evaluated stack.
func (o *Optimizer) CheckBaseline(ctx context.Context, v *Variant) (*GuardrailVerdict, error) {
	return o.check(ctx, v)
}
