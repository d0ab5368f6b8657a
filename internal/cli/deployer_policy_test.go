package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

func TestDeployerPolicyCommand(t *testing.T) {
	out, _, err := run(t, "deployer-policy", "--stack", "prod", "--dir", repoRoot())
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Stack    string
		Policies []struct {
			Size     int
			Document struct{ Statement []struct{ Action []string } }
		}
		Boundary struct {
			Name, ARN string
			Document  struct{ Statement []struct{ Action []string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if res.Stack != "prod" || len(res.Policies) == 0 || !strings.Contains(out, `"rds:CreateDBInstance"`) {
		t.Fatalf("unexpected policy for prod:\n%s", out)
	}
	// The boundary an administrator creates from this output.
	if res.Boundary.Name != "mlops-platform-prod-permissions-boundary" || !strings.HasSuffix(res.Boundary.ARN, ":policy/"+res.Boundary.Name) ||
		len(res.Boundary.Document.Statement) == 0 {
		t.Errorf("no boundary for prod in the output: %+v", res.Boundary)
	}
	if _, _, err := run(t, "deployer-policy"); ExitCode(err) != ExitUsage {
		t.Errorf("no --stack: exit %d, want %d", ExitCode(err), ExitUsage)
	}
}

// TestDeployerPolicySplitDir: --split-dir writes each policy document, the
// boundary's included, as a file `aws iam create-policy --policy-document`
// takes as it is (an IAM policy document, not the command's wrapper), and
// -o table summarizes them with their files.
func TestDeployerPolicySplitDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "policies")
	out, _, err := run(t, "deployer-policy", "--stack", "dev", "--dir", repoRoot(), "-o", "table", "--split-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("--split-dir wrote %v (%v), want the policies and the boundary", files, err)
	}
	boundary := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Version   string
			Statement []json.RawMessage
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Version != "2012-10-17" || len(doc.Statement) == 0 {
			t.Errorf("%s is not an IAM policy document (%v):\n%.200s", f, err, b)
		}
		if !strings.Contains(out, f) {
			t.Errorf("the table does not name %s:\n%s", f, out)
		}
		boundary = boundary || strings.HasSuffix(f, "mlops-platform-dev-permissions-boundary.json")
	}
	if !boundary || !strings.Contains(out, "boundary of every platform role") {
		t.Errorf("no boundary file or row: %v\n%s", files, out)
	}
	if _, _, err := run(t, "deployer-policy", "--stack", "dev", "--dir", repoRoot(), "-o", "yaml"); ExitCode(err) != ExitUsage {
		t.Errorf("-o yaml: exit %d, want %d", ExitCode(err), ExitUsage)
	}
}

func TestDeployerPolicyTrust(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		subs []string // the sub values the printed policy names
		like bool     // sub matched with StringLike (any workflow of the repository)
	}{
		{"prod: the workflows' environments", []string{"--stack", "prod", "--account", "123456789012"}, ExitOK,
			[]string{"repo:acme/platform:environment:prod", "repo:acme/platform:environment:prod-preview"}, false},
		{"prod: one environment", []string{"--stack", "prod", "--account", "123456789012", "--environment", "production"}, ExitOK,
			[]string{"repo:acme/platform:environment:production"}, false},
		{"dev: any workflow", []string{"--stack", "dev", "--account", "123456789012"}, ExitOK, []string{"repo:acme/platform:*"}, true},
		{"account from the stack", []string{"--stack", "prod", "--set", "aws.allowedAccountIds=[210987654321]"}, ExitOK,
			[]string{"repo:acme/platform:environment:prod", "repo:acme/platform:environment:prod-preview"}, false},
		{"no account", []string{"--stack", "prod"}, ExitUsage, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, append([]string{"deployer-policy", "--dir", repoRoot(), "--trust", "github:acme/platform"}, tc.args...)...)
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d", code, err, tc.code)
			}
			if tc.code != ExitOK {
				return
			}
			doc, err := iampolicy.Parse([]byte(out))
			if err != nil {
				t.Fatal(err)
			}
			op := "StringEquals"
			if tc.like {
				op = "StringLike"
			}
			got := fmt.Sprint(doc.Statement[0].Condition[op]["token.actions.githubusercontent.com:sub"])
			want := fmt.Sprint(tc.subs)
			if tc.like {
				want = tc.subs[0]
			}
			if got != want {
				t.Errorf("sub %s, want %s\n%s", got, want, out)
			}
		})
	}
}
