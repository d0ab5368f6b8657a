package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	goldenfile "github.com/mlops-platform/mlops-platform/internal/testing/golden"
)

// fixtureRepo makes a git repository holding the shipped stack files in a
// subdirectory (as a project's infra/ would), commits them as the base,
// then applies and commits change (file name → text appended). It returns
// the stack files' directory.
func fixtureRepo(t *testing.T, change map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git not installed: review's fixtures are commits")
		}
		t.Skip("git not installed")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "infra")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Pulumi.dev.yaml", "Pulumi.prod.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(), name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, root, "init", "-q", "-b", "main")
	gitRun(t, root, "add", ".")
	gitRun(t, root, "commit", "-q", "-m", "base")
	for name, text := range change {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(text); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, root, "commit", "-q", "-am", "change")
	return dir
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// The fixture changes, each a commit on top of the shipped stack files.
const (
	// gravitonChange moves prod's general node group to Graviton.
	gravitonChange = "  mlops-platform:nodeGroups:\n    general:\n      instanceTypes: [m7g.xlarge]\n"
	// bastionChange gives dev the SSM bastion: a new instance, role and
	// instance profile, so new deployer permissions.
	bastionChange = "  mlops-platform:bastion:\n    enabled: true\n"
	// retentionChange shortens prod's database backups below the
	// guardrail's minimum: a mandatory guardrail regresses.
	retentionChange = "  mlops-platform:database:\n    backupRetentionDays: 1\n"
)

// certificateChange sets prod's certificate (engine.CertificateArn):
// the deploying role may now read that one certificate, and the
// pending HTTPS guardrails clear.
var certificateChange = "  mlops-platform:ingress:\n    certificateArn: " + engine.CertificateArn + "\n"

// TestReviewGolden pins every output of `mlops review` for the fixture
// changes, and its exit code.
func TestReviewGolden(t *testing.T) {
	graviton := fixtureRepo(t, map[string]string{"Pulumi.prod.yaml": gravitonChange})
	// Graviton alone adds no permission: the deployer policy grants actions
	// per resource type (internal/deployerpolicy/table.go) and scopes them by
	// name, never by instance type or AMI, and EKS launches a managed node
	// group's instances with its own service-linked role. The certificate
	// is the smallest change that adds one.
	gravitonCertificate := fixtureRepo(t, map[string]string{"Pulumi.prod.yaml": gravitonChange + certificateChange})
	bastion := fixtureRepo(t, map[string]string{"Pulumi.dev.yaml": bastionChange})
	retention := fixtureRepo(t, map[string]string{"Pulumi.prod.yaml": retentionChange})
	cases := []struct {
		name, dir string
		args      []string
		code      int
	}{
		{"review-graviton-table", graviton, []string{"--stack", "prod"}, ExitOK},
		{"review-graviton-json", graviton, []string{"--stack", "prod", "-o", "json"}, ExitOK},
		{"review-graviton-markdown", graviton, []string{"--stack", "prod", "-o", "markdown"}, ExitOK},
		{"review-graviton-sarif", graviton, []string{"--stack", "prod", "-o", "sarif"}, ExitOK},
		{"review-graviton-certificate-markdown", gravitonCertificate, []string{"--stack", "prod", "-o", "markdown"}, ExitOK},
		{"review-bastion-markdown", bastion, []string{"--stack", "dev", "-o", "markdown"}, ExitOK},
		{"review-retention-table", retention, []string{"--stack", "prod"}, ExitPolicyDenied},
		{"review-unchanged-table", graviton, []string{"--stack", "dev"}, ExitOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, append([]string{"review", "--base", "HEAD~1", "--dir", tc.dir}, tc.args...)...)
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d", code, err, tc.code)
			}
			golden(t, tc.name, out)
		})
	}
}

func TestReviewErrors(t *testing.T) {
	dir := fixtureRepo(t, map[string]string{"Pulumi.prod.yaml": gravitonChange})
	// A stack whose file the base commit does not have.
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.staging.yaml"), []byte("config:\n  mlops-platform:profile: dev\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no base", []string{"--stack", "prod"}, ExitUsage, "--base is required"},
		{"no stack", []string{"--base", "HEAD~1"}, ExitUsage, "--stack is required"},
		{"bad output", []string{"--stack", "prod", "--base", "HEAD~1", "-o", "yaml"}, ExitUsage, "--output must be"},
		{"unknown ref", []string{"--stack", "prod", "--base", "no-such-branch"}, ExitError, "not a commit"},
		{"file not at base", []string{"--stack", "staging", "--base", "HEAD~1"}, ExitInvalidConfig, "not found at HEAD~1"},
		{"outside a repository", []string{"--stack", "prod", "--base", "HEAD", "--dir", t.TempDir()}, ExitError, "git rev-parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, append([]string{"review", "--dir", dir}, tc.args...)...)
			if code := ExitCode(err); code != tc.code || err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("exit code %d (%v), want %d with %q", code, err, tc.code, tc.msg)
			}
		})
	}
}

// TestReviewBasePlan compares with a plan document of the base instead of
// its git ref: the same review, but for the label.
func TestReviewBasePlan(t *testing.T) {
	dir := fixtureRepo(t, map[string]string{"Pulumi.prod.yaml": gravitonChange})
	doc, _, err := run(t, "plan", "--stack", "prod", "-o", "json", "--dir", repoRoot())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "base.json")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	byRef, _, err := run(t, "review", "--stack", "prod", "--dir", dir, "--base", "HEAD~1", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	byPlan, _, err := run(t, "review", "--stack", "prod", "--dir", dir, "--base-plan", file, "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(byRef, `"base": "HEAD~1"`, `"base": "`+file+`"`, 1); byPlan != want {
		t.Errorf("--base-plan review differs from --base's:\n%s", goldenfile.Diff("--base", []byte(want), []byte(byPlan)))
	}
	notPlan := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(notPlan, []byte(`{"stack":"prod"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--stack", "dev", "--base-plan", file}, ExitUsage},
		{[]string{"--stack", "prod", "--base-plan", file, "--base", "HEAD~1"}, ExitUsage},
		{[]string{"--stack", "prod", "--base-plan", notPlan}, ExitError},
	} {
		_, _, err := run(t, append([]string{"review", "--dir", dir}, tc.args...)...)
		if code := ExitCode(err); code != tc.code {
			t.Errorf("%v: exit code %d (%v), want %d", tc.args, code, err, tc.code)
		}
	}
}
