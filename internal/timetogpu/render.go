package timetogpu

import (
	"fmt"
	"io"
	"math"

	"github.com/mlops-platform/mlops-platform/internal/output"
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
	title := output.Section{Title: []string{fmt.Sprintf("Time to GPU, stack %s: a pending pod asking for nvidia.com/gpu until it runs on a new Karpenter node", stack)}}
	table := output.Section{Header: []string{"family", "GPU", "runtime"}}
	for _, s := range d.Stages {
		table.Header = append(table.Header, columns[s.ID])
	}
	table.Header = append(table.Header, "total", "dominant")
	var worst Path
	for _, f := range fams {
		for _, p := range f.Paths {
			row := []string{f.Family, f.GPU, p.Runtime.Name}
			for _, s := range p.Stages {
				row = append(row, span(s.Low, s.High))
			}
			dom, _ := p.stage(p.Dominant)
			table.Rows = append(table.Rows, append(row, span(p.Low, p.High), fmt.Sprintf("%s (%.0f%%)", columns[p.Dominant], 100*dom.High/p.High)))
			if p.High > worst.High {
				worst = p
			}
		}
	}
	dom, _ := worst.stage(worst.Dominant)
	verdict := output.Section{Lines: []string{
		fmt.Sprintf("Dominant stage: the %s, %s of %s for %s (%g GB at %g-%g MB/s).",
			columns[dom.ID], span(dom.Low, dom.High), span(worst.Low, worst.High), worst.Runtime.Name, worst.Runtime.SizeGB, d.PullRate.Low, d.PullRate.High),
		fmt.Sprintf("With a data volume restored from a snapshot that holds the runtime images (%s instead of the pull): %s.",
			span(d.Prepulled.Low, d.Prepulled.High), span(worst.PrepulledLow, worst.PrepulledHigh)),
		"The platform does not build that snapshot yet: it is the step that takes the pull off the path (a release that bakes",
		"the runtime images into an EBS snapshot and an EC2NodeClass block device restoring it on the GPU pool).",
	}}
	return output.WriteTable(w, title, table, verdict, sources(d))
}

// sources lists each stage's sources and confidence, and the runtime
// images' sizes.
func sources(d *Data) output.Section {
	s := output.Section{Lines: []string{"Sources (confidence):"}}
	for _, st := range append(append([]Stage{}, d.Stages...), d.Prepulled) {
		name := st.Name
		if st.ID == "" {
			name = "pre-pulled data volume"
		}
		s.Lines = append(s.Lines, fmt.Sprintf("  %s (%s)", name, st.Confidence))
		for _, src := range st.Sources {
			s.Lines = append(s.Lines, "    - "+src)
		}
		if st.Measured != "" {
			s.Lines = append(s.Lines, "    measured in the simulated cluster: "+st.Measured)
		}
	}
	s.Lines = append(s.Lines, "  runtime image sizes")
	for _, r := range d.Runtimes {
		s.Lines = append(s.Lines, fmt.Sprintf("    - %s %g GB (%s): %s", r.Image, r.SizeGB, r.Confidence, r.Source))
	}
	return s
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
