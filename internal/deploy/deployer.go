package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
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
}

// Deployer runs the layers' stacks through the Automation API.
type Deployer struct {
	opts Options
	cmd  auto.PulumiCommand
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
		return s, fmt.Errorf("opening stack %s in %s: %w", name, d.opts.Backend, err)
	}
	if err := checkPlugins(ctx, s.Workspace(), string(l), d.env()); err != nil {
		return s, err
	}
	return s, nil
}

// Preview previews the layer and summarises its changes.
func (d *Deployer) Preview(ctx context.Context, l layer.Layer) (Summary, error) {
	s, err := d.stack(ctx, l, true)
	if err != nil {
		return Summary{}, err
	}
	rec, ch := collect()
	res, err := s.Preview(ctx, optpreview.EventStreams(ch))
	evs := rec.wait()
	if err != nil {
		return Summary{}, d.failed("preview", l, err, res.StdErr, evs)
	}
	return summarize(string(l), evs), nil
}

// Up deploys the layer, rendering progress to w.
func (d *Deployer) Up(ctx context.Context, l layer.Layer, p *Progress) (map[string]any, error) {
	s, err := d.stack(ctx, l, true)
	if err != nil {
		return nil, err
	}
	ch := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() { p.Run(ctx, ch); close(done) }()
	res, err := s.Up(ctx, optup.EventStreams(ch))
	<-done
	if err != nil {
		return nil, d.deployError(ctx, "up", l, s, err, res.StdErr, p)
	}
	return plainOutputs(res.Outputs), nil
}

// Refresh reads the layer's resources back from the cloud.
func (d *Deployer) Refresh(ctx context.Context, l layer.Layer, p *Progress) error {
	s, err := d.stack(ctx, l, false)
	if err != nil {
		return err
	}
	ch := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() { p.Run(ctx, ch); close(done) }()
	res, err := s.Refresh(ctx, optrefresh.EventStreams(ch))
	<-done
	if err != nil {
		return d.deployError(ctx, "refresh", l, s, err, res.StdErr, p)
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
	ch := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() { p.Run(ctx, ch); close(done) }()
	res, err := s.Destroy(ctx, optdestroy.EventStreams(ch))
	<-done
	if err != nil {
		return d.deployError(ctx, "destroy", l, s, err, res.StdErr, p)
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
		return nil, fmt.Errorf("reading the outputs of %s: %w", d.StackName(l), err)
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

func stateResources(ctx context.Context, s auto.Stack) ([]string, error) {
	dep, err := s.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", s.Name(), err)
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

// Error is a failed engine operation on a layer: what failed, what the
// state still holds, and how to resume.
type Error struct {
	Op       string    `json:"op"`
	Layer    string    `json:"layer"`
	Stack    string    `json:"stack"`
	Failures []Failure `json:"failures"`
	// Remaining are the resources in the layer's state after the failure.
	Remaining []string `json:"remaining"`
	// Detail is the engine's error when no resource failure explains it.
	Detail string `json:"detail,omitempty"`
	Err    error  `json:"-"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of layer %s (stack %s) failed", e.Op, e.Layer, e.Stack)
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s (%s): %s", f.Name, f.Type, f.Message)
	}
	if len(e.Failures) == 0 && e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func (d *Deployer) deployError(ctx context.Context, op string, l layer.Layer, s auto.Stack, err error, stderr string, p *Progress) error {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return fmt.Errorf("%s of %s interrupted: %w", op, d.StackName(l), context.Canceled)
	}
	e := &Error{Op: op, Layer: string(l), Stack: d.StackName(l), Failures: p.Failures(), Err: err, Detail: lastLines(stderr, err)}
	// The state after the failure: a fresh context, so that reading it
	// does not depend on the one that may be expiring.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if rem, rerr := stateResources(rctx, s); rerr == nil {
		e.Remaining = rem
	}
	return e
}

// failed is a failed preview: a RefusedError when Pulumi protect is what
// refused, else an Error.
func (d *Deployer) failed(op string, l layer.Layer, err error, stderr string, evs []events.EngineEvent) error {
	p := NewProgress(io.Discard, false, 0, 0, nil)
	for _, e := range evs {
		p.Handle(e)
	}
	var protected []string
	for _, f := range p.Failures() {
		if strings.Contains(f.Message, "because it is protected") || strings.Contains(f.Message, "marked for protection") {
			protected = append(protected, f.Name+" ("+f.Type+")")
		}
	}
	if len(protected) > 0 {
		sort.Strings(protected)
		return &RefusedError{Reason: fmt.Sprintf("Pulumi protect keeps the engine from replacing or deleting %s in %s; "+
			"--allow-replace does not lift protect: unprotect deliberately first (pulumi state unprotect --stack %s '<urn>')",
			strings.Join(protected, ", "), d.StackName(l), d.StackName(l))}
	}
	return &Error{Op: op, Layer: string(l), Stack: d.StackName(l), Failures: p.Failures(), Err: err, Detail: lastLines(stderr, err)}
}

// lastLines is the useful end of the CLI's stderr, or the error.
func lastLines(stderr string, err error) string {
	text := strings.TrimSpace(stderr)
	if text == "" {
		text = err.Error()
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 6 {
		lines = lines[len(lines)-6:]
	}
	return strings.Join(lines, "\n")
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

// recorder collects events in order.
type recorder struct {
	evs  []events.EngineEvent
	done chan struct{}
}

func collect() (*recorder, chan events.EngineEvent) {
	r := &recorder{done: make(chan struct{})}
	ch := make(chan events.EngineEvent)
	go func() {
		defer close(r.done)
		for e := range ch {
			r.evs = append(r.evs, e)
		}
	}()
	return r, ch
}

func (r *recorder) wait() []events.EngineEvent { <-r.done; return r.evs }

// PreviewDestroy summarises what destroying the layer would delete.
func (d *Deployer) PreviewDestroy(ctx context.Context, l layer.Layer) (Summary, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return Summary{Layer: string(l), Counts: map[Op]int{}}, nil
	}
	if err != nil {
		return Summary{}, err
	}
	rec, ch := collect()
	res, err := s.PreviewDestroy(ctx, optdestroy.EventStreams(ch))
	evs := rec.wait()
	if err != nil {
		return Summary{}, d.failed("destroy preview", l, err, res.StdErr, evs)
	}
	return summarize(string(l), evs), nil
}
