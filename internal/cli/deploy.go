package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/teardown"
	"github.com/mlops-platform/mlops-platform/internal/tunnel"
)

// DeployOptions are the flags of preview, up, destroy, refresh and
// outputs, on top of the stack flags plan and cost share.
type DeployOptions struct {
	StackOptions
	// Layer is aws, cluster or all.
	Layer string
	// Backend and SecretsProvider override the stack's keys.
	Backend, SecretsProvider string
	// WorkDir holds the Automation API workspace (stack settings files).
	WorkDir string
	// PolicyDir holds extra Rego guardrails.
	PolicyDir string
	// Yes approves in advance.
	Yes bool
	// AllowReplace names the protected or stateful resources prod may
	// replace or delete.
	AllowReplace []string
	// ConfirmProdDestroy must repeat prod's cluster name for destroy.
	ConfirmProdDestroy string
	// Tunnel reaches a private endpoint through the bastion (SSM).
	Tunnel bool
}

// deployCommand is one of the deploy commands.
type deployCommand struct {
	name, short, long string
	// guardrails run first; a failed mandatory control blocks.
	guardrails bool
	// refuse, when set, may refuse the resolved stack before any engine
	// or backend is touched.
	refuse func(env Env, o DeployOptions, r *stack.Resolved) error
	run    func(ctx context.Context, s *session) error
	flags  func(cmd *cobra.Command, o *DeployOptions)
}

func newDeployCommands(env Env) []*cobra.Command {
	yes := func(cmd *cobra.Command, o *DeployOptions) {
		cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "approve without a prompt (prod needs this off a terminal)")
	}
	policies := func(cmd *cobra.Command, o *DeployOptions) {
		cmd.Flags().StringVar(&o.PolicyDir, "policy-dir", "", "directory of extra Rego guardrails, evaluated with the built-in ones")
	}
	cmds := []deployCommand{
		{name: "preview", short: "Guardrails, then the engine's preview of a deploy: creates, updates, replaces and deletes",
			guardrails: true, run: runPreview, flags: policies},
		{name: "up", short: "Deploy the stack's layers (aws, then cluster): guardrails, preview, gate, approval, progress",
			long: "up runs the guardrails, previews each layer, refuses in prod to replace or delete a protected or " +
				"stateful resource unless --allow-replace names it, asks for approval in prod (or --yes), and deploys " +
				"with progress from the engine's events.",
			guardrails: true, run: runUp, flags: func(cmd *cobra.Command, o *DeployOptions) {
				policies(cmd, o)
				yes(cmd, o)
				cmd.Flags().StringArrayVar(&o.AllowReplace, "allow-replace", nil,
					"logical name of a protected or stateful resource prod may replace or delete, e.g. nodes-general (repeatable)")
			}},
		{name: "destroy", short: "Tear the stack down: the cluster layer, then the AWS layer (prod refuses)",
			refuse: refuseProdDestroy, run: runDestroy, flags: func(cmd *cobra.Command, o *DeployOptions) {
				yes(cmd, o)
				cmd.Flags().StringVar(&o.ConfirmProdDestroy, "confirm-prod-destroy", "",
					"the prod cluster's name, after lifting its protections deliberately")
			}},
		{name: "refresh", short: "Read the layers' resources back from the cloud into the state", run: runRefresh},
		{name: "outputs", short: "The deployed stack's outputs: cluster, endpoint, URLs, inference domain, kubeconfig command",
			run: runOutputs},
	}
	var out []*cobra.Command
	for _, dc := range cmds {
		out = append(out, dc.command(env))
	}
	return out
}

