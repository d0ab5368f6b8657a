package timetogpu

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// short names of the stages, for the table's header.
var columns = map[string]string{
	StageLaunch:       "decision + launch",
	StageReady:        "node Ready",
	StageDevicePlugin: "device plugin",
	StagePull:         "image pull",
}

// Render writes the budget as a table (a row per family and runtime,
// a column per stage), the stage that dominates, what takes it off the
// path, and each stage's sources and confidence.
func Render(w io.Writer, stack string, d *Data, fams []Family) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Time to GPU, stack %s: a pending pod asking for nvidia.com/gpu until it runs on a new Karpenter node\n\n", stack)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	header := []string{"family", "GPU", "runtime"}
	for _, s := range d.Stages {
		header = append(header, columns[s.ID])
	}
	fmt.Fprintln(tw, strings.Join(append(header, "total", "dominant"), "\t"))
	var worst Path
	for _, f := range fams {
		for _, p := range f.Paths {
			row := []string{f.Family, f.GPU, p.Runtime.Name}
			for _, s := range p.Stages {
				row = append(row, span(s.Low, s.High))
			}
			dom, _ := p.stage(p.Dominant)
			row = append(row, span(p.Low, p.High), fmt.Sprintf("%s (%.0f%%)", columns[p.Dominant], 100*dom.High/p.High))
			fmt.Fprintln(tw, strings.Join(row, "\t"))
			if p.High > worst.High {
				worst = p
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("rendering the time-to-GPU table: %w", err)
	}
	dom, _ := worst.stage(worst.Dominant)
	fmt.Fprintf(&b, "\nDominant stage: the %s, %s of %s for %s (%g GB at %g-%g MB/s).\n",
		columns[dom.ID], span(dom.Low, dom.High), span(worst.Low, worst.High), worst.Runtime.Name, worst.Runtime.SizeGB, d.PullRate.Low, d.PullRate.High)
	fmt.Fprintf(&b, "With a data volume restored from a snapshot that holds the runtime images (%s instead of the pull): %s.\n",
		span(d.Prepulled.Low, d.Prepulled.High), span(worst.PrepulledLow, worst.PrepulledHigh))
	b.WriteString("The platform does not build that snapshot yet: it is the step that takes the pull off the path (a release that bakes\n" +
		"the runtime images into an EBS snapshot and an EC2NodeClass block device restoring it on the GPU pool).\n")
	b.WriteString("\nSources (confidence):\n")
	for _, s := range append(append([]Stage{}, d.Stages...), d.Prepulled) {
		name := s.Name
		if s.ID == "" {
			name = "pre-pulled data volume"
		}
		fmt.Fprintf(&b, "  %s (%s)\n", name, s.Confidence)
		for _, src := range s.Sources {
			fmt.Fprintf(&b, "    - %s\n", src)
		}
		if s.Measured != "" {
			fmt.Fprintf(&b, "    measured in the simulated cluster: %s\n", s.Measured)
		}
	}
	b.WriteString("  runtime image sizes\n")
	for _, r := range d.Runtimes {
		fmt.Fprintf(&b, "    - %s %g GB (%s): %s\n", r.Image, r.SizeGB, r.Confidence, r.Source)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// span prints a range of seconds: "30-100s", "8m45s-12m21s".
func span(low, high float64) string {
	if high < 120 {
		return fmt.Sprintf("%.0f-%.0fs", low, high)
	}
	return clock(low) + "-" + clock(high)
}

func clock(s float64) string {
	s = math.Round(s)
	if s < 60 {
		return fmt.Sprintf("%.0fs", s)
	}
	return fmt.Sprintf("%dm%02ds", int(s)/60, int(s)%60)
}
