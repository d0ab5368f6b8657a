package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/backend"
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
	var output string
	cmd := &cobra.Command{
		Use:   "bootstrap --bucket NAME --region REGION [--prefix P] [--kms-alias alias/NAME] [--noncurrent-days N]",
		Short: "Create the S3 state bucket and KMS secrets key, idempotently",
		Long: "bootstrap creates, or puts right, the state backend: a KMS key with rotation and an alias for " +
			"stack secrets, and an S3 bucket with a public-access block, SSE-KMS, versioning, a TLS-only policy " +
			"and a lifecycle for old state versions. Re-running changes nothing; after a failure it resumes. " +
			"It uses the standard AWS credential chain (AWS_PROFILE, environment, SSO, instance role).",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return UsageError{fmt.Errorf("--output must be table or json, got %q", output)}
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
			if output == "json" {
				enc := json.NewEncoder(env.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return writeBackendReport(env.Out, rep)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Bucket, "bucket", "", "S3 bucket for stack state (required)")
	f.StringVar(&cfg.Region, "region", "", "AWS region of the bucket and key (required)")
	f.StringVar(&cfg.Prefix, "prefix", backend.DefaultPrefix, "key prefix of the state in the bucket")
	f.StringVar(&cfg.KMSAlias, "kms-alias", backend.DefaultKMSAlias, "alias of the KMS key for stack secrets")
	f.IntVar(&cfg.NoncurrentDays, "noncurrent-days", backend.DefaultNoncurrentDays, "days old state versions are kept")
	f.StringVarP(&output, "output", "o", "table", "output format: table or json")
	return cmd
}

func writeBackendReport(w io.Writer, rep *backend.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tRESULT\tDETAIL")
	for _, s := range rep.Steps {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Result, s.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nUse these values:\n  backend:          %s\n  secrets provider: %s\n\n  pulumi login '%s'\n",
		rep.BackendURL, rep.SecretsProvider, rep.BackendURL)
	return err
}
