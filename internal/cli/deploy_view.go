package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// writeSummaries prints previews: per layer the counts, then every
// update, replacement and deletion (only the risky ones when riskyOnly:
// a destroy deletes everything); replacements and deletions of protected
// or stateful resources are marked, and in prod what up needs to go ahead
// is said. Below the table, the inputs each change alters (diffLines;
// every resource's with full, --diff); JSON carries them as diffs and
// replaceReasons.
func writeSummaries(w io.Writer, format string, d *deploy.Deployer, prod bool, sums []deploy.Summary, riskyOnly, full bool) error {
	return output.Write(w, format, sums, func() []output.Section {
		var out []output.Section
		for _, s := range sums {
			sec := output.Section{Title: []string{fmt.Sprintf("%s (layer %s): %s", d.StackName(layer.Layer(s.Layer)), s.Layer, s.Line())}}
			var risky []string
			for _, c := range s.Changes {
				if !c.Risky() && (c.Op == deploy.OpCreate || riskyOnly) {
					continue
				}
				mark := ""
				if c.Risky() {
					mark = "STATEFUL"
					if c.Protected {
						mark = "PROTECTED"
					}
					if prod {
						mark = "!! " + mark
						risky = append(risky, c.Name)
					}
				}
				sec.Rows = append(sec.Rows, []string{string(c.Op), c.Name, c.Type, mark})
			}
			if len(sec.Rows) > 0 {
				sec.Header = []string{"OP", "NAME", "TYPE", "NOTE"}
			}
			if !riskyOnly {
				sec.Lines = append(sec.Lines, diffLines(s, full)...)
			}
			if len(risky) > 0 {
				sec.Lines = append(sec.Lines, "prod refuses these unless each is named: --allow-replace "+joinFlags(risky))
			}
			out = append(out, sec)
		}
		return out
	})
}

func joinFlags(names []string) string {
	sort.Strings(names)
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " --allow-replace "
		}
		s += n
	}
	return s
}

// outputsView is what `mlops outputs` prints as JSON.
type outputsView struct {
	Stack string `json:"stack"`
	// Layers are each layer's stack outputs, secrets masked; a layer not
	// deployed is absent.
	Layers map[string]map[string]any `json:"layers"`
	// Summary holds the values operators look for.
	Summary map[string]string `json:"summary"`
}

// summaryKeys are the outputs `mlops outputs` shows in its table, in order.
var summaryKeys = []string{"clusterName", "clusterEndpoint", "region", "mlflowUrl", "grafanaUrl", "inferenceDomain", "bastionInstanceId", "kubeconfigCommand"}

func runOutputs(ctx context.Context, s *session) error { return writeOutputs(ctx, s) }

// writeOutputs prints the layers' outputs through the one printer.
func writeOutputs(ctx context.Context, s *session) error {
	v := outputsView{Stack: s.o.Stack, Layers: map[string]map[string]any{}, Summary: map[string]string{}}
	for _, l := range layer.All {
		outs, err := s.d.Outputs(ctx, l)
		if errors.Is(err, deploy.ErrNoStack) || err == nil && len(outs) == 0 {
			// No stack, or an empty one (previewed, or destroyed).
			continue
		}
		if err != nil {
			return err
		}
		v.Layers[string(l)] = outs
		for _, k := range summaryKeys {
			if x, ok := outs[k].(string); ok && x != "" {
				v.Summary[k] = x
			}
		}
	}
	if len(v.Layers) == 0 {
		return fmt.Errorf("stack %s is not deployed: run mlops up --stack %s", s.o.Stack, s.o.Stack)
	}
	if c := v.Summary["clusterName"]; c != "" {
		v.Summary["kubeconfigCommand"] = kubeconfigCommand(s.o.Stack)
	}
	return output.Write(s.env.Out, s.o.Output, v, func() []output.Section {
		sec := output.Section{Header: []string{"OUTPUT", "VALUE"}}
		for _, k := range summaryKeys {
			if x, ok := v.Summary[k]; ok {
				sec.Rows = append(sec.Rows, []string{k, x})
			}
		}
		var missing []string
		for _, l := range layer.All {
			if _, ok := v.Layers[string(l)]; !ok {
				missing = append(missing, fmt.Sprintf("layer %s is not deployed (mlops up --stack %s --layer %s)", l, s.o.Stack, l))
			}
		}
		sec.Lines = missing
		return []output.Section{sec}
	})
}

// writeDestroyPlan prints what a destroy of one layer deletes: the
// protected and stateful resources (database, buckets, keys) first, then
// every other resource by type.
func writeDestroyPlan(w io.Writer, d *deploy.Deployer, sum deploy.Summary) error {
	changes := slices.Clone(sum.Changes)
	slices.SortStableFunc(changes, func(a, b deploy.Change) int {
		if a.Risky() != b.Risky() {
			if a.Risky() {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name))
	})
	sec := output.Section{Title: []string{fmt.Sprintf("%s (layer %s): %s", d.StackName(layer.Layer(sum.Layer)), sum.Layer, sum.Line())},
		Header: []string{"OP", "NAME", "TYPE", "NOTE"}}
	for _, c := range changes {
		mark := ""
		if c.Risky() {
			mark = "STATEFUL"
			if c.Protected {
				mark = "PROTECTED"
			}
		}
		sec.Rows = append(sec.Rows, []string{string(c.Op), c.Name, c.Type, mark})
	}
	return output.WriteTable(w, sec)
}