func (dc deployCommand) command(env Env) *cobra.Command {
	var o DeployOptions
	cmd := &cobra.Command{
		Use:   dc.name + " --stack dev|prod [--layer aws|cluster|all] [flags]",
		Short: dc.short,
		Long:  dc.long,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			layers, err := layer.Parse(o.Layer)
			if err != nil {
				return UsageError{err}
			}
			s, err := openSession(cmd.Context(), env, o, layers, dc)
			if err != nil {
				return err
			}
			defer s.close()
			return dc.run(cmd.Context(), s)
		},
	}
	o.register(cmd.Flags(), dc.name)
	f := cmd.Flags()
	f.StringVar(&o.Layer, "layer", "all", "layer: aws, cluster (needs the cluster's API endpoint), or all in order")
	f.StringVar(&o.Backend, "backend", "", "state backend URL (default: the stack's backend key; dev: "+deploy.DefaultDevBackend+")")
	f.StringVar(&o.SecretsProvider, "secrets-provider", "", "secrets provider (default: the stack's secretsProvider key; dev: passphrase)")
	f.StringVar(&o.WorkDir, "workdir", "", "Automation API workspace directory (default ~/.mlops/workspaces/<stack>)")
	if dc.name != "outputs" {
		f.BoolVar(&o.Tunnel, "tunnel", false, "reach a private cluster endpoint through an SSM session via the bastion "+
			"(needs AWS's session-manager-plugin on PATH); without it, run the cluster layer from inside the VPC")
	}
	if dc.flags != nil {
		dc.flags(cmd, &o)
	}
	return cmd
}

// session is one deploy command's resolved stack and deployer.
type session struct {
	env    Env
	o      DeployOptions
	r      *stack.Resolved
	d      *deploy.Deployer
	layers []layer.Layer
	tty    bool
	width  int
	// tun and proxy are the SSM tunnel of --tunnel, once opened.
	tun   *tunnel.Tunnel
	proxy *tunnel.Proxy
}

func openSession(ctx context.Context, env Env, o DeployOptions, layers []layer.Layer, dc deployCommand) (*session, error) {
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return nil, err
	}
	for _, w := range r.Warnings {
		fmt.Fprintln(env.Err, "warning:", w.Error())
	}
	if dc.refuse != nil {
		if err := dc.refuse(env, o, r); err != nil {
			return nil, err
		}
	}
	if dc.guardrails {
		// A placeholder CIDR plans, but no one could reach what it deploys.
		if errs := spec.UnreachablePublicAccess(r.Spec); len(errs) > 0 {
			return nil, errs
		}
		if err := runGuardrails(ctx, env, o, r); err != nil {
			return nil, err
		}
	}
	deployment := env.Deployment
	if deployment == nil {
		deployment = func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) { return deployOptions(env, r, o) }
	}
	opts, err := deployment(r, o)
	if err != nil {
		return nil, err
	}
	if dc.guardrails {
		if err := checkCertificate(ctx, env, r.Spec); err != nil {
			return nil, err
		}
	}
	d, err := deploy.New(opts)
	if err != nil {
		return nil, err
	}
	tty, width := env.Terminal()
	return &session{env: env, o: o, r: r, d: d, layers: layers, tty: tty, width: width}, nil
}

// runGuardrails evaluates the stack offline and runs the guardrails; a
// failed mandatory control blocks with ExitPolicyDenied.
func runGuardrails(ctx context.Context, env Env, o DeployOptions, r *stack.Resolved) error {
	res, err := r.Evaluate(ctx)
	if err != nil {
		return err
	}
	rep, err := evaluateGuardrails(ctx, env, PlanOptions{StackOptions: o.StackOptions, PolicyDir: o.PolicyDir}, res.Document())
	if err != nil {
		return err
	}
	if err := deployVerdict(rep); err != nil {
		fmt.Fprintf(env.Err, "guardrails: a deploy needs every mandatory control to pass; `mlops plan --stack %s` shows what to change\n", o.Stack)
		return err
	}
	fmt.Fprintf(env.Err, "guardrails: passed (%d resources evaluated offline)\n", len(res.Graph.Resources))
	return nil
}

