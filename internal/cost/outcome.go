package cost

import "fmt"

// GoalFraction is the saving the optimizer is asked for: a quarter of the
// monthly estimate, with every mandatory guardrail green.
const GoalFraction = 0.25

// Outcome is the combined variant plus the best purchases, against the
// baseline.
type Outcome struct {
	BaseLow  float64 `json:"baselineLow"`
	BaseHigh float64 `json:"baselineHigh"`
	NewLow   float64 `json:"monthlyLow"`
	NewHigh  float64 `json:"monthlyHigh"`
	// OffLow and OffHigh are the fractions saved of the baseline's low and
	// high figures.
	OffLow  float64 `json:"offLow"`
	OffHigh float64 `json:"offHigh"`
	Green   bool    `json:"green"`
	// Met is true when both fractions reach GoalFraction and the combined
	// variant is green.
	Met bool `json:"met"`
}

// Summarize sets the combined variant (nil: none) and the purchases,
// priced on it, against the baseline.
func Summarize(base *Estimate, c *Combined, purchases []Purchase) Outcome {
	o := Outcome{BaseLow: base.Low, BaseHigh: base.High, NewLow: base.Low, NewHigh: base.High, Green: true}
	if c != nil && c.Error == "" {
		o.NewLow, o.NewHigh = c.NewLow, c.NewHigh
		o.Green = c.Guardrails != nil && c.Guardrails.Green
	}
	for _, p := range purchases {
		o.NewLow -= p.Saved
		o.NewHigh -= p.Saved
	}
	o.NewLow, o.NewHigh = round2(o.NewLow), round2(o.NewHigh)
	if base.Low > 0 && base.High > 0 {
		o.OffLow = 1 - o.NewLow/base.Low
		o.OffHigh = 1 - o.NewHigh/base.High
	}
	o.Met = o.Green && o.OffLow >= GoalFraction && o.OffHigh >= GoalFraction
	return o
}

// Bursts explains spot capacity above the general group's on-demand base:
// what it would save per 100 burst node-hours of typ, and why it is not a
// change the optimizer applies.
func Bursts(cat *Catalogue, u *Usage, typ string, base, maxSize int) string {
	p, ok := cat.Lookup("ec2/" + typ)
	if !ok {
		return fmt.Sprintf("no price ec2/%s to price bursts with", typ)
	}
	d := u.SpotDiscount
	return fmt.Sprintf("on-demand base of %d kept (the document's 3 nodes across 3 AZs); nodes %d-%d are bursts the estimate does not count "+
		"(it prices the always-on nodes only), so spot above the base saves $0 at these usage assumptions and %s per 100 burst node-hours of %s "+
		"(spot %g-%g%% off). It needs a second general group (SPOT, minSize 0) the autoscaler prefers for burst pods; the program declares one "+
		"on-demand group, so this is not applied. HA allows it for stateless burst pods only: the platform's disruption budgets and 3-zone spread stay on the base",
		base, base+1, maxSize, Money(100*p.USD*d.Low, 100*p.USD*d.High), typ, d.Low*100, d.High*100)
}
