package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// newNodesCommand builds `mlops nodes` and its subcommands.
func newNodesCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{Use: "nodes", Short: "Operate the managed node groups", Args: noArgs}
	cmd.AddCommand(newNodesScaleCommand(env))
	cmd.AddCommand(newNodesRotateCommand(env))
	return cmd
}

// nodesScaleOptions are `mlops nodes scale`'s flags.
type nodesScaleOptions struct {
	DeployOptions
	Min, Max, Desired int
	ConfigOnly        bool
}

func newNodesScaleCommand(env Env) *cobra.Command {
	var o nodesScaleOptions
	cmd := &cobra.Command{
		Use:   "scale GROUP --stack dev|prod [--min N] [--max N] [--desired N] [--yes] [--config-only]",
		Short: "Resize a node group through the program: write its sizes to Pulumi.<stack>.yaml, then up the AWS layer",
		Long: "scale sets nodeGroups.<GROUP>.minSize/maxSize/desiredSize (GROUP is " + strings.Join(spec.NodeGroupNames, ", ") +
			") in Pulumi.<stack>.yaml, after the spec's own validation (minSize <= desiredSize <= maxSize; prod keeps " +
			"at least " + strconv.Itoa(spec.MinProdGeneralNodes) + " general nodes), then runs `mlops up --layer aws` " +
			"with its guardrails, preview, prod approval and progress: Pulumi stays the source of truth. Sizes not " +
			"given keep their current value. Deploys leave desiredSize of a live group to the cluster " +
			"autoscaler; scale's own deploy sends it too when --min or --desired is given (applyDesiredSize for that " +
			"deploy only), so EKS accepts a minSize above the live desired size.",
		Args: func(cmd *cobra.Command, args []string) error {
			return oneGroup(args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.checkStack(); err != nil {
				return err
			}
			sizes := map[string]*int{"min": &o.Min, "max": &o.Max, "desired": &o.Desired}
			changed := map[string]int{}
			for _, flag := range []string{"min", "max", "desired"} {
				if cmd.Flags().Changed(flag) {
					if *sizes[flag] < 0 {
						return UsageError{fmt.Errorf("--%s must not be negative, got %d", flag, *sizes[flag])}
					}
					changed[flag] = *sizes[flag]
				}
			}
			if len(changed) == 0 {
				return UsageError{errors.New("give at least one of --min, --max, --desired")}
			}
			return runNodesScale(cmd.Context(), env, o, args[0], changed)
		},
	}
	o.registerStack(cmd.Flags(), "scale")
	f := cmd.Flags()
	f.IntVar(&o.Min, "min", 0, "minimum number of nodes (minSize)")
	f.IntVar(&o.Max, "max", 0, "maximum number of nodes (maxSize)")
	f.IntVar(&o.Desired, "desired", 0, "desired number of nodes (desiredSize)")
	f.BoolVar(&o.ConfigOnly, "config-only", false, "write Pulumi.<stack>.yaml and stop; deploy later with mlops up")
	o.registerUp(f)
	return cmd
}

// upAWSLayer runs `mlops up --layer aws` for the stack o names: after a
// config change, the deploy machinery's guardrails, preview, gate,
// approval and progress.
func upAWSLayer(ctx context.Context, env Env, o DeployOptions) error {
	o.Layer = string(layer.AWS)
	s, err := openSession(ctx, env, o, []layer.Layer{layer.AWS}, deployCommand{name: "up", guardrails: true})
	if err != nil {
		return err
	}
	return runUp(ctx, s)
}

// registerUp adds the flags of the up that nodes scale and upgrade run.
func (o *DeployOptions) registerUp(f *pflag.FlagSet) {
	f.BoolVarP(&o.Yes, "yes", "y", false, "approve without a prompt (prod needs this off a terminal)")
	f.StringVar(&o.Backend, "backend", "", "state backend URL (default: the stack's backend key)")
	f.StringVar(&o.SecretsProvider, "secrets-provider", "", "secrets provider (default: the stack's secretsProvider key)")
	f.StringVar(&o.WorkDir, "workdir", "", "Automation API workspace directory (default ~/.mlops/workspaces/<stack>)")
}

// oneGroup checks a node group command's one argument.
func oneGroup(args []string) error {
	if len(args) != 1 {
		return UsageError{fmt.Errorf("takes one node group (%s), got %d arguments", strings.Join(spec.NodeGroupNames, ", "), len(args))}
	}
	return nil
}

func runNodesScale(ctx context.Context, env Env, o nodesScaleOptions, group string, changed map[string]int) error {
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return err
	}
	cur, err := r.Spec.NodeGroups.ByName(group)
	if err != nil {
		return UsageError{err}
	}
	if group != "general" {
		// Training and GPU capacity are Karpenter NodePools: no node group
		// to size, nodes launched for pending pods and removed when empty.
		return UsageError{fmt.Errorf("nodeGroups.%s is a Karpenter NodePool, launched for pending pods and scaled to zero when idle: it has no sizes to set; "+
			"cap it with nodeGroups.%[1]s.limits (cpu, memory, gpus), e.g. mlops up --stack %[2]s --set nodeGroups.%[1]s.limits.cpu=64", group, o.Stack)}
	}
	key := "nodeGroups." + group
	type size struct {
		field string
		from  int
		to    int
	}
	sizes := []size{{"minSize", cur.MinSize, cur.MinSize}, {"desiredSize", cur.DesiredSize, cur.DesiredSize}, {"maxSize", cur.MaxSize, cur.MaxSize}}
	for i, flag := range []string{"min", "desired", "max"} {
		if v, ok := changed[flag]; ok {
			sizes[i].to = v
		}
	}
	values := map[string]any{}
	var sets, changes []string
	for _, s := range sizes {
		values[key+"."+s.field] = s.to
		sets = append(sets, fmt.Sprintf("%s.%s=%d", key, s.field, s.to))
		if s.from != s.to {
			changes = append(changes, fmt.Sprintf("%s %d -> %d", s.field, s.from, s.to))
		}
	}
	// The spec's validation is the one judge of the new sizes.
	if _, err := o.source(o.Stack, env.Now()).With(sets...).Resolve(); err != nil {
		return err
	}
	file := stackFile(o.StackOptions)
	if len(changes) == 0 {
		fmt.Fprintf(env.Out, "%s: already %d/%d/%d (min/desired/max) in %s; nothing to change\n", key, sizes[0].to, sizes[1].to, sizes[2].to, file)
	} else {
		if err := stack.WriteConfig(file, values); err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "%s: %s (written to %s)\n", key, strings.Join(changes, ", "), file)
	}
	if o.ConfigOnly {
		fmt.Fprintf(env.Out, "deploy with: mlops up --stack %s --layer aws --dir %s\n", o.Stack, o.Dir)
		return nil
	}
	_, minSet := changed["min"]
	_, desiredSet := changed["desired"]
	if minSet || desiredSet {
		// This deploy sends desiredSize with the new minSize: EKS refuses a
		// minSize above the live desired size otherwise (review #20).
		// Not written to the stack file: later deploys leave it to the
		// autoscaler again.
		o.Sets = append(append([]string{}, o.Sets...), key+".applyDesiredSize=true")
	}
	return upAWSLayer(ctx, env, o.DeployOptions)
}

// stackFile is the stack's Pulumi.<stack>.yaml.
func stackFile(o StackOptions) string { return filepath.Join(o.Dir, spec.StackConfigFile(o.Stack)) }
