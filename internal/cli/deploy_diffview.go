package cli

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
)

// compactWidth bounds a value in the compact diff; --diff prints it whole.
const compactWidth = 60

// diffLines are the lines under a preview's table that say what each
// change alters: without full, one line per changed input of every update
// and replacement, long values shortened; with full (--diff), every
// resource, creates and deletes with all their inputs, values whole. A
// replacement names the inputs that force it.
func diffLines(s deploy.Summary, full bool) []string {
	var out []string
	for _, c := range s.Changes {
		if !full && c.Op != deploy.OpUpdate && c.Op != deploy.OpReplace {
			continue
		}
		head := fmt.Sprintf("%s %s (%s)", c.Op, c.Name, c.Type)
		if c.Op == deploy.OpReplace {
			if len(c.ReplaceReasons) > 0 {
				head += ": replaced because " + strings.Join(c.ReplaceReasons, ", ") + " changed"
			} else {
				head += ": replaced (the engine gave no input as the reason)"
			}
		}
		out = append(out, head)
		if len(c.Diffs) == 0 && (c.Op == deploy.OpUpdate || c.Op == deploy.OpReplace) {
			out = append(out, "    (no input diff reported by the provider)")
		}
		for _, d := range c.Diffs {
			out = append(out, "    "+diffLine(d, full))
		}
	}
	return out
}

// diffLine is one input's change: "~ path: old → new", "+ path: new",
// "- path: old", marked when it forces a replacement.
func diffLine(d deploy.PropertyDiff, full bool) string {
	val := func(v string) string {
		if full {
			return v
		}
		return ansi.Truncate(v, compactWidth, "…")
	}
	var s string
	switch d.Kind {
	case deploy.KindAdd:
		s = fmt.Sprintf("+ %s: %s", d.Path, val(d.New))
	case deploy.KindDelete:
		s = fmt.Sprintf("- %s: %s", d.Path, val(d.Old))
	default:
		s = fmt.Sprintf("~ %s: %s → %s", d.Path, val(d.Old), val(d.New))
	}
	if d.Replaces {
		s += "  (forces replacement)"
	}
	return s
}
