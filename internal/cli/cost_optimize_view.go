package cli

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// optimizeSections lays out what --optimize adds after the single
// changes: the combined variant with its interactions, the purchases, the
// right-sizing table, bursts, and the outcome against the goal.
func optimizeSections(rep costReport) []output.Section {
	var out []output.Section
	if c := rep.Combined; c != nil {
		t := output.Section{Header: []string{"COMBINED", "SAVED/MONTH", "NEW MONTHLY", "SUM OF SINGLES", "INTERACTION", "GUARDRAILS"}}
		if c.Error != "" {
			t.Rows = append(t.Rows, []string{c.Name, "-", "-", cost.Money(c.SumLow, c.SumHigh), "-", "not evaluated: " + c.Error})
		} else {
			il, ih := c.Interaction()
			t.Rows = append(t.Rows, []string{c.Name, cost.Money(c.SavedLow, c.SavedHigh), cost.Money(c.NewLow, c.NewHigh),
				cost.Money(c.SumLow, c.SumHigh), signed(il, ih), verdictText(c.Guardrails)})
		}
		how := []string{"  applies: " + strings.Join(c.Members, "; "), "  as: " + c.Change}
		for _, l := range c.Left {
			how = append(how, "  left out: "+l)
		}
		out = append(out, t, list("The combined variant:", how))
	}
	if len(rep.Purchases) > 0 {
		t := output.Section{
			Title:  []string{"Purchases (billing commitments, no change to the infrastructure; priced on the combined variant)", ""},
			Header: []string{"PURCHASE", "COVERS/MONTH", "RATE", "SAVED/MONTH", "SOURCE"},
		}
		for _, p := range rep.Purchases {
			rate, saved, src := "-", "-", p.Note
			if p.Rate != nil && p.Offered {
				rate = fmt.Sprintf("%.0f%% off (%s confidence)", p.Rate.Fraction*100, p.Rate.Confidence)
				saved, src = cost.Money(p.Saved, p.Saved), p.Rate.Source+", "+p.Rate.Date
			}
			t.Rows = append(t.Rows, []string{p.Name, cost.Money(p.Covered, p.Covered), rate, saved, src})
		}
		out = append(out, t)
	}
	if rs := rep.RightSizing; rs != nil {
		out = append(out, rightSizingSections(rs)...)
	}
	if rep.Bursts != "" {
		out = append(out, list("Bursts above the general group's base:", []string{"  " + rep.Bursts}))
	}
	if o := rep.Outcome; o != nil {
		verdict := "goal met"
		if !o.Met {
			verdict = "goal NOT met"
		}
		green := "every mandatory guardrail green"
		if !o.Green {
			green = "guardrails RED"
		}
		out = append(out, list("Outcome (combined variant + the best Savings Plan and RDS reservation):", []string{fmt.Sprintf(
			"  %s/month -> %s/month: %.0f-%.0f%% off, %s; goal %.0f%% off: %s",
			cost.Money(o.BaseLow, o.BaseHigh), cost.Money(o.NewLow, o.NewHigh), o.OffHigh*100, o.OffLow*100, green, cost.GoalFraction*100, verdict)}))
	}
	return out
}

// rightSizingSections: the platform's requests per workload, then each
// candidate type's allocatable against the requests per node.
func rightSizingSections(rs *cost.RightSizing) []output.Section {
	pods := output.Section{
		Title:  []string{fmt.Sprintf("Right-sizing the general group (%dx %s): requests of every platform pod on it", rs.Nodes, rs.Current), ""},
		Header: []string{"OWNER", "POD", "REPLICAS", "CPU", "MEMORY", "SOURCE"},
	}
	for _, p := range rs.Pods {
		n := fmt.Sprint(p.Replicas)
		if p.DaemonSet {
			n = "per node"
		}
		pods.Rows = append(pods.Rows, []string{p.Owner, p.Name, n, fmt.Sprintf("%.3g", p.CPU), gib(p.MemoryGiB), p.Source})
	}
	depCPU, depMem, dsCPU, dsMem, depPods, dsPods := rs.Totals()
	sum := []string{
		fmt.Sprintf("  Deployments: %d pods, %.2f CPU, %s in total; DaemonSets: %d pods, %.2f CPU, %s per node", depPods, depCPU, gib(depMem), dsPods, dsCPU, gib(dsMem)),
		fmt.Sprintf("  user headroom: %.2f CPU, %s across the group (%s)", rs.Headroom.CPU, gib(rs.Headroom.MemoryGiB), rs.Headroom.Basis),
		"  fits: requests + headroom within allocatable on every node, the platform alone on one node fewer (a zone lost), max pods, largest pod on one node",
	}
	fits := output.Section{Header: []string{"TYPE", "NODES", "ALLOCATABLE/NODE", "REQUESTED/NODE", "MAX PODS", "INSTANCES/MONTH", "FITS"}}
	for _, f := range rs.Fits {
		ok := "yes"
		if !f.Fits {
			ok = "no: " + f.Why
		}
		if f.Type == rs.Choice {
			ok += " (chosen: cheapest that fits)"
		}
		fits.Rows = append(fits.Rows, []string{f.Type, fmt.Sprint(f.Nodes), fmt.Sprintf("%.2f CPU, %s", f.AllocCPU, gib(f.AllocMemGiB)),
			fmt.Sprintf("%.2f CPU, %s", f.ReqCPU, gib(f.ReqMemGiB)), fmt.Sprint(f.MaxPods), cost.Money(f.Monthly, f.Monthly), ok})
	}
	return []output.Section{pods, list("Totals:", sum), fits}
}

func gib(v float64) string { return fmt.Sprintf("%.2f GiB", v) }
