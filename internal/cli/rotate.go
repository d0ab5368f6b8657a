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
			"An update already running on the group (an interrupted rotation) is resumed, not started again. " +
			"Training and GPU capacity without a managed group is a Karpenter NodePool: after the same pre-check, rotate " +
			"stamps the pool's node template so Karpenter replaces every node through drift, and watches until none is left.",
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
	groups, err := rotate.Nodegroups(ctx, eksc, r.Spec.ClusterName, group+"-")
	if err != nil {
		return err
	}
	if len(groups) == 0 && group != "general" {
		// Training and GPU capacity is a Karpenter NodePool, no managed group.
		return runPoolRotate(ctx, env, o, group)
	}
	name, err := rotate.FindNodegroup(ctx, eksc, r.Spec.ClusterName, group+"-")
	if err != nil {
		return err
	}
	kube, err := kubeFor(o)
	if err != nil {
		return err
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

// kubeFor is the dynamic client of --kubeconfig (else KUBECONFIG, then
// ~/.kube/config).
func kubeFor(o nodesRotateOptions) (dynamic.Interface, error) {
	rest, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.Kubeconfig, Precedence: clientcmd.NewDefaultClientConfigLoadingRules().Precedence},
		&clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig for the PodDisruptionBudget pre-check: %w", err)
	}
	kube, err := dynamic.NewForConfig(rest)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig for the PodDisruptionBudget pre-check: %w", err)
	}
	return kube, nil
}

// runPoolRotate replaces a Karpenter NodePool's nodes through drift
// (rotate.RotatePool) after the same PodDisruptionBudget pre-check.
// --force skips the pre-check's refusal; Karpenter still evicts through
// the eviction API, so a blocking budget holds its node until it allows.
func runPoolRotate(ctx context.Context, env Env, o nodesRotateOptions, pool string) error {
	kube, err := kubeFor(o)
	if err != nil {
		return err
	}
	if err := rotate.CheckPoolPDBs(ctx, kube, pool); err != nil {
		var blocked *rotate.BlockedError
		if !o.Force || !errors.As(err, &blocked) {
			return err
		}
		env.logger().Warn("rotating with --force although PodDisruptionBudgets block", "pods", len(blocked.Pods))
	}
	res, err := rotate.RotatePool(ctx, kube, rotate.PoolOptions{Pool: pool, Now: env.Now(), Poll: o.Poll,
		Progress: func(remaining []string, elapsed time.Duration) {
			fmt.Fprintf(env.Err, "[%s] NodePool %s: %d NodeClaim(s) left to replace\n", elapsed.Round(time.Second), pool, len(remaining))
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Out, "NodePool %s rotated through drift: %d NodeClaim(s) replaced\n", pool, len(res.Replaced))
	return nil
}
