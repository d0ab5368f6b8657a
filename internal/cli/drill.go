package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// Drill defaults: the restore and check together, and the interval
// between status reads (an RDS restore takes tens of minutes).
const (
	DefaultDrillTimeout = 90 * time.Minute
	DefaultDrillPoll    = 30 * time.Second
	drillCleanupTimeout = 10 * time.Minute
)

// drillOptions are `mlops dr drill`'s flags.
type drillOptions struct {
	StackOptions
	Timeout, Poll time.Duration
	CABundle      string
	// Bastion is the bastion's instance ID (the stack's bastionInstanceId
	// output): the check then reaches the restored database through a
	// Session Manager port forward from it.
	Bastion string
}

func newDRCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{Use: "dr", Short: "Disaster recovery: prove the backups restore"}
	cmd.AddCommand(newDRDrillCommand(env))
	return cmd
}

func newDRDrillCommand(env Env) *cobra.Command {
	var o drillOptions
	cmd := &cobra.Command{
		Use:   "drill --stack dev|prod [--timeout 90m] [--rds-ca-bundle FILE] [--output table|json]",
		Short: "Restore the database's latest backup and an artifact's previous version, check them, delete the copies",
		Long: "drill restores the MLflow database's latest automated backup point in time into a temporary instance " +
			"(<source>-drill-<time>, tagged " + drill.DrillTag + ") in the source's DB subnet group, security groups " +
			"and parameter group, waits for it, connects as MLflow does (user mlflow, IAM database authentication " +
			"token, TLS verified against the RDS CA bundle) and reads MLflow's tables, reports the recovery time, " +
			"and deletes that instance — only an instance with the drill's identifier and tag, never the source. " +
			"It copies one artifact's previous S3 version into a scratch key, compares SHA-256 checksums and deletes " +
			"the copy. Run it where the database is reachable (inside the VPC, from a host the database's security " +
			"group admits), or from anywhere with --bastion-instance-id, through the bastion. It exits 10 naming each failed step and anything left behind, with the command that deletes it.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			if o.Timeout <= 0 || o.Poll <= 0 {
				return UsageError{fmt.Errorf("--timeout and --poll must be positive, got %s and %s", o.Timeout, o.Poll)}
			}
			return runDrill(cmd.Context(), env, o)
		},
	}
	o.register(cmd.Flags(), "drill")
	f := cmd.Flags()
	f.DurationVar(&o.Timeout, "timeout", DefaultDrillTimeout, "give up waiting for the restored instance to accept connections after this long (it is deleted anyway)")
	f.DurationVar(&o.Poll, "poll", DefaultDrillPoll, "interval between status reads")
	f.StringVar(&o.CABundle, "rds-ca-bundle", "", "PEM file of the RDS CA bundle (default: downloaded from truststore.pki.rds.amazonaws.com)")
	f.StringVar(&o.Bastion, "bastion-instance-id", "", "reach the restored database through a Session Manager port forward from this bastion (the stack's bastionInstanceId output; needs bastion.enabled and session-manager-plugin)")
	return cmd
}

func runDrill(ctx context.Context, env Env, o drillOptions) error {
	log := env.progressLogger()
	res, err := o.source(o.Stack, env.Now()).Evaluate(ctx)
	if err != nil {
		return err
	}
	want, err := verify.Expect(res.Graph)
	if err != nil {
		return fmt.Errorf("stack %s: %w", o.Stack, err)
	}
	region := res.Spec.Region
	cfg, err := env.stackAWSConfig(ctx, res.Spec)
	if err != nil {
		return err
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("reading the caller identity: %w", err)
	}
	target, err := drill.TargetOf(res.Graph, want.InAccount(aws.ToString(id.Account)))
	if err != nil {
		return fmt.Errorf("stack %s: %w", o.Stack, err)
	}
	if err := target.Preconditions(); err != nil {
		return &drill.PreconditionError{Stack: o.Stack, Err: err}
	}
	now := env.Now()
	opts := drill.Options{
		Stack: o.Stack, Region: region, TempID: drill.TempID(target.DBInstance, now), User: database.MLflowUser,
		Wait: o.Timeout, Poll: o.Poll, Cleanup: drillCleanupTimeout, Now: env.Now, Log: log,
		ScratchPrefix: "dr-drill/" + now.UTC().Format("20060102150405") + "/",
		DB: drill.IAMPostgres{AWS: cfg.Credentials, Identity: aws.ToString(id.Arn), RootCAs: func(ctx context.Context) (*x509.CertPool, error) {
			if o.CABundle == "" {
				return drill.RDSCABundle(ctx, region)
			}
			pem, err := os.ReadFile(o.CABundle)
			if err != nil {
				return nil, fmt.Errorf("--rds-ca-bundle: %w", err)
			}
			return drill.CABundle(pem, o.CABundle)
		}},
	}
	if o.Bastion != "" {
		opts.Forward = drillForward(cfg, res.Spec, o.Bastion, log)
	}
	log.Info("disaster-recovery drill", "stack", o.Stack, "account", aws.ToString(id.Account), "region", region,
		"source", target.DBInstance, "temporary instance", opts.TempID, "timeout", o.Timeout)
	rep, err := drill.Run(ctx, drill.Clients{RDS: rds.NewFromConfig(cfg), S3: awsclient.S3(cfg)}, target, opts)
	if err != nil {
		return err
	}
	if err := output.Write(env.Out, o.Output, rep, func() []output.Section { return drillSections(rep) }); err != nil {
		return errors.Join(err, rep.Err())
	}
	return rep.Err()
}

func drillSections(rep *drill.Report) []output.Section {
	s := output.Section{Header: []string{"STATUS", "STEP", "DETAIL"}}
	for _, st := range rep.Steps {
		s.Rows = append(s.Rows, []string{string(st.Status), st.Step, st.Detail})
	}
	recovery := rep.RecoveryTime
	if recovery == "" {
		recovery = "not measured (no connection accepted)"
	}
	lines := []string{
		"Recovery time (restore request to accepted connection): " + recovery,
		"Credentials: " + rep.Credentials,
	}
	for _, l := range rep.LeftBehind {
		lines = append(lines, "LEFT BEHIND: "+l)
	}
	failed := len(rep.Failed())
	lines = append(lines, fmt.Sprintf("%d steps: %d failed", len(rep.Steps), failed))
	return []output.Section{
		{Title: []string{"Stack " + rep.Stack + ": disaster-recovery drill of " + rep.Source + " (temporary instance " + rep.TempInstance + ")"}},
		s, {Lines: lines},
	}
}
