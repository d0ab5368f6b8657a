package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
)

// newEKSTokenCommand builds `mlops eks-token`, the exec credential plugin
// the platform's kubeconfig runs (platform.Kubeconfig): it prints a fresh
// ExecCredential each time the Kubernetes client needs one, so a deploy
// that outlasts one token's 15 minutes keeps working. capture, when set,
// receives the parsed options instead (a test hook).
func newEKSTokenCommand(env Env, capture func(ekstoken.Options)) *cobra.Command {
	var o ekstoken.Options
	cmd := &cobra.Command{
		Use:   "eks-token --cluster NAME --region REGION [--role-arn ARN [--external-id ID] [--session-name NAME]] [--profile NAME]",
		Short: "Print an EKS bearer token as a kubeconfig ExecCredential (no aws CLI needed)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Cluster == "" || o.Region == "" {
				return UsageError{fmt.Errorf("--cluster and --region are required")}
			}
			if capture != nil {
				capture(o)
				return nil
			}
			cfg, err := ekstoken.LoadConfig(cmd.Context(), o)
			if err != nil {
				return err
			}
			tok, err := ekstoken.Generate(cmd.Context(), cfg, o.Cluster, env.Now())
			if err != nil {
				return err
			}
			out, err := ekstoken.ExecCredential(tok)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(env.Out, string(out))
			return err
		},
	}
	cmd.Flags().StringVar(&o.Cluster, "cluster", "", "EKS cluster name")
	cmd.Flags().StringVar(&o.Region, "region", "", "AWS region of the cluster")
	cmd.Flags().StringVar(&o.RoleArn, "role-arn", "", "IAM role to assume before signing")
	cmd.Flags().StringVar(&o.Profile, "profile", "", "AWS shared-config profile")
	cmd.Flags().StringVar(&o.ExternalID, "external-id", "", "external ID the role's trust policy requires (aws.assumeRoleExternalId)")
	cmd.Flags().StringVar(&o.SessionName, "session-name", "", "session name of the assumed role")
	return cmd
}