// deployVerdict is a PolicyDeniedError when a mandatory control failed or
// is pending: a deploy refuses what the offline plan only warns about
// (Report.Blocking), naming the keys pending results wait for.
func deployVerdict(r *policy.Report) error {
	blocking := r.Blocking()
	if len(blocking) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var controls []string
	for _, x := range blocking {
		if !seen[x.Control] {
			seen[x.Control] = true
			controls = append(controls, x.Control)
		}
	}
	sort.Strings(controls)
	err := PolicyDeniedError{Controls: controls}
	if keys := r.PendingInputs(); len(keys) > 0 {
		return fmt.Errorf("%w (pending until set: %s)", err, strings.Join(keys, ", "))
	}
	return err
}

// deployOptions resolves the backend, secrets provider, CLI and workspace
// from the flags, the stack's keys and the environment.
func deployOptions(env Env, r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return deploy.Options{}, fmt.Errorf("finding the home directory: %w", err)
	}
	backend, err := deploy.Backend(o.Backend, r.Spec, home)
	if err != nil {
		return deploy.Options{}, err
	}
	secrets, vars, err := deploy.Secrets(o.SecretsProvider, r.Spec, env.Getenv)
	if err != nil {
		return deploy.Options{}, err
	}
	pulumi, err := deploy.FindPulumi(env.Getenv, exec.LookPath)
	if err != nil {
		return deploy.Options{}, err
	}
	work := o.WorkDir
	if work == "" {
		work = filepath.Join(home, ".mlops", "workspaces", r.Stack)
	}
	return deploy.Options{Env: r.Stack, Program: r.LayerProgram, Backend: backend, SecretsProvider: secrets, Pulumi: pulumi, WorkDir: work, Vars: vars}, nil
}

// approval is prod's approval: --yes, or a prompt on a terminal.
func (s *session) approval() deploy.Approval {
	return deploy.Approval{Required: s.r.Spec.IsProd(), Yes: s.o.Yes, TTY: s.tty, In: s.env.In, Out: s.env.Err}
}

func (s *session) progress(total int) *deploy.Progress {
	return deploy.NewProgress(s.env.Err, s.tty, s.width, total, s.env.Now)
}

// command is the mlops command line of verb on layer l with this one's
// stack, overrides and deploy flags (it resumes what this one started).
func (s *session) command(verb string, l layer.Layer) string {
	c := fmt.Sprintf("mlops %s --stack %s --layer %s", verb, s.o.Stack, l)
	if s.o.Tunnel && l != layer.AWS {
		c += " --tunnel"
	}
	for _, set := range s.o.Sets {
		c += fmt.Sprintf(" --set '%s'", set)
	}
	for _, f := range [][2]string{{"--dir", s.o.Dir}, {"--backend", s.o.Backend}, {"--secrets-provider", s.o.SecretsProvider}, {"--workdir", s.o.WorkDir}} {
		if f[1] != "" && !(f[0] == "--dir" && f[1] == ".") {
			c += " " + f[0] + " " + f[1]
		}
	}
	return c
}

// resumeLayer is the --layer that resumes this command: the one given.
func (s *session) resumeLayer() layer.Layer {
	if s.o.Layer == "" {
		return "all"
	}
	return layer.Layer(s.o.Layer)
}

// reachCluster checks, before the cluster layer runs, that the AWS layer
// is deployed and the cluster's endpoint answers from here.
func (s *session) reachCluster(ctx context.Context) error {
	outs, err := s.d.Outputs(ctx, layer.AWS)
	if errors.Is(err, deploy.ErrNoStack) {
		return fmt.Errorf("the AWS layer (stack %s) is not deployed: run %s first", s.d.StackName(layer.AWS), s.command("up", layer.AWS))
	}
	if err != nil {
		return err
	}
	ep, _ := outs["clusterEndpoint"].(string)
	private := !s.r.Spec.ClusterEndpointPublicAccess
	if !s.o.Tunnel {
		return deploy.CheckEndpoint(ctx, ep, s.o.Stack, private, 10*time.Second)
	}
	via, err := s.openTunnel(ctx, outs, ep)
	if err != nil {
		return err
	}
	return deploy.CheckEndpointVia(ctx, ep, via, s.o.Stack, private, 10*time.Second)
}

