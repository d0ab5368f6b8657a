package cli

import (
	"fmt"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/output"
)

// list is a titled list of lines, empty (not printed) without lines.
func list(title string, lines []string) output.Section {
	if len(lines) == 0 {
		return output.Section{}
	}
	return output.Section{Title: []string{title}, Lines: lines}
}

// indent prefixes each item with two spaces.
func indent(items []string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = "  " + x
	}
	return out
}

func minutes(d time.Duration) string { return fmt.Sprintf("%.1fm", d.Minutes()) }
