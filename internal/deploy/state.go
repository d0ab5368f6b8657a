package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// stateResources are the custom resources of the stack's state (logical
// name and type), providers left out.
func stateResources(ctx context.Context, s auto.Stack) ([]string, error) {
	dep, err := s.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", s.Name(), engineErr(err))
	}
	var state struct {
		Resources []struct {
			URN    string `json:"urn"`
			Type   string `json:"type"`
			Custom bool   `json:"custom"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &state); err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", s.Name(), err)
	}
	var out []string
	for _, r := range state.Resources {
		if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") {
			out = append(out, nameOf(r.URN)+" ("+r.Type+")")
		}
	}
	sort.Strings(out)
	return out, nil
}

// Unlock releases the layer's stack lock (pulumi cancel), which a killed
// run leaves behind. Only a person who knows no other run is going on
// should call it; nothing in mlops calls it on its own. A missing stack
// has no lock.
func (d *Deployer) Unlock(ctx context.Context, l layer.Layer) error {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.Cancel(ctx); err != nil {
		return fmt.Errorf("releasing the lock of %s: %w", d.StackName(l), engineErr(err))
	}
	return nil
}
