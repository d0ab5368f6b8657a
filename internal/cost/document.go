package cost

import (
	"fmt"
	"sort"
	"strings"
)

// DocumentRow is one row of the requirements document's Cost Estimate
// (seed/aws-prod-environment-README.md), the prod stack's reference.
type DocumentRow struct {
	Group  string
	Config string
	Text   string
	Low    float64
	High   float64
}

// DocumentTable is the document's prod Cost Estimate, row by row.
var DocumentTable = []DocumentRow{
	{GroupEKS, "Managed", "$73", 73, 73},
	{GroupGeneral, "3x m5.xlarge (ON_DEMAND)", "~$360", 360, 360},
	{GroupTraining, "c5.4xlarge (SPOT, scale-to-zero)", "~$50-100", 50, 100},
	{GroupGPU, "g4dn.xlarge (SPOT, scale-to-zero)", "~$50-100", 50, 100},
	{GroupNAT, "3 (one per AZ)", "~$135", 135, 135},
	{GroupRDS, "db.t3.medium, Multi-AZ", "~$100", 100, 100},
	{GroupS3ALB, "Production usage", "~$30-50", 30, 50},
	{GroupCloudWatch, "Logs + Insights", "~$50-100", 50, 100},
}

// DocumentTotal is the document's prod total, "~$850-1000/month".
var DocumentTotal = DocumentRow{Group: "Total", Text: "~$850-1000", Low: 850, High: 1000}

// Tolerance widens the document's "~" figures: ours counts as agreeing when
// it lies within the document's range widened by this fraction each way.
const Tolerance = 0.10

// Comparison sets one group of ours beside the document's row.
type Comparison struct {
	Group    string  `json:"group"`
	Low      float64 `json:"monthlyLow"`
	High     float64 `json:"monthlyHigh"`
	Document string  `json:"document"`
	// Verdict is within, above, below, partly above, partly below, wider,
	// or not in document.
	Verdict string `json:"verdict"`
	// Why names the price sources and usage assumptions behind a
	// difference; empty when within.
	Why string `json:"why,omitempty"`
}

// Compare sets every group of e beside the document's row, and the total.
func Compare(e *Estimate) []Comparison {
	var out []Comparison
	for _, g := range e.Groups() {
		c := Comparison{Group: g.Group, Low: g.Low, High: g.High, Verdict: "not in document"}
		for _, row := range DocumentTable {
			if row.Group == g.Group {
				c.Document = row.Text
				c.Verdict = verdict(g.Low, g.High, row)
			}
		}
		if g.Unpriced {
			c.Verdict = "incomplete: unpriced"
		}
		if c.Verdict != "within" {
			c.Why = cause(e, g.Group) + ": " + explain(e, g.Group)
		}
		out = append(out, c)
	}
	t := Comparison{Group: "Total", Low: e.Low, High: e.High, Document: DocumentTotal.Text,
		Verdict: verdict(e.Low, e.High, DocumentTotal)}
	if len(e.Unpriced) > 0 {
		t.Verdict = "incomplete: unpriced"
	}
	return append(out, t)
}

func verdict(low, high float64, row DocumentRow) string {
	lo, hi := row.Low*(1-Tolerance), row.High*(1+Tolerance)
	switch {
	case low >= lo && high <= hi:
		return "within"
	case low > hi:
		return "above"
	case high < lo:
		return "below"
	case low < lo && high > hi:
		return "wider"
	case high > hi:
		return "partly above"
	default:
		return "partly below"
	}
}

// explain lists the group's lines, largest first, each with the price it
// used (source, confidence) and its usage assumptions.
func explain(e *Estimate, group string) string {
	var lines []Line
	for _, l := range e.Lines {
		if l.Group == group && (l.High > 0 || l.Unpriced) {
			lines = append(lines, l)
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].High > lines[j].High })
	var parts []string
	for _, l := range lines {
		if l.Unpriced {
			parts = append(parts, l.Item+" UNPRICED")
			continue
		}
		s := fmt.Sprintf("%s %s", l.Item, Money(l.Low, l.High))
		for _, k := range l.Prices {
			p := e.Prices[k]
			s += fmt.Sprintf(" [price %s $%g/%s, %s, %s confidence]", k, p.USD, p.Unit, p.Source, p.Confidence)
		}
		if len(l.Usage) > 0 {
			s += " [usage " + strings.Join(l.Usage, "; ") + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Money formats a monthly range: "$73", "$35-96" or "-$94 to -$87".
func Money(low, high float64) string {
	one := func(v float64) string {
		if v < 0 {
			return fmt.Sprintf("-$%.0f", -v)
		}
		return fmt.Sprintf("$%.0f", v)
	}
	switch {
	case fmt.Sprintf("%.0f", low) == fmt.Sprintf("%.0f", high):
		return one(low)
	case low < 0 || high < 0:
		return one(low) + " to " + one(high)
	}
	return fmt.Sprintf("$%.0f-%.0f", low, high)
}

// cause names what drives a group's difference: the usage file when any
// line rests on a usage assumption, else the price source.
func cause(e *Estimate, group string) string {
	for _, l := range e.Lines {
		if l.Group == group && l.High > 0 && usageDriven(l) {
			return "usage assumption and price source"
		}
	}
	return "price source"
}

func usageDriven(l Line) bool {
	for _, u := range l.Usage {
		if !strings.Contains(u, " nodes x ") {
			return true
		}
	}
	return false
}
