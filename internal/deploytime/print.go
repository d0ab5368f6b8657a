package deploytime

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteCriticalPath prints the estimated first-deploy time and the path of
// resources that decides it, each with its typical time and source.
func WriteCriticalPath(w io.Writer, r *Result) error {
	fmt.Fprintf(w, "First deploy of stack %s: about %s (unlimited parallelism; typical create times)\n\n", r.Stack, minutes(r.Total))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "START\tFINISH\tTAKES\tTYPE\tNAME\tSOURCE")
	for _, s := range r.Path {
		if s.Duration == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", minutes(s.Start), minutes(s.Finish), minutes(s.Duration), s.Type, s.Name, s.Source)
	}
	return tw.Flush()
}

func minutes(d time.Duration) string {
	return fmt.Sprintf("%.1fm", d.Minutes())
}
