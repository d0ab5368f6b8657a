package cost

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints e grouped like the document's Cost Estimate: one row
// per group with the document's figure beside it, the total, then the
// reasons for every difference and any unpriced items and warnings.
func WriteTable(w io.Writer, e *Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Cost estimate, stack %s (%s, %s/month, %g h/month)\n\n", e.Stack, e.Region, e.Currency, e.HoursPerMonth)
	fmt.Fprintln(tw, "COMPONENT\tCONFIGURATION\tMONTHLY (OURS)\tDOCUMENT\tVERDICT")
	cmp := Compare(e)
	groups := e.Groups()
	var notes []string
	for i, g := range groups {
		c := cmp[i]
		mark := c.Verdict
		if c.Why != "" && c.Document != "" {
			notes = append(notes, fmt.Sprintf("[%d] %s: %s", len(notes)+1, g.Group, c.Why))
			mark = fmt.Sprintf("%s [%d]", c.Verdict, len(notes))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.Group, configSummary(g), money(g.Low, g.High)+unpricedMark(g.Unpriced), dash(c.Document), mark)
	}
	t := cmp[len(cmp)-1]
	fmt.Fprintf(tw, "Total\t\t%s\t%s\t%s\n", money(e.Low, e.High)+unpricedMark(len(e.Unpriced) > 0), t.Document, t.Verdict)
	if err := tw.Flush(); err != nil {
		return err
	}
	writeList(w, "\nWhy ours differs from the document (the document's '~' figures get ±10%):", notes)
	writeList(w, "\nUNPRICED (not counted; the total is a lower bound):", e.Unpriced)
	writeList(w, "\nWARNINGS:", e.Warnings)
	return nil
}

// WriteLines prints every cost line with its price keys.
func WriteLines(w io.Writer, e *Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tITEM\tCONFIGURATION\tMONTHLY\tPRICES")
	for _, l := range e.Lines {
		m := money(l.Low, l.High)
		if l.Unpriced {
			m = "UNPRICED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Group, l.Item, l.Config, m, strings.Join(l.Prices, ","))
	}
	return tw.Flush()
}

// WriteSideBySide prints two stacks' group totals next to each other.
func WriteSideBySide(w io.Writer, a, b *Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "COMPONENT\t%s\t%s\tDIFFERENCE\n", strings.ToUpper(a.Stack), strings.ToUpper(b.Stack))
	ga, gb := index(a.Groups()), index(b.Groups())
	for _, name := range GroupOrder {
		x, okA := ga[name]
		y, okB := gb[name]
		if !okA && !okB {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, money(x.Low, x.High), money(y.Low, y.High), signed(x.Low-y.Low, x.High-y.High))
	}
	fmt.Fprintf(tw, "Total\t%s\t%s\t%s\n", money(a.Low, a.High), money(b.Low, b.High), signed(a.Low-b.Low, a.High-b.High))
	return tw.Flush()
}

func index(gs []GroupTotal) map[string]GroupTotal {
	m := map[string]GroupTotal{}
	for _, g := range gs {
		m[g.Group] = g
	}
	return m
}

func signed(low, high float64) string {
	return fmt.Sprintf("%+.0f to %+.0f", low, high)
}

func configSummary(g GroupTotal) string {
	if len(g.Config) == 0 {
		return ""
	}
	return strings.Join(g.Config, " + ")
}

func unpricedMark(u bool) string {
	if u {
		return " +UNPRICED"
	}
	return ""
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, title)
	for _, x := range items {
		fmt.Fprintln(w, "  "+x)
	}
}
