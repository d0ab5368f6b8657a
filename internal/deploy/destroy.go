package deploy

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// ClusterTeardown empties the cluster before its layer is destroyed (what
// would keep the VPC in use) and waits after it for what its controllers
// delete. internal/teardown's Cluster is one.
type ClusterTeardown interface {
	BeforeClusterLayer(ctx context.Context) error
	AfterClusterLayer(ctx context.Context) error
}

// LayeredDestroy destroys a stack's layers in reverse deploy order, each
// previewed, approved and then destroyed, the cluster layer wrapped in a
// teardown of what its workloads created. The caller supplies the
// prompts, rendering and connections.
type LayeredDestroy struct {
	Deployer *Deployer
	// Layers are in deploy order; they are destroyed last first.
	Layers []layer.Layer
	// Out receives one line per layer.
	Out io.Writer
	// Notice is said before the cluster layer's approval when it still
	// holds resources.
	Notice string
	// Approval asks before each layer's destroy.
	Approval func() Approval
	// Progress reports a destroy of total steps.
	Progress func(total int) *Progress
	// ReachCluster makes the cluster's API reachable (a tunnel, say).
	ReachCluster func(ctx context.Context) error
	// Teardown connects to the cluster.
	Teardown func(ctx context.Context) (ClusterTeardown, error)
	// WritePlan shows what a layer's destroy deletes.
	WritePlan func(Summary) error
	// Explain says what a failed destroy means.
	Explain func(err error)
	// Resume is the command that resumes the destroy.
	Resume func() string
	// Record receives each layer's outcome: destroyed or not (nothing
	// to destroy), and the steps done.
	Record func(l layer.Layer, destroyed bool, steps int)
}

// Run destroys the layers, stopping at the first failure and saying
// which later layers still hold resources.
func (x LayeredDestroy) Run(ctx context.Context) error {
	order := slices.Clone(x.Layers)
	slices.Reverse(order)
	for i, l := range order {
		err := x.layer(ctx, l)
		if df, ok := err.(destroyFailed); ok {
			x.stillHeld(ctx, order[i+1:])
			return df.error
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// destroyFailed marks an error of the destroy itself, after which the
// untouched layers are listed.
type destroyFailed struct{ error }

func (x LayeredDestroy) layer(ctx context.Context, l layer.Layer) error {
	d := x.Deployer
	inCluster := false
	if l == layer.Cluster {
		if rem, err := d.Resources(ctx, l); err == nil && len(rem) > 0 {
			if err := x.ReachCluster(ctx); err != nil {
				return err
			}
			inCluster = true
		}
	}
	sum, err := d.PreviewDestroy(ctx, l)
	if err != nil {
		x.Explain(err)
		return err
	}
	if sum.Empty() {
		fmt.Fprintf(x.Out, "%s: nothing to destroy\n", d.StackName(l))
		x.Record(l, false, 0)
		return nil
	}
	if err := x.WritePlan(sum); err != nil {
		return err
	}
	if inCluster {
		fmt.Fprintln(x.Out, x.Notice)
	}
	confirm := x.Approval()
	confirm.Required = true
	if err := confirm.Ask(ctx, fmt.Sprintf("Destroy %s: %s?", d.StackName(l), sum.Line())); err != nil {
		return err
	}
	var tc ClusterTeardown
	if inCluster {
		if tc, err = x.Teardown(ctx); err == nil {
			err = tc.BeforeClusterLayer(ctx)
		}
		if err != nil {
			return fmt.Errorf("%w; nothing of %s was destroyed yet; resume with %s", err, d.StackName(l), x.Resume())
		}
	}
	p := x.Progress(sum.Steps)
	if err := d.Destroy(ctx, l, p); err != nil {
		x.Explain(err)
		return destroyFailed{err}
	}
	fmt.Fprintf(x.Out, "%s: destroyed\n", d.StackName(l))
	x.Record(l, true, p.Done())
	if tc != nil {
		if err := tc.AfterClusterLayer(ctx); err != nil {
			return fmt.Errorf("%w; %s is destroyed and %s untouched; resume with %s", err, d.StackName(l),
				d.StackName(layer.AWS), x.Resume())
		}
	}
	return nil
}

// stillHeld says which of the layers not started still hold resources.
func (x LayeredDestroy) stillHeld(ctx context.Context, rest []layer.Layer) {
	for _, l := range rest {
		if rem, err := x.Deployer.Resources(ctx, l); err == nil && len(rem) > 0 {
			fmt.Fprintf(x.Out, "%s still holds %d resources (not started)\n", x.Deployer.StackName(l), len(rem))
		}
	}
}
