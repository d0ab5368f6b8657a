package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Options configure a Deployer.
type Options struct {
	// Env is the environment's stack name (dev, prod); each layer is the
	// Pulumi stack <Env>-<layer>.
	Env string
	// Program returns a layer's program: the stack runner's
	// (stack.Resolved.LayerProgram), so this package needs no program.
	Program func(layer.Layer) pulumi.RunFunc
	// Backend is the state backend URL (Backend).
	Backend string
	// SecretsProvider encrypts the stacks' secrets (Secrets).
	SecretsProvider string
	// Pulumi is the CLI binary (FindPulumi).
	Pulumi string
	// WorkDir holds the workspace's Pulumi.yaml and stack settings files.
	WorkDir string
	// Vars are added to the CLI's environment (the passphrase, tests' tools).
	Vars map[string]string
	// Record, when set, is written as each up's update message (the
	// state's history: who, the command, the configuration deployed).
	Record *Record
}

// Deployer runs the layers' stacks through the Automation API.
type Deployer struct {
	opts Options
	cmd  auto.PulumiCommand
	// after is the clock of the events' grace period (time.After when nil).
	after func(time.Duration) <-chan time.Time
}

// New checks the CLI (at least SDKVersion) and returns a Deployer.
func New(opts Options) (*Deployer, error) {
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{
		Root: filepath.Dir(filepath.Dir(opts.Pulumi)), Version: semver.MustParse(SDKVersion),
	})
	if err != nil {
		return nil, fmt.Errorf("pulumi CLI %s (needs v%s or later): %w", opts.Pulumi, SDKVersion, err)
	}
	if err := os.MkdirAll(opts.WorkDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the workspace %s: %w", opts.WorkDir, err)
	}
	if dir, ok := strings.CutPrefix(opts.Backend, spec.BackendFilePrefix); ok {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the state directory %s: %w", dir, err)
		}
	}
	return &Deployer{opts: opts, cmd: cmd}, nil
}

// StackName is the Pulumi stack of a layer.
func (d *Deployer) StackName(l layer.Layer) string { return l.StackName(d.opts.Env) }

func (d *Deployer) env() map[string]string {
	vars := map[string]string{"PULUMI_SKIP_UPDATE_CHECK": "true"}
	for k, v := range d.opts.Vars {
		vars[k] = v
	}
	return vars
}

// SetVars adds variables to the CLI's environment for the operations that
// follow (the tunnel's proxy for the cluster layer).
func (d *Deployer) SetVars(vars map[string]string) {
	if d.opts.Vars == nil {
		d.opts.Vars = map[string]string{}
	}
	for k, v := range vars {
		d.opts.Vars[k] = v
	}
}

// ErrNoStack means a layer's stack does not exist in the backend.
var ErrNoStack = errors.New("stack not found")

// stack returns the layer's stack; create makes it when missing.
func (d *Deployer) stack(ctx context.Context, l layer.Layer, create bool) (auto.Stack, error) {
	name := d.StackName(l)
	opts := []auto.LocalWorkspaceOption{
		auto.Pulumi(d.cmd), auto.WorkDir(d.opts.WorkDir), auto.EnvVars(d.env()),
		auto.SecretsProvider(d.opts.SecretsProvider),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(spec.ProjectName),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: d.opts.Backend},
		}),
	}
	prog := d.opts.Program(l)
	var s auto.Stack
	var err error
	if create {
		s, err = auto.UpsertStackInlineSource(ctx, name, spec.ProjectName, prog, opts...)
	} else {
		s, err = auto.SelectStackInlineSource(ctx, name, spec.ProjectName, prog, opts...)
		if auto.IsSelectStack404Error(err) {
			return s, fmt.Errorf("%w: %s in %s", ErrNoStack, name, d.opts.Backend)
		}
	}
	if err != nil {
		return s, fmt.Errorf("opening stack %s in %s: %w", name, d.opts.Backend, engineErr(err))
	}
	if err := adoptSecrets(ctx, s, d.opts.SecretsProvider); err != nil {
		return s, err
	}
	if err := checkPlugins(ctx, s.Workspace(), string(l), d.env()); err != nil {
		return s, err
	}
	return s, nil
}

