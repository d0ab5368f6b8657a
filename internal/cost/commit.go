package cost

import (
	"fmt"
	"strings"
)

// Commitments a cost line can be covered by.
const (
	// CommitCompute: Compute Savings Plans cover EC2 instance hours of any
	// family (spot excluded); sized to the always-on on-demand nodes.
	CommitCompute = "computesp"
	// CommitRDS: RDS reserved instances cover the DB instance hours (both
	// instances of a Multi-AZ deployment), not storage.
	CommitRDS = "rdsri"
)

// Purchase is one commitment priced on an estimate: a billing purchase,
// not a change to the infrastructure.
type Purchase struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	// Covered is the monthly on-demand cost of the lines it covers.
	Covered float64   `json:"coveredMonthly"`
	Saved   float64   `json:"savedMonthly"`
	Offered bool      `json:"offered"`
	Rate    *Discount `json:"rate,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// commitmentTerms are the purchases priced, in display order.
var commitmentTerms = []struct{ name, commit, term string }{
	{"Compute Savings Plan, 1 year, no upfront", CommitCompute, "1y-no-upfront"},
	{"Compute Savings Plan, 3 years, no upfront", CommitCompute, "3y-no-upfront"},
	{"RDS reserved instance, 1 year, no upfront", CommitRDS, "1y-no-upfront"},
	{"RDS reserved instance, 3 years, no upfront", CommitRDS, "3y-no-upfront"},
}

// Purchases prices each commitment term on e: the discount times the
// monthly cost of the lines it covers (always-on usage, so low = high).
func Purchases(e *Estimate, cat *Catalogue) []Purchase {
	covered := map[string]float64{}
	for _, l := range e.Lines {
		if l.Commit != "" && !l.Unpriced {
			covered[l.Commit] += l.Low
		}
	}
	out := make([]Purchase, 0, len(commitmentTerms))
	for _, t := range commitmentTerms {
		p := Purchase{Name: t.name, Key: t.commit + "/" + t.term, Covered: round2(covered[t.commit])}
		d, ok := cat.Commitments[p.Key]
		switch {
		case !ok:
			p.Note = fmt.Sprintf("no rate %q in the %s catalogue", p.Key, cat.Region)
		case !d.IsOffered():
			p.Rate, p.Note = &d, "not offered: "+d.Source
		default:
			p.Rate, p.Offered = &d, true
			p.Saved = round2(p.Covered * d.Fraction)
		}
		out = append(out, p)
	}
	return out
}

// BestPurchases returns the offered purchase saving most per commitment
// (one Savings Plan, one RDS reservation), in display order.
func BestPurchases(ps []Purchase) []Purchase {
	best := map[string]int{}
	for i, p := range ps {
		c := commitOf(p.Key)
		if !p.Offered {
			continue
		}
		if j, ok := best[c]; !ok || p.Saved > ps[j].Saved {
			best[c] = i
		}
	}
	var out []Purchase
	for i, p := range ps {
		if best[commitOf(p.Key)] == i && p.Offered {
			out = append(out, p)
		}
	}
	return out
}

// commitOf is the commitment of a purchase key ("computesp/1y-…" → "computesp").
func commitOf(key string) string {
	c, _, _ := strings.Cut(key, "/")
	return c
}
