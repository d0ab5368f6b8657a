package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deployer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// newDeployerPolicyCommand builds `mlops deployer-policy`.
func newDeployerPolicyCommand(env Env) *cobra.Command {
	var stack, dir string
	var sets []string
	cmd := &cobra.Command{
		Use:   "deployer-policy --stack dev|prod [--set key=value]...",
		Short: "Print the IAM policy the deploying role needs for a stack, as JSON",
		Long: "deployer-policy evaluates the stack offline like plan and prints the IAM actions for exactly the " +
			"AWS resource types it declares, from a reviewed table, with iam:PassRole scoped to the stack's roles. " +
			"Policies over IAM's managed-policy size limit are split into several.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkStackAndOutput(stack, "json"); err != nil {
				return err
			}
			s, _, _, err := spec.Load(dir, stack, sets, env.Now())
			if err != nil {
				return err
			}
			g, err := plan.Evaluate(cmd.Context(), stack, s)
			if err != nil {
				return err
			}
			res, err := deployer.Build(g, deployer.ManagedPolicyLimit)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(env.Out)
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		},
	}
	cmd.Flags().StringVarP(&stack, "stack", "s", "", "stack to derive the policy for")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a config key, as in plan (repeatable)")
	cmd.Flags().StringVar(&dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	return cmd
}