// Preview previews the layer and summarises its changes.
func (d *Deployer) Preview(ctx context.Context, l layer.Layer) (Summary, error) {
	return d.preview(ctx, l)
}

// preview is Preview with the engine's extra options.
func (d *Deployer) preview(ctx context.Context, l layer.Layer, extra ...optpreview.Option) (Summary, error) {
	s, err := d.stack(ctx, l, true)
	if err != nil {
		return Summary{}, err
	}
	var evs []events.EngineEvent
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		_, err := s.Preview(ctx, append(extra, optpreview.EventStreams(ch))...)
		return err
	}, collect(&evs))
	if err != nil {
		return Summary{}, d.failed(ctx, "preview", l, err, evs)
	}
	return summarize(string(l), evs), nil
}

// Up deploys the layer, rendering progress to w.
func (d *Deployer) Up(ctx context.Context, l layer.Layer, p *Progress) (map[string]any, error) {
	return d.up(ctx, l, p)
}

// up is Up with the engine's extra options.
func (d *Deployer) up(ctx context.Context, l layer.Layer, p *Progress, extra ...optup.Option) (map[string]any, error) {
	s, err := d.stack(ctx, l, true)
	if err != nil {
		return nil, err
	}
	upOpts := extra
	if d.opts.Record != nil {
		msg, err := d.opts.Record.Message()
		if err != nil {
			return nil, err
		}
		upOpts = append(upOpts, optup.Message(msg))
	}
	var res auto.UpResult
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		var err error
		res, err = s.Up(ctx, append(upOpts, optup.EventStreams(ch))...)
		return err
	}, p.runner(ctx))
	if err != nil {
		return nil, d.deployError(ctx, "up", l, s, err, p)
	}
	return plainOutputs(res.Outputs), nil
}

// Refresh reads the layer's resources back from the cloud.
func (d *Deployer) Refresh(ctx context.Context, l layer.Layer, p *Progress) error {
	s, err := d.stack(ctx, l, false)
	if err != nil {
		return err
	}
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		_, err := s.Refresh(ctx, optrefresh.EventStreams(ch))
		return err
	}, p.runner(ctx))
	if err != nil {
		return d.deployError(ctx, "refresh", l, s, err, p)
	}
	return nil
}

// Destroy deletes the layer's resources. A missing stack is nothing to do.
func (d *Deployer) Destroy(ctx context.Context, l layer.Layer, p *Progress) error {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil
	}
	if err != nil {
		return err
	}
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		_, err := s.Destroy(ctx, optdestroy.EventStreams(ch))
		return err
	}, p.runner(ctx))
	if err != nil {
		return d.deployError(ctx, "destroy", l, s, err, p)
	}
	return nil
}

// Outputs are the layer's stack outputs, secrets masked.
func (d *Deployer) Outputs(ctx context.Context, l layer.Layer) (map[string]any, error) {
	s, err := d.stack(ctx, l, false)
	if err != nil {
		return nil, err
	}
	out, err := s.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the outputs of %s: %w", d.StackName(l), engineErr(err))
	}
	return plainOutputs(out), nil
}

// Resources lists the resources the layer's state holds (logical name
// and type), providers and the stack itself left out.
func (d *Deployer) Resources(ctx context.Context, l layer.Layer) ([]string, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return stateResources(ctx, s)
}

// plainOutputs are output values with secrets masked.
func plainOutputs(out auto.OutputMap) map[string]any {
	m := map[string]any{}
	for k, v := range out {
		if v.Secret {
			m[k] = "[secret]"
			continue
		}
		m[k] = v.Value
	}
	return m
}

// PreviewDestroy summarises what destroying the layer would delete.
func (d *Deployer) PreviewDestroy(ctx context.Context, l layer.Layer) (Summary, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return Summary{Layer: string(l), Counts: map[Op]int{}}, nil
	}
	if err != nil {
		return Summary{}, err
	}
	var evs []events.EngineEvent
	err = d.streamed(func(ch chan<- events.EngineEvent) error {
		_, err := s.PreviewDestroy(ctx, optdestroy.EventStreams(ch))
		return err
	}, collect(&evs))
	if err != nil {
		return Summary{}, d.failed(ctx, "destroy preview", l, err, evs)
	}
	return summarize(string(l), evs), nil
}
