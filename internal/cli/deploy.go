package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/savedplan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
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
	// NoSave keeps up's --set overrides out of the stack file.
	NoSave bool
	// Diff shows every resource's inputs in the preview, values whole.
	Diff bool
	// ExpectNoChanges makes preview fail (ExitDrift) when anything would
	// change.
	ExpectNoChanges bool
	// File is where kubeconfig writes (standard output when empty).
	File string
	// SavePlan is where preview saves the engine's plans and their summary.
	SavePlan string
	// Plan is the saved plan up applies, and PlanMaxAge the oldest it takes.
	Plan       string
	PlanMaxAge time.Duration
	// Timeout bounds drift's verify.
	Timeout time.Duration
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
	policies := func(cmd *cobra.Command, o *DeployOptions) {
		cmd.Flags().StringVar(&o.PolicyDir, "policy-dir", "", "directory of extra Rego guardrails, evaluated with the built-in ones")
	}
	cmds := []deployCommand{
		{name: "preview", short: "Guardrails, then the engine's preview of a deploy: creates, updates, replaces and deletes",
			long: "preview lists each change with the inputs it alters (old → new, secrets masked) and, for a " +
				"replacement, the inputs that force it; --diff shows every resource's inputs in full; " +
				"--expect-no-changes exits 9 when anything would change (CI drift detection); --save-plan FILE " +
				"saves the engine's update plan of each layer and a summary for up --plan.",
			guardrails: true, run: runPreview, flags: func(cmd *cobra.Command, o *DeployOptions) {
				policies(cmd, o)
				diffFlag(cmd, o)
				cmd.Flags().StringVar(&o.SavePlan, "save-plan", "",
					"save each layer's engine update plan next to FILE and, in FILE, a summary (stack, state, changes, guardrails, cost, hashes) for up --plan")
				cmd.Flags().BoolVar(&o.ExpectNoChanges, "expect-no-changes", false,
					"exit 9 when the preview would change anything (for CI)")
			}},
		{name: "up", short: "Deploy the stack's layers (aws, then cluster): guardrails, preview, gate, approval, progress",
			long: "up runs the guardrails, previews each layer, refuses in prod to replace or delete a protected or " +
				"stateful resource unless --allow-replace names it, asks for approval in prod (or --yes), and deploys " +
				"with progress from the engine's events. Once deployed, its --set overrides are written into " +
				"Pulumi.<stack>.yaml (comments kept), so the next up keeps them; --no-save deploys them this once.",
			guardrails: true, run: runUpCommand, flags: func(cmd *cobra.Command, o *DeployOptions) {
				policies(cmd, o)
				diffFlag(cmd, o)
				yesFlag(cmd, o)
				cmd.Flags().BoolVar(&o.NoSave, "no-save", false,
					"deploy the --set overrides without writing them into Pulumi.<stack>.yaml (the next up without them reverts them)")
				cmd.Flags().StringVar(&o.Plan, "plan", "",
					"apply exactly the plan preview --save-plan saved in FILE (refused, exit 11, when the program, configuration or state changed, or it is too old)")
				cmd.Flags().DurationVar(&o.PlanMaxAge, "plan-max-age", savedplan.DefaultMaxAge, "the oldest saved plan --plan applies")
				cmd.Flags().StringArrayVar(&o.AllowReplace, "allow-replace", nil,
					"logical name of a protected or stateful resource prod may replace or delete, e.g. nodes-general (repeatable)")
			}},
		{name: "destroy", short: "Tear the stack down: the cluster layer, then the AWS layer (prod refuses)",
			refuse: refuseProdDestroy, run: runDestroy, flags: func(cmd *cobra.Command, o *DeployOptions) {
				yesFlag(cmd, o)
				cmd.Flags().StringVar(&o.ConfirmProdDestroy, "confirm-prod-destroy", "",
					"the prod cluster's name, after lifting its protections deliberately")
			}},
		{name: "refresh", short: "Read the layers' resources back from the cloud into the state", run: runRefresh},
		{name: "outputs", short: "The deployed stack's outputs: cluster, endpoint, URLs, inference domain, kubeconfig command",
			run: runOutputs},
		{name: "kubeconfig", short: "A kubeconfig for the stack's cluster whose user runs mlops eks-token (no aws CLI)",
			run: runKubeconfig, flags: func(cmd *cobra.Command, o *DeployOptions) {
				cmd.Flags().StringVar(&o.File, "file", "", "write the kubeconfig to this file (mode 0600) instead of standard output")
			}},
		unlockCommand,
		driftCommand,
		{name: "history", short: "Each layer's updates from the state: when, who, and the configuration keys each deploy changed",
			long: "history reads each layer's update history from the state backend. Every mlops up records who ran it " +
				"($USER), the command with its --set values and the effective configuration; history shows, per " +
				"update, when it started, its kind and result, who, and the keys it changed since the previous " +
				"recorded deploy (old → new). -o json adds the command.",
			run: runHistory},
	}
	var out []*cobra.Command
	for _, dc := range cmds {
		out = append(out, dc.command(env))
	}
	return out
}