// previewLayer previews one layer, after checking that the cluster layer
// can reach the API endpoint.
func (s *session) previewLayer(ctx context.Context, l layer.Layer) (deploy.Summary, error) {
	if l == layer.Cluster {
		if err := s.reachCluster(ctx); err != nil {
			return deploy.Summary{}, err
		}
	}
	return s.d.Preview(ctx, l)
}

func runPreview(ctx context.Context, s *session) error {
	var all []deploy.Summary
	for _, l := range s.layers {
		sum, err := s.previewLayer(ctx, l)
		if err != nil {
			return err
		}
		all = append(all, sum)
	}
	return writeSummaries(s.env.Out, s.o.Output, s.d, s.r.Spec.IsProd(), all, false)
}

func runUp(ctx context.Context, s *session) error {
	for _, l := range s.layers {
		sum, err := s.previewLayer(ctx, l)
		if err != nil {
			return err
		}
		if err := writeSummaries(s.env.Err, "table", s.d, s.r.Spec.IsProd(), []deploy.Summary{sum}, false); err != nil {
			return err
		}
		if sum.Empty() {
			continue
		}
		if err := deploy.Gate(s.r.Spec.IsProd(), sum, s.o.AllowReplace); err != nil {
			return err
		}
		if err := s.approval().Ask(ctx, fmt.Sprintf("Deploy to %s: %s?", s.d.StackName(l), sum.Line())); err != nil {
			return err
		}
		p := s.progress(len(sum.Changes))
		start := s.env.Now()
		if _, err := s.d.Up(ctx, l, p); err != nil {
			s.explainFailure("up", err)
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: %d of %d changes done in %s\n", s.d.StackName(l), p.Done(), len(sum.Changes), s.env.Now().Sub(start).Round(time.Second))
	}
	return writeOutputs(ctx, s)
}

func runRefresh(ctx context.Context, s *session) error {
	for _, l := range s.layers {
		if l == layer.Cluster {
			if err := s.reachCluster(ctx); err != nil {
				return err
			}
		}
		if err := s.d.Refresh(ctx, l, s.progress(0)); err != nil {
			s.explainFailure("refresh", err)
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: refreshed\n", s.d.StackName(l))
	}
	return nil
}

// refuseProdDestroy refuses to destroy prod unless --confirm-prod-destroy
// repeats its cluster's name, and explains its protections.
func refuseProdDestroy(env Env, o DeployOptions, r *stack.Resolved) error {
	if r.Spec.IsProd() && o.ConfirmProdDestroy != r.Spec.ClusterName {
		fmt.Fprintln(env.Err, prodDestroyExplanation(r.Spec, o.Stack))
		return &deploy.RefusedError{Reason: "prod is not destroyed by default; see above for its protections and how to lift them"}
	}
	return nil
}

func runDestroy(ctx context.Context, s *session) error {
	order := slices.Clone(s.layers)
	slices.Reverse(order)
	for i, l := range order {
		inCluster := false
		if l == layer.Cluster {
			if rem, err := s.d.Resources(ctx, l); err == nil && len(rem) > 0 {
				if err := s.reachCluster(ctx); err != nil {
					return err
				}
				inCluster = true
			}
		}
		sum, err := s.d.PreviewDestroy(ctx, l)
		if err != nil {
			return err
		}
		if sum.Empty() {
			fmt.Fprintf(s.env.Err, "%s: nothing to destroy\n", s.d.StackName(l))
			continue
		}
		if err := writeSummaries(s.env.Err, "table", s.d, s.r.Spec.IsProd(), []deploy.Summary{sum}, true); err != nil {
			return err
		}
		if inCluster {
			fmt.Fprintln(s.env.Err, teardownNotice)
		}
		if err := s.approval().Ask(ctx, fmt.Sprintf("Destroy %s: %s?", s.d.StackName(l), sum.Line())); err != nil {
			return err
		}
		var tc *teardown.Cluster
		if inCluster {
			if tc, err = s.teardown(ctx); err == nil {
				err = tc.BeforeClusterLayer(ctx)
			}
			if err != nil {
				return fmt.Errorf("%w; nothing of %s was destroyed yet; resume with %s", err, s.d.StackName(l), s.command("destroy", s.resumeLayer()))
			}
		}
		if err := s.d.Destroy(ctx, l, s.progress(len(sum.Changes))); err != nil {
			s.explainFailure("destroy", err)
			for _, rest := range order[i+1:] {
				if rem, rerr := s.d.Resources(ctx, rest); rerr == nil && len(rem) > 0 {
					fmt.Fprintf(s.env.Err, "%s still holds %d resources (not started)\n", s.d.StackName(rest), len(rem))
				}
			}
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: destroyed\n", s.d.StackName(l))
		if tc != nil {
			if err := tc.AfterClusterLayer(ctx); err != nil {
				return fmt.Errorf("%w; %s is destroyed and %s untouched; resume with %s", err, s.d.StackName(l),
					layer.AWS.StackName(s.o.Stack), s.command("destroy", s.resumeLayer()))
			}
		}
	}
	return nil
}

// explainFailure prints what a failed operation left and how to resume.
func (s *session) explainFailure(verb string, err error) {
	var de *deploy.Error
	if !errors.As(err, &de) {
		return
	}
	w := s.env.Err
	fmt.Fprintf(w, "\n%s of %s failed.\n", verb, de.Stack)
	if len(de.Remaining) > 0 {
		fmt.Fprintf(w, "The state of %s holds %d resources:\n", de.Stack, len(de.Remaining))
		for _, r := range de.Remaining {
			fmt.Fprintln(w, "  "+r)
		}
	} else {
		fmt.Fprintf(w, "The state of %s holds no resources.\n", de.Stack)
	}
	fmt.Fprintf(w, "Fix the failure reported below, then resume with:\n  %s\n", s.command(verb, s.resumeLayer()))
}

// prodDestroyExplanation says what protects prod and how to lift each
// protection deliberately. The guardrails keep `mlops up` from turning a
// protection off in prod (controls 33, 51 and the protect checks), so
// each is lifted on the deployed stack, outside the program.
func prodDestroyExplanation(sp *spec.Spec, env string) string {
	cluster, awsStack := sp.ClusterName, layer.AWS.StackName(env)
	return strings.Join([]string{
		"Refusing to destroy " + env + ". Its data is protected three ways, and the guardrails keep `mlops up` from",
		"turning any of them off in prod; lift each deliberately on the deployed stack:",
		"  1. Pulumi protect (protectStatefulResources): the engine refuses to delete the database, the artifact and",
		"     access-log buckets and the KMS keys. Lift: pulumi login <backend>; pulumi state unprotect --stack " + awsStack + " --all",
		"  2. RDS deletion protection (database.deletionProtection): AWS refuses to delete the instance. Lift:",
		"     aws rds modify-db-instance --db-instance-identifier " + sp.DatabaseIdentifier() + " --no-deletion-protection --apply-immediately",
		"     (the destroy still takes the final snapshot the stack names).",
		"  3. S3 versioning (artifacts.versioning, artifacts.forceDestroy=false): a bucket that still holds objects or object",
		"     versions cannot be deleted. Lift: copy what you keep, then empty the artifact and access-log buckets, every",
		"     version included (S3 console: Empty bucket).",
		"  The KMS keys are not deleted at once: AWS schedules their deletion after kms.deletionWindowDays.",
		"Then: mlops destroy --stack " + env + " --confirm-prod-destroy " + cluster,
	}, "\n")
}
