package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/spf13/cobra"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/mlops-platform/mlops-platform/internal/rotate"
)

// nodesRotateOptions are `mlops nodes rotate`'s flags.
type nodesRotateOptions struct {
	StackOptions
	Kubeconfig string
	Force      bool
	Timeout    time.Duration
	Poll       time.Duration
}

func newNodesRotateCommand(env Env) *cobra.Command {
	var o nodesRotateOptions
	cmd := &cobra.Command{
		Use:   "rotate GROUP --stack dev|prod [--kubeconfig PATH] [--force] [--timeout 90m]",
		Short: "Replace a node group's nodes with the latest AMI release, after a PodDisruptionBudget pre-check",
		Long: "rotate lists the pods on the group's nodes (kubeconfig: --kubeconfig, KUBECONFIG or ~/.kube/config) and " +
			"refuses, naming each pod and its PodDisruptionBudget, when a budget allows no disruption; then it starts " +
			"an EKS node group version update (without force unless --force) and watches it to the end with progress. " +
			"An update already running on the group (an interrupted rotation) is resumed, not started again.",
		Args: func(_ *cobra.Command, args []string) error { return oneGroup(args) },
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.checkStack(); err != nil {
				return err
			}
			if o.Timeout <= 0 || o.Poll <= 0 {
				return UsageError{fmt.Errorf("--timeout and --poll must be positive, got %s and %s", o.Timeout, o.Poll)}
			}
			return runNodesRotate(cmd.Context(), env, o, args[0])
		},
	}
	o.registerStack(cmd.Flags(), "rotate")
	f := cmd.Flags()
	f.StringVar(&o.Kubeconfig, "kubeconfig", "", "kubeconfig of the cluster (default: KUBECONFIG, then ~/.kube/config)")
	f.BoolVar(&o.Force, "force", false, "replace nodes even where a PodDisruptionBudget blocks (EKS force update)")
	f.DurationVar(&o.Timeout, "timeout", 90*time.Minute, "stop watching after this long (the update goes on; rerun to resume)")
	f.DurationVar(&o.Poll, "poll", 30*time.Second, "interval between status reads")
	return cmd
}

func runNodesRotate(ctx context.Context, env Env, o nodesRotateOptions, group string) error {
	log := env.logger()
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return err
	}
	if _, err := r.Spec.NodeGroups.ByName(group); err != nil {
		return UsageError{err}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	cfg, err := env.stackAWSConfig(ctx, r.Spec)
	if err != nil {
		return err
	}
	eksc := eks.NewFromConfig(cfg)
	name, err := rotate.FindNodegroup(ctx, eksc, r.Spec.ClusterName, group+"-")
	if err != nil {
		return err
	}
	rest, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.Kubeconfig, Precedence: clientcmd.NewDefaultClientConfigLoadingRules().Precedence},
		&clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		return fmt.Errorf("kubeconfig for the PodDisruptionBudget pre-check: %w", err)
	}
	kube, err := dynamic.NewForConfig(rest)
	if err != nil {
		return fmt.Errorf("kubeconfig for the PodDisruptionBudget pre-check: %w", err)
	}
	if err := rotate.CheckPDBs(ctx, kube, name); err != nil {
		var blocked *rotate.BlockedError
		if !o.Force || !errors.As(err, &blocked) {
			return err
		}
		log.Warn("rotating with --force although PodDisruptionBudgets block", "pods", len(blocked.Pods))
	}
	res, err := rotate.Rotate(ctx, eksc, rotate.Options{Cluster: r.Spec.ClusterName, Nodegroup: name, Force: o.Force, Poll: o.Poll,
		Progress: func(status string, elapsed time.Duration) {
			fmt.Fprintf(env.Err, "[%s] node group %s: %s\n", elapsed.Round(time.Second), name, status)
		}}, log)
	if err != nil {
		return err
	}
	verb := "rotated"
	if res.Resumed {
		verb = "rotated (resumed update)"
	}
	fmt.Fprintf(env.Out, "node group %s %s: update %s %s\n", name, verb, res.UpdateID, res.Status)
	return nil
}
