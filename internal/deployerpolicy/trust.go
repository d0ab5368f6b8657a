package deployerpolicy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// GitHub's OIDC identity provider, as GitHub documents it for AWS
// ("Configuring OpenID Connect in Amazon Web Services",
// docs.github.com): the provider's host, the audience the official
// aws-actions/configure-aws-credentials action requests, and the claim
// condition keys IAM gets from the token.
const (
	GitHubOIDCHost     = "token.actions.githubusercontent.com"
	GitHubOIDCAudience = "sts.amazonaws.com"
)

// Trust says whose workflows may assume the deploying role.
type Trust struct {
	// Repo is "owner/name" on GitHub.
	Repo string
	// Environments, when set, are the only GitHub environments whose jobs
	// may assume the role (sub "repo:owner/name:environment:<env>"); else
	// any workflow of the repository may (sub "repo:owner/name:*").
	Environments []string
	// Partition and Account place the OIDC provider's ARN.
	Partition, Account string
}

var (
	githubRepo = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$`)
	awsAccount = regexp.MustCompile(`^[0-9]{12}$`)
	// GitHub environment names: no wildcard or separator characters that
	// would widen a StringEquals match or split the sub claim.
	githubEnvironment = regexp.MustCompile(`^[A-Za-z0-9._ -]{1,255}$`)
)

// ParseTrust reads --trust's value, "github:owner/name".
func ParseTrust(value string) (string, error) {
	repo, ok := strings.CutPrefix(value, "github:")
	if !ok || !githubRepo.MatchString(repo) {
		return "", fmt.Errorf("--trust %q: want github:OWNER/REPO", value)
	}
	return repo, nil
}

// TrustPolicy is the role's trust policy for GitHub Actions' OIDC tokens:
// AssumeRoleWithWebIdentity for the provider of t.Account, only with the
// audience sts.amazonaws.com and a subject of t.Repo (and, when set, of
// one of t.Environments).
func TrustPolicy(t Trust) (iampolicy.Document, error) {
	if !githubRepo.MatchString(t.Repo) {
		return iampolicy.Document{}, fmt.Errorf("trust policy: repository %q is not OWNER/REPO", t.Repo)
	}
	if !awsAccount.MatchString(t.Account) {
		return iampolicy.Document{}, fmt.Errorf("trust policy: account %q is not a 12-digit AWS account ID", t.Account)
	}
	if t.Partition == "" {
		return iampolicy.Document{}, fmt.Errorf("trust policy: no partition")
	}
	cond := map[string]map[string]any{
		"StringEquals": {GitHubOIDCHost + ":aud": GitHubOIDCAudience},
	}
	if len(t.Environments) == 0 {
		cond["StringLike"] = map[string]any{GitHubOIDCHost + ":sub": "repo:" + t.Repo + ":*"}
	} else {
		subs := make([]string, len(t.Environments))
		for i, e := range t.Environments {
			if !githubEnvironment.MatchString(e) {
				return iampolicy.Document{}, fmt.Errorf("trust policy: environment %q is not a plain GitHub environment name", e)
			}
			subs[i] = "repo:" + t.Repo + ":environment:" + e
		}
		cond["StringEquals"][GitHubOIDCHost+":sub"] = subs
	}
	return iampolicy.New(iampolicy.Statement{
		Sid:       "GitHubActions",
		Effect:    "Allow",
		Principal: map[string]any{"Federated": "arn:" + t.Partition + ":iam::" + t.Account + ":oidc-provider/" + GitHubOIDCHost},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: cond,
	}), nil
}

// Partition is the AWS partition of the graph's ARNs ("aws", "aws-cn").
func Partition(g *plan.Graph) (string, error) {
	e, err := graphEnv(g)
	return e.partition, err
}

// WorkflowEnvironments are the GitHub environments whose jobs the shipped
// workflows (.github/workflows) run with a stack's role: <stack>-preview
// (preview --save-plan and drift, main only, no reviewers) and <stack>
// (up --plan, with required reviewers on prod).
func WorkflowEnvironments(stack string) []string {
	return []string{stack, stack + "-preview"}
}
