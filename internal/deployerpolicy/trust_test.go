package deployerpolicy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// assume is GitHub's token exchange as IAM evaluates it against a trust
// policy: the action, and the token's claims as condition keys.
func assume(aud, sub string) iampolicy.Request {
	return iampolicy.Request{Action: "sts:AssumeRoleWithWebIdentity", Context: map[string][]string{
		GitHubOIDCHost + ":aud": {aud}, GitHubOIDCHost + ":sub": {sub}}}
}

func TestTrustPolicyAdmitsOnlyTheRepositoryAndItsEnvironments(t *testing.T) {
	prod := Trust{Repo: "acme/platform", Environments: WorkflowEnvironments("prod"), Partition: "aws", Account: "123456789012"}
	dev := Trust{Repo: "acme/platform", Partition: "aws", Account: "123456789012"}
	cases := []struct {
		name  string
		trust Trust
		req   iampolicy.Request
		want  iampolicy.Decision
	}{
		{"prod deploy job", prod, assume(GitHubOIDCAudience, "repo:acme/platform:environment:prod"), iampolicy.Allowed},
		{"prod preview job", prod, assume(GitHubOIDCAudience, "repo:acme/platform:environment:prod-preview"), iampolicy.Allowed},
		{"prod from another environment", prod, assume(GitHubOIDCAudience, "repo:acme/platform:environment:dev"), iampolicy.ImplicitDeny},
		{"prod from a pull request", prod, assume(GitHubOIDCAudience, "repo:acme/platform:pull_request"), iampolicy.ImplicitDeny},
		{"prod from main without environment", prod, assume(GitHubOIDCAudience, "repo:acme/platform:ref:refs/heads/main"), iampolicy.ImplicitDeny},
		{"prod environment of another repository", prod, assume(GitHubOIDCAudience, "repo:acme/other:environment:prod"), iampolicy.ImplicitDeny},
		{"prod with another audience", prod, assume("sigstore", "repo:acme/platform:environment:prod"), iampolicy.ImplicitDeny},
		{"dev from a pull request", dev, assume(GitHubOIDCAudience, "repo:acme/platform:pull_request"), iampolicy.Allowed},
		{"dev from an environment", dev, assume(GitHubOIDCAudience, "repo:acme/platform:environment:dev"), iampolicy.Allowed},
		{"dev from a repository sharing the prefix", dev, assume(GitHubOIDCAudience, "repo:acme/platform-fork:pull_request"), iampolicy.ImplicitDeny},
		{"dev with another audience", dev, assume("sigstore", "repo:acme/platform:pull_request"), iampolicy.ImplicitDeny},
		{"dev, another action", dev, iampolicy.Request{Action: "sts:AssumeRole", Context: assume(GitHubOIDCAudience, "repo:acme/platform:pull_request").Context}, iampolicy.ImplicitDeny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := TrustPolicy(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			// Evaluate the document as printed, read back as AWS reads it.
			raw, err := doc.JSON()
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := iampolicy.Parse([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parsed.Evaluate(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%v: %v, want %v\n%s", tc.req, got, tc.want, raw)
			}
			fed := parsed.Statement[0].Principal["Federated"]
			if fed != "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" {
				t.Errorf("principal %v", fed)
			}
		})
	}
}

func TestTrustPolicyActionIsInTheServiceAuthorizationReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "third_party", "aws-service-authorization", "sts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := TrustPolicy(Trust{Repo: "a/b", Partition: "aws", Account: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Statement[0].Action {
		if !slices.Contains(strings.Fields(string(b)), strings.TrimPrefix(a, "sts:")) {
			t.Errorf("%s is not an sts action", a)
		}
	}
}

func TestTrustPolicyRefusesInputsThatWidenIt(t *testing.T) {
	cases := []Trust{
		{Repo: "acme/*", Partition: "aws", Account: "123456789012"},
		{Repo: "acme", Partition: "aws", Account: "123456789012"},
		{Repo: "acme/platform", Partition: "aws", Account: "12345"},
		{Repo: "acme/platform", Partition: "aws", Account: "123456789012", Environments: []string{"prod*"}},
		{Repo: "acme/platform", Partition: "aws", Account: "123456789012", Environments: []string{"prod:x"}},
	}
	for _, tc := range cases {
		if _, err := TrustPolicy(tc); err == nil {
			t.Errorf("%+v: no error", tc)
		}
	}
	for _, v := range []string{"acme/platform", "gitlab:acme/platform", "github:acme"} {
		if _, err := ParseTrust(v); err == nil {
			t.Errorf("--trust %s: no error", v)
		}
	}
}

// TestWorkflowEnvironmentsAreTheShippedOnes keeps the default trust in step
// with the environments the shipped deploy and drift workflows run their
// credentialed jobs in: a job in another environment could not assume
// prod's role.
func TestWorkflowEnvironmentsAreTheShippedOnes(t *testing.T) {
	env := regexp.MustCompile(`(?m)^\s+environment: (.*)$`)
	want := WorkflowEnvironments("${{ matrix.stack }}")
	for _, name := range []string{"deploy.yml", "drift.yml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", name))
		if err != nil {
			t.Fatal(err)
		}
		found := env.FindAllStringSubmatch(string(b), -1)
		if len(found) == 0 {
			t.Errorf("%s: no job environment", name)
		}
		for _, m := range found {
			if !slices.Contains(want, strings.TrimSpace(m[1])) {
				t.Errorf("%s: environment %s is not one of %v, the environments prod's role trusts", name, m[1], want)
			}
		}
	}
}
