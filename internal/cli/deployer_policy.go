package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// newDeployerPolicyCommand builds `mlops deployer-policy`.
func newDeployerPolicyCommand(env Env) *cobra.Command {
	var o StackOptions
	var splitDir string
	var trust trustOptions
	cmd := &cobra.Command{
		Use:   "deployer-policy --stack dev|prod [--set key=value]... [-o json|table] [--split-dir DIR] [--trust github:OWNER/REPO [--environment E]... [--account ID]]",
		Short: "Print the IAM policy the deploying role needs for a stack, as JSON",
		Long: "deployer-policy evaluates the stack offline like plan and prints the IAM actions for exactly the " +
			"AWS resource types it declares, from a reviewed table. Role, instance-profile, key-policy, key-deletion, " +
			"alias, bucket, interruption queue and rule, Session document and certificate writes and iam:PassRole are scoped to the stack's own resources, " +
			"AttachRolePolicy to the managed policies it attaches, and KMS use to the services that encrypt with its keys. " +
			"Policies over IAM's managed-policy size limit are split into several. Role writes require the stack's " +
			"permissions boundary, printed as \"boundary\": an account administrator creates that policy with the " +
			"deploying role, which may never write it. --split-dir writes each policy document (and the boundary) " +
			"to its own file, ready for `aws iam create-policy --policy-document file://…`. --trust github:OWNER/REPO prints " +
			"instead the role's trust policy for GitHub Actions' OIDC tokens (audience sts.amazonaws.com, subject the " +
			"repository and, for prod, the shipped workflows' environments).",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			res, err := o.source(o.Stack, env.Now()).Evaluate(cmd.Context())
			if err != nil {
				return err
			}
			if trust.Trust != "" {
				return writeTrust(env, trust, res)
			}
			pol, err := deployerpolicy.Build(res.Graph, deployerpolicy.ManagedPolicyLimit)
			if err != nil {
				return err
			}
			if splitDir != "" {
				if err := writePolicyFiles(splitDir, pol); err != nil {
					return err
				}
			}
			return output.Write(env.Out, o.Output, pol, func() []output.Section { return policySections(pol, splitDir) })
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Stack, "stack", "s", "", "stack to derive the policy for")
	f.StringArrayVar(&o.Sets, "set", nil, "override a config key, as in plan (repeatable)")
	f.StringVar(&o.Dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	f.StringVarP(&o.Output, "output", "o", output.JSON, "output format: json (the policies and the boundary) or table (a summary)")
	f.StringVar(&splitDir, "split-dir", "", "also write each policy document to DIR/<name>.json, the boundary's included")
	trust.register(f)
	return cmd
}

// policyFiles are the policies of res, the boundary last, each with the
// file name --split-dir gives its document.
func policyFiles(res *deployerpolicy.Result) ([]deployerpolicy.Policy, []string) {
	pols := append([]deployerpolicy.Policy(nil), res.Policies...)
	if res.Boundary != nil {
		pols = append(pols, *res.Boundary)
	}
	names := make([]string, len(pols))
	for i, p := range pols {
		names[i] = p.Name + ".json"
	}
	return pols, names
}

// writePolicyFiles writes each policy document of res into dir.
func writePolicyFiles(dir string, res *deployerpolicy.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--split-dir: %w", err)
	}
	pols, names := policyFiles(res)
	for i, p := range pols {
		f, err := os.Create(filepath.Join(dir, names[i]))
		if err != nil {
			return fmt.Errorf("--split-dir: %w", err)
		}
		werr := output.WriteJSON(f, p.Document)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("--split-dir %s: %w", names[i], werr)
		}
	}
	return nil
}

// policySections is deployer-policy's table: one row a policy.
func policySections(res *deployerpolicy.Result, splitDir string) []output.Section {
	pols, names := policyFiles(res)
	s := output.Section{
		Title:  []string{fmt.Sprintf("Deployer policy of stack %s: %d managed policies (limit %d characters each)", res.Stack, len(res.Policies), res.Limit)},
		Header: []string{"POLICY", "ROLE", "CHARACTERS", "STATEMENTS", "FILE"},
	}
	for i, p := range pols {
		role, file := "deploying role", "-"
		if res.Boundary != nil && i == len(pols)-1 {
			role = "boundary of every platform role (an administrator creates it)"
		}
		if splitDir != "" {
			file = filepath.Join(splitDir, names[i])
		}
		s.Rows = append(s.Rows, []string{p.Name, role, strconv.Itoa(p.Size), strconv.Itoa(len(p.Document.Statement)), file})
	}
	return []output.Section{s}
}
