package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// deployRecord is what up records in the state with each update: who ran
// it ($USER), the command with its --set values, and the effective
// configuration, flattened to dotted keys.
func deployRecord(env Env, o DeployOptions, r *stack.Resolved) (*deploy.Record, error) {
	by := env.Getenv("USER")
	if by == "" {
		by = env.Getenv("LOGNAME")
	}
	if by == "" {
		by = "unknown"
	}
	cmd := []string{"mlops", "up", "--stack", o.Stack}
	if o.Layer != "" && o.Layer != "all" {
		cmd = append(cmd, "--layer", o.Layer)
	}
	for _, set := range o.Sets {
		cmd = append(cmd, "--set", set)
	}
	b, err := json.Marshal(r.Spec)
	if err != nil {
		return nil, fmt.Errorf("recording the configuration of stack %s: %w", o.Stack, err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("recording the configuration of stack %s: %w", o.Stack, err)
	}
	config := map[string]string{}
	flatten(config, "", v)
	return &deploy.Record{By: by, Command: strings.Join(cmd, " "), Config: config}, nil
}

// flatten writes v's leaves into m under dotted keys (list items as
// key[i]), the way --set names them.
func flatten(m map[string]string, key string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if key != "" {
				k = key + "." + k
			}
			flatten(m, k, e)
		}
	case []any:
		for i, e := range x {
			flatten(m, fmt.Sprintf("%s[%d]", key, i), e)
		}
	case nil:
	default:
		m[key] = fmt.Sprint(x)
	}
}

// historyEntry is one update of a layer, as history shows it.
type historyEntry struct {
	Version int    `json:"version"`
	Start   string `json:"start"`
	Kind    string `json:"kind"`
	Result  string `json:"result"`
	By      string `json:"by,omitempty"`
	Command string `json:"command,omitempty"`
	// Changed are the configuration keys this deploy changed since the
	// layer's previous recorded deploy ("key: old → new").
	Changed []string `json:"changed"`
	// First marks the layer's first recorded deploy (nothing to compare).
	First bool `json:"first,omitempty"`
}

// historyLayer is one layer's history, oldest first.
type historyLayer struct {
	Layer   string         `json:"layer"`
	Stack   string         `json:"stack"`
	Updates []historyEntry `json:"updates"`
}

func runHistory(ctx context.Context, s *session) error {
	var layers []historyLayer
	for _, l := range s.layers {
		ups, err := s.d.History(ctx, l)
		if err != nil {
			return err
		}
		layers = append(layers, historyLayer{Layer: string(l), Stack: s.d.StackName(l), Updates: historyEntries(ups)})
	}
	return output.Write(s.env.Out, s.o.Output, layers, func() []output.Section { return historySections(layers) })
}

// historyEntries pairs each recorded deploy with the keys it changed
// since the previous recorded one.
func historyEntries(ups []deploy.Update) []historyEntry {
	out := []historyEntry{}
	var prev map[string]string
	for _, u := range ups {
		e := historyEntry{Version: u.Version, Start: u.Start, Kind: u.Kind, Result: u.Result, Changed: []string{}}
		if u.Record != nil {
			e.By, e.Command = u.Record.By, u.Record.Command
			if prev != nil {
				e.Changed = deploy.Changed(prev, u.Record.Config)
			} else {
				e.First = true
			}
			if u.Result == "succeeded" || prev == nil {
				prev = u.Record.Config
			}
		}
		out = append(out, e)
	}
	return out
}

func historySections(layers []historyLayer) []output.Section {
	var out []output.Section
	for _, hl := range layers {
		sec := output.Section{Title: []string{fmt.Sprintf("%s (layer %s)", hl.Stack, hl.Layer)}}
		if len(hl.Updates) == 0 {
			sec.Lines = []string{"no updates: never deployed"}
		}
		for _, e := range hl.Updates {
			changed := strings.Join(e.Changed, "; ")
			if e.Command == "" {
				changed = "(not recorded: not an mlops up)"
			} else if e.First {
				changed = "(first recorded deploy: " + e.Command + ")"
			} else if changed == "" {
				changed = "-"
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(e.Version), e.Start, e.Kind, e.Result, dash(e.By), changed})
		}
		if len(sec.Rows) > 0 {
			sec.Header = []string{"#", "WHEN", "KIND", "RESULT", "WHO", "CHANGED"}
		}
		out = append(out, sec)
	}
	return out
}
