package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// DefaultVerifyTimeout bounds a whole verify run.
const DefaultVerifyTimeout = 5 * time.Minute

// newVerifyCommand builds `mlops verify`.
func newVerifyCommand(env Env) *cobra.Command {
	var o StackOptions
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "verify --stack dev|prod [--set key=value]... [--output table|json] [--timeout 5m]",
		Short: "Check the deployed account against the program's guarantees",
		Long: "verify evaluates the stack's program offline for what it declares (private endpoint, secrets " +
			"encryption, control-plane logs, RDS Multi-AZ/backups/deletion protection/encryption, S3 versioning/" +
			"encryption/public-access block, log retention and keys, node groups across their zones at the " +
			"declared version, add-on versions, Container Insights), then reads the live account with the " +
			"standard AWS credential chain (read-only calls) and reports each guarantee. It exits 9 naming " +
			"every drift.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			if timeout <= 0 {
				return UsageError{fmt.Errorf("--timeout must be positive, got %s", timeout)}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			return runVerify(ctx, env, o)
		},
	}
	o.register(cmd.Flags(), "verify")
	cmd.Flags().DurationVar(&timeout, "timeout", DefaultVerifyTimeout, "give up reading the account after this long")
	return cmd
}

func runVerify(ctx context.Context, env Env, o StackOptions) error {
	rep, err := verifyAccount(ctx, env, o)
	if err != nil {
		return err
	}
	if err := output.Write(env.Out, o.Output, rep, func() []output.Section { return verifySections(rep) }); err != nil {
		return err
	}
	return rep.Err()
}

// verifyAccount evaluates the stack offline and checks its guarantees in
// the live account.
func verifyAccount(ctx context.Context, env Env, o StackOptions) (*verify.Report, error) {
	log := env.logger()
	res, err := o.source(o.Stack, env.Now()).Evaluate(ctx)
	if err != nil {
		return nil, err
	}
	want, err := verify.Expect(res.Graph)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", o.Stack, err)
	}
	cfg, err := env.stackAWSConfig(ctx, res.Spec)
	if err != nil {
		return nil, err
	}
	clients := verify.NewClients(cfg)
	account, err := clients.Account(ctx)
	if err != nil {
		return nil, err
	}
	want = want.InAccount(account)
	log.Info("reading the live account", "stack", o.Stack, "account", account, "region", res.Spec.Region, "cluster", want.Cluster.Name)
	rep := verify.Run(ctx, clients, o.Stack, want, log)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("verify --stack %s: %w (raise --timeout)", o.Stack, err)
	}
	return rep, nil
}

func verifySections(rep *verify.Report) []output.Section {
	s := output.Section{Header: []string{"STATUS", "RESOURCE", "CHECK", "WANT", "GOT"}}
	for _, c := range rep.Checks {
		s.Rows = append(s.Rows, []string{string(c.Status), c.Resource, c.Check, c.Want, c.Got})
	}
	failed := len(rep.Failed())
	summary := fmt.Sprintf("%d checks: %d ok, %d failed", len(rep.Checks), len(rep.Checks)-failed, failed)
	return []output.Section{{Title: []string{"Stack " + rep.Stack + ": deployed posture against the program"}}, s, {Lines: []string{summary}}}
}
