package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deployer"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// newDeployerPolicyCommand builds `mlops deployer-policy`.
func newDeployerPolicyCommand(env Env) *cobra.Command {
	var o StackOptions
	cmd := &cobra.Command{
		Use:   "deployer-policy --stack dev|prod [--set key=value]...",
		Short: "Print the IAM policy the deploying role needs for a stack, as JSON",
		Long: "deployer-policy evaluates the stack offline like plan and prints the IAM actions for exactly the " +
			"AWS resource types it declares, from a reviewed table. Role, instance-profile, key-policy, key-deletion, " +
			"alias, bucket and certificate writes and iam:PassRole are scoped to the stack's own resources, " +
			"AttachRolePolicy to the managed policies it attaches, and KMS use to the services that encrypt with its keys. " +
			"Policies over IAM's managed-policy size limit are split into several. Role writes require the stack's " +
			"permissions boundary, printed as \"boundary\": an account administrator creates that policy with the " +
			"deploying role, which may never write it.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Output = output.JSON
			if err := o.check(); err != nil {
				return err
			}
			res, err := o.source(o.Stack, env.Now()).Evaluate(cmd.Context())
			if err != nil {
				return err
			}
			pol, err := deployer.Build(res.Graph, deployer.ManagedPolicyLimit)
			if err != nil {
				return err
			}
			return output.WriteJSON(env.Out, pol)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Stack, "stack", "s", "", "stack to derive the policy for")
	f.StringArrayVar(&o.Sets, "set", nil, "override a config key, as in plan (repeatable)")
	f.StringVar(&o.Dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	return cmd
}
