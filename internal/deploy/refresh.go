package deploy

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// Drifted is a resource whose state differs from what the cloud holds, as
// the engine's refresh preview reads it.
type Drifted struct {
	Name string `json:"name"`
	Type string `json:"type"`
	URN  string `json:"urn"`
	// Gone is set when the cloud no longer holds the resource.
	Gone bool `json:"gone,omitempty"`
	// Diffs are the outputs that differ: old is the state, new the cloud.
	Diffs []PropertyDiff `json:"diffs,omitempty"`
}

// PreviewRefresh reads the layer's resources back from the cloud without
// writing the state (pulumi refresh --preview-only) and returns those
// that drifted. A layer never deployed has none.
func (d *Deployer) PreviewRefresh(ctx context.Context, l layer.Layer) ([]Drifted, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var evs []events.EngineEvent
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		_, err := s.PreviewRefresh(ctx, optrefresh.EventStreams(ch))
		return err
	}, collect(&evs))
	if err != nil {
		return nil, d.failed(ctx, "refresh preview", l, err, evs)
	}
	return drifted(evs), nil
}

// drifted reads the refresh's outputs events (Pulumi v3.274.1 sends a
// refresh step's result as op same, update or delete, with the state
// before as old and the cloud's as new): each resource the cloud reports
// otherwise, once, sorted by name.
func drifted(evs []events.EngineEvent) []Drifted {
	byURN := map[string]Drifted{}
	for _, e := range evs {
		if e.ResOutputsEvent == nil {
			continue
		}
		m := e.ResOutputsEvent.Metadata
		if m.Old == nil || !m.Old.Custom || strings.HasPrefix(m.Type, "pulumi:providers:") {
			continue
		}
		d := Drifted{Name: nameOf(m.URN), Type: m.Type, URN: m.URN}
		switch {
		case m.Op == apitype.OpDelete || m.New == nil:
			d.Gone = true
		case m.Op == apitype.OpUpdate:
			d.Diffs = outputDiffs("", m.Old.Outputs, m.New.Outputs)
		}
		if d.Gone || len(d.Diffs) > 0 {
			byURN[m.URN] = d
		}
	}
	out := make([]Drifted, 0, len(byURN))
	for _, d := range byURN {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Type < out[j].Name+out[j].Type })
	return out
}

// outputDiffs compares two output maps, descending into objects so that
// a changed tag is tags.Team, secrets masked.
func outputDiffs(prefix string, olds, news map[string]any) []PropertyDiff {
	keys := map[string]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var out []PropertyDiff
	for _, k := range sortedKeys(keys) {
		o, inOld := olds[k]
		n, inNew := news[k]
		path := prefix + k
		if !identifier(k) {
			path = strings.TrimSuffix(prefix, ".") + fmt.Sprintf("[%q]", k)
		}
		om, oIsMap := o.(map[string]any)
		nm, nIsMap := n.(map[string]any)
		switch {
		case reflect.DeepEqual(o, n):
		case oIsMap && nIsMap && om[sigKey] == nil && nm[sigKey] == nil && !secretKey(k):
			out = append(out, outputDiffs(path+".", om, nm)...)
		case !inOld:
			out = append(out, PropertyDiff{Path: path, Kind: "add", New: render(maskedAt(k, n))})
		case !inNew:
			out = append(out, PropertyDiff{Path: path, Kind: "delete", Old: render(maskedAt(k, o))})
		default:
			out = append(out, PropertyDiff{Path: path, Kind: "update", Old: render(maskedAt(k, o)), New: render(maskedAt(k, n))})
		}
	}
	return out
}

// identifier reports whether k reads as a plain property name.
func identifier(k string) bool {
	for _, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return k != ""
}

// maskedAt is v under key k with secrets masked.
func maskedAt(k string, v any) any {
	if secretKey(k) && v != nil {
		return Masked
	}
	return masked(v)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
