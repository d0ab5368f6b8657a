package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// Pulumi v3.274.1 saves an update plan with `preview --save-plan` (marked
// [PREVIEW], no flag needed) and applies one with `up --plan`, a hidden
// flag the CLI accepts without PULUMI_EXPERIMENTAL (it only lists it in
// the help with it). With PULUMI_EXPERIMENTAL set, every up would also
// generate a plan of its own; the deployer leaves the variable unset.

// PreviewPlan previews the layer like Preview and has the engine save its
// update plan to path.
func (d *Deployer) PreviewPlan(ctx context.Context, l layer.Layer, path string) (Summary, error) {
	return d.preview(ctx, l, optpreview.Plan(path))
}

// UpPlan deploys the layer constrained by the engine plan at path: the
// engine refuses any operation the plan does not hold (an update where it
// planned none, a replacement where it planned an update, inputs other
// than planned).
func (d *Deployer) UpPlan(ctx context.Context, l layer.Layer, p *Progress, path string) (map[string]any, error) {
	return d.up(ctx, l, p, optup.Plan(path))
}

// StateID identifies a layer's state: its update count and the hash of
// the resources it holds (a layer never deployed is 0 and the hash of
// none).
type StateID struct {
	Version   int
	Resources string
}

// State reads the layer's StateID from the backend.
func (d *Deployer) State(ctx context.Context, l layer.Layer) (StateID, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return StateID{Resources: hashResources(nil)}, nil
	}
	if err != nil {
		return StateID{}, err
	}
	sums, err := s.History(ctx, 0, 0)
	if err != nil {
		return StateID{}, fmt.Errorf("reading the history of %s: %w", d.StackName(l), engineErr(err))
	}
	dep, err := s.Export(ctx)
	if err != nil {
		return StateID{}, fmt.Errorf("reading the state of %s: %w", d.StackName(l), engineErr(err))
	}
	var state struct {
		Resources []json.RawMessage `json:"resources"`
	}
	if len(dep.Deployment) > 0 {
		if err := json.Unmarshal(dep.Deployment, &state); err != nil {
			return StateID{}, fmt.Errorf("reading the state of %s: %w", d.StackName(l), err)
		}
	}
	return StateID{Version: len(sums), Resources: hashResources(state.Resources)}, nil
}

// hashResources is the SHA-256 of the state's resources, each compacted.
func hashResources(rs []json.RawMessage) string {
	h := sha256.New()
	for _, r := range rs {
		var v any
		if json.Unmarshal(r, &v) == nil {
			b, _ := json.Marshal(v)
			h.Write(b)
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// StateResources are the layer's resources as its state holds them, in
// the graph's shape (the checkpoint uses the same names: urn, type,
// custom, parent, provider, protect, id, inputs, dependencies): what is
// deployed, for pricing against what a plan would deploy. A layer never
// deployed has none.
func (d *Deployer) StateResources(ctx context.Context, l layer.Layer) ([]plan.Resource, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	dep, err := s.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", d.StackName(l), engineErr(err))
	}
	var state struct {
		Resources []plan.Resource `json:"resources"`
	}
	if len(dep.Deployment) > 0 {
		if err := json.Unmarshal(dep.Deployment, &state); err != nil {
			return nil, fmt.Errorf("reading the state of %s: %w", d.StackName(l), err)
		}
	}
	for i := range state.Resources {
		state.Resources[i].Name = nameOf(state.Resources[i].URN)
	}
	return state.Resources, nil
}