// diffFlag adds --diff.
func diffFlag(cmd *cobra.Command, o *DeployOptions) {
	cmd.Flags().BoolVar(&o.Diff, "diff", false,
		"show every resource's inputs in the preview (creates and deletes too), values in full; without it, one line per changed input of each update and replacement")
}

// yesFlag adds --yes.
func yesFlag(cmd *cobra.Command, o *DeployOptions) {
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "approve without a prompt (needed off a terminal where a prompt would ask)")
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
	if dc.name != "outputs" && dc.name != "unlock" && dc.name != "kubeconfig" && dc.name != "history" {
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
	// checked is the stack evaluated offline and its guardrail verdicts
	// (preview and up).
	checked checkedStack
	// planned are the layers preview --save-plan saved so far.
	planned []savedplan.Layer
}

func openSession(ctx context.Context, env Env, o DeployOptions, layers []layer.Layer, dc deployCommand) (*session, error) {
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return nil, err
	}
	// The configuration's warnings are about what a deploy would build;
	// nothing of it matters to a destroy.
	for _, w := range r.Warnings {
		if dc.name != "destroy" {
			fmt.Fprintln(env.Err, "warning:", w.Error())
		}
	}
	if dc.refuse != nil {
		if err := dc.refuse(env, o, r); err != nil {
			return nil, err
		}
	}
	var unmet Preconditions
	var checked checkedStack
	if dc.guardrails {
		// A placeholder CIDR plans, but no one could reach what it deploys.
		if errs := spec.UnreachablePublicAccess(r.Spec); len(errs) > 0 {
			return nil, errs
		}
		var err error
		if checked.res, checked.rep, err = runGuardrails(ctx, env, o, r); err != nil {
			var denied PolicyDeniedError
			if !errors.As(err, &denied) {
				return nil, err
			}
			unmet = unmet.add(err)
		}
	}
	deployment := env.Deployment
	if deployment == nil {
		deployment = func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) { return deployOptions(env, r, o) }
	}
	opts, err := deployment(r, o)
	unmet = unmet.add(err)
	if opts.Record, err = deployRecord(env, o, r); err != nil {
		return nil, err
	}
	// The certificate and the add-on pins are checked in AWS once nothing
	// offline is unmet.
	if dc.guardrails && len(unmet) == 0 {
		unmet = unmet.add(checkCertificate(ctx, env, r.Spec))
		unmet = unmet.add(checkAddons(ctx, env, r.Spec))
	}
	if err := unmet.err(); err != nil {
		return nil, err
	}
	d, err := deploy.New(opts)
	if err != nil {
		return nil, err
	}
	tty, width := env.Terminal()
	return &session{env: env, o: o, r: r, d: d, layers: layers, tty: tty, width: width, checked: checked}, nil
}

// deployOptions resolves the backend, secrets provider, CLI and workspace
// from the flags, the stack's keys and the environment.
func deployOptions(env Env, r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return deploy.Options{}, fmt.Errorf("finding the home directory: %w", err)
	}
	var unmet Preconditions
	backend, err := deploy.Backend(o.Backend, r.Spec, home)
	unmet = unmet.add(err)
	secrets, vars, err := deploy.Secrets(o.SecretsProvider, r.Spec, env.Getenv)
	unmet = unmet.add(err)
	pulumi, err := deploy.FindPulumi(env.Getenv, exec.LookPath)
	unmet = unmet.add(err)
	if err := unmet.err(); err != nil {
		return deploy.Options{}, err
	}
	work := o.WorkDir
	if work == "" {
		work = filepath.Join(home, ".mlops", "workspaces", r.Stack)
	}
	return deploy.Options{Env: r.Stack, Program: r.LayerProgram, Backend: backend, SecretsProvider: secrets, Pulumi: pulumi, WorkDir: work, Vars: vars}, nil
}
