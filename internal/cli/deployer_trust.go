package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// trustOptions are deployer-policy's flags for the role's trust policy.
type trustOptions struct {
	Trust        string
	Environments []string
	AnyWorkflow  bool
	Account      string
}

func (o *trustOptions) register(f *pflag.FlagSet) {
	f.StringVar(&o.Trust, "trust", "", "print instead the deploying role's trust policy for GitHub Actions' OIDC tokens from github:OWNER/REPO")
	f.StringArrayVar(&o.Environments, "environment", nil, "with --trust: a GitHub environment whose jobs may assume the role (repeatable; default: the shipped workflows' <stack> and <stack>-preview for prod, any workflow of the repository for other stacks)")
	f.StringVar(&o.Account, "account", "", "with --trust: the AWS account of the OIDC provider (default: the stack's single aws.allowedAccountIds entry)")
}

// writeTrust prints the trust policy of the stack's deploying role.
func writeTrust(env Env, o trustOptions, res *stack.Result) error {
	repo, err := deployerpolicy.ParseTrust(o.Trust)
	if err != nil {
		return UsageError{err}
	}
	account := o.Account
	if account == "" {
		if ids := res.Spec.AWS.AllowedAccountIds; len(ids) == 1 {
			account = ids[0]
		} else {
			return UsageError{fmt.Errorf("--trust: pass --account: the stack's aws.allowedAccountIds names %d accounts, not one", len(ids))}
		}
	}
	envs := o.Environments
	if len(envs) == 0 && res.Spec.Profile == spec.ProfileProd {
		envs = deployerpolicy.WorkflowEnvironments(res.Stack)
	}
	partition, err := deployerpolicy.Partition(res.Graph)
	if err != nil {
		return err
	}
	doc, err := deployerpolicy.TrustPolicy(deployerpolicy.Trust{Repo: repo, Environments: envs, Partition: partition, Account: account})
	if err != nil {
		return UsageError{err}
	}
	return output.WriteJSON(env.Out, doc)
}
