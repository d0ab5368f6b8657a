package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/upgrade"
)

// upgradeOptions are `mlops upgrade`'s flags.
type upgradeOptions struct {
	DeployOptions
	To       string
	PlanOnly bool
	Timeout  time.Duration
}

func newUpgradeCommand(env Env) *cobra.Command {
	var o upgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade --stack dev|prod --to 1.NN [--plan-only] [--yes]",
		Short: "Upgrade the cluster one Kubernetes minor version: checks, EKS upgrade insights, plan, then up",
		Long: "upgrade reads the live cluster (EKS), refuses a jump of more than one minor, a version EKS does not " +
			"offer (the calendar in internal/spec) or one without pinned add-on versions, and blocks on every EKS " +
			"upgrade insight in ERROR, naming each. It prints the plan — control plane, then the add-ons to the " +
			"versions pinned for the target minor, then the node groups one by one — and runs it as a series of " +
			"`mlops up --layer aws` (guardrails, preview, prod approval, progress): the first sets kubernetesVersion " +
			"with every node group pinned at its live version (nodeGroups.<group>.version), each next moves one " +
			"group's pin to the target. A failed deploy stops the upgrade naming what is done and what is not; " +
			"the same command resumes it, skipping what the live account already runs.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			if o.To == "" {
				return UsageError{errors.New("--to is required (the target minor version, e.g. 1.35)")}
			}
			if o.Timeout <= 0 {
				return UsageError{fmt.Errorf("--timeout must be positive, got %s", o.Timeout)}
			}
			return runUpgrade(cmd.Context(), env, o)
		},
	}
	o.register(cmd.Flags(), "upgrade")
	f := cmd.Flags()
	f.StringVar(&o.To, "to", "", "target Kubernetes minor version (one above the live one)")
	f.BoolVar(&o.PlanOnly, "plan-only", false, "check and print the plan; change nothing")
	f.DurationVar(&o.Timeout, "timeout", DefaultVerifyTimeout, "give up reading the account after this long")
	o.registerUp(f)
	return cmd
}

func runUpgrade(ctx context.Context, env Env, o upgradeOptions) error {
	log := env.logger()
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return err
	}
	cluster := r.Spec.ClusterName
	readCtx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	cfg, err := env.stackAWSConfig(readCtx, r.Spec)
	if err != nil {
		return err
	}
	eksc := eks.NewFromConfig(cfg)
	log.Info("reading the live cluster", "cluster", cluster, "region", r.Spec.Region)
	live, err := upgrade.ReadLive(readCtx, eksc, cluster)
	if err != nil {
		return err
	}
	plan, err := upgrade.NewPlan(cluster, live, o.To, env.Now())
	if err != nil {
		return &deploy.RefusedError{Reason: err.Error()}
	}
	// The spec validates the target as it will deploy it.
	if _, err := o.source(o.Stack, env.Now()).With("kubernetesVersion=" + o.To).Resolve(); err != nil {
		return err
	}
	log.Info("reading EKS upgrade insights", "cluster", cluster, "to", o.To)
	if err := upgrade.CheckInsights(readCtx, eksc, cluster, o.To); err != nil {
		return err
	}
	if err := output.Write(env.Out, o.Output, plan, func() []output.Section { return upgradeSections(plan) }); err != nil {
		return err
	}
	if o.PlanOnly {
		return nil
	}
	return runDeploys(ctx, env, o, plan)
}

// runDeploys writes each deploy's configuration and runs its up, one
// after the other; a failed one stops the upgrade with what is done, what
// is not, and the command that resumes.
func runDeploys(ctx context.Context, env Env, o upgradeOptions, plan *upgrade.Plan) error {
	file := stackFile(o.StackOptions)
	resume := "mlops upgrade --stack " + o.Stack + " --to " + o.To
	if o.Yes {
		resume += " --yes"
	}
	deploys := plan.Deploys()
	for _, d := range deploys {
		if err := stack.WriteConfig(file, d.Config); err != nil {
			return err
		}
		if d.N == 0 {
			fmt.Fprintf(env.Err, "upgrade: %s (written to %s; the control plane and add-ons are done)\n", d.Setting(), file)
			continue
		}
		fmt.Fprintf(env.Err, "upgrade deploy %d of %d: %s (written to %s)\n", d.N, plan.DeployCount(), d.Setting(), file)
		if err := upAWSLayer(ctx, env, o.DeployOptions); err != nil {
			return plan.Interrupted(d.N, resume, err)
		}
	}
	return nil
}

func upgradeSections(p *upgrade.Plan) []output.Section {
	s := output.Section{Header: []string{"#", "STEP", "NAME", "FROM", "TO", "DEPLOY"}}
	for i, st := range p.Steps {
		deploy := fmt.Sprint(st.Deploy)
		if st.Done {
			deploy = "done"
		}
		s.Rows = append(s.Rows, []string{fmt.Sprint(i + 1), st.Kind, st.Name, st.From, st.To, deploy})
	}
	lines := []string{"Deploys (mlops up --layer aws), one at a time, each writing to Pulumi.<stack>.yaml:"}
	for _, d := range p.Deploys() {
		n := fmt.Sprint(d.N)
		if d.N == 0 {
			n = "-"
		}
		lines = append(lines, fmt.Sprintf("  %s  %s", n, d.Setting()))
	}
	return []output.Section{{Title: []string{fmt.Sprintf("Upgrade %s from %s to %s (no upgrade insight in ERROR)", p.Cluster, p.From, p.To)}}, s, {Lines: lines}}
}
