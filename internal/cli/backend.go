package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/backend"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// newBackendCommand builds `mlops backend` and its bootstrap subcommand.
func newBackendCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backend",
		Short: "Manage the Pulumi state backend",
		Args:  noArgs,
	}
	cmd.AddCommand(newBackendBootstrapCommand(env))
	return cmd
}

func newBackendBootstrapCommand(env Env) *cobra.Command {
	var cfg backend.Config
	var format string
	cmd := &cobra.Command{
		Use:   "bootstrap --bucket NAME --region REGION [--prefix P] [--kms-alias alias/NAME] [--noncurrent-days N]",
		Short: "Create the S3 state bucket and KMS secrets key, idempotently",
		Long: "bootstrap creates, or puts right, the state backend: a KMS key with rotation and an alias for " +
			"stack secrets, and an S3 bucket with a public-access block, SSE-KMS, versioning, a TLS-only policy " +
			"and a lifecycle for old state versions. Re-running changes nothing; after a failure it resumes. " +
			"It uses the standard AWS credential chain (AWS_PROFILE, environment, SSO, instance role).",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.Check(format); err != nil {
				return UsageError{err}
			}
			cfg = cfg.WithDefaults()
			if err := cfg.Validate(); err != nil {
				return UsageError{err}
			}
			awsCfg, err := awsclient.Load(cmd.Context(), cfg.Region, env.AWS)
			if err != nil {
				return err
			}
			s3c, kmsc := backend.NewClients(awsCfg)
			rep, err := backend.Bootstrap(cmd.Context(), s3c, kmsc, cfg)
			if err != nil {
				return err
			}
			return output.Write(env.Out, format, rep, func() []output.Section { return backendSections(rep) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Bucket, "bucket", "", "S3 bucket for stack state (required)")
	f.StringVar(&cfg.Region, "region", "", "AWS region of the bucket and key (required)")
	f.StringVar(&cfg.Prefix, "prefix", backend.DefaultPrefix, "key prefix of the state in the bucket")
	f.StringVar(&cfg.KMSAlias, "kms-alias", backend.DefaultKMSAlias, "alias of the KMS key for stack secrets")
	f.IntVar(&cfg.NoncurrentDays, "noncurrent-days", backend.DefaultNoncurrentDays, "days old state versions are kept")
	f.StringVarP(&format, "output", "o", output.Table, "output format: table or json")
	return cmd
}

// backendSections is the table of `mlops backend bootstrap`: one row a
// step, then the values to log in with.
func backendSections(rep *backend.Report) []output.Section {
	steps := output.Section{Header: []string{"STEP", "RESULT", "DETAIL"}}
	for _, s := range rep.Steps {
		steps.Rows = append(steps.Rows, []string{s.Name, string(s.Result), s.Detail})
	}
	use := output.Section{Lines: []string{
		"Use these values:",
		"  backend:          " + rep.BackendURL,
		"  secrets provider: " + rep.SecretsProvider,
		"",
		"  pulumi login '" + rep.BackendURL + "'",
	}}
	return []output.Section{steps, use}
}
