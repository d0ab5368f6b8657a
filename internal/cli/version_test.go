package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
)

// runWith runs mlops with the build information info.
func runWith(t *testing.T, info *debug.BuildInfo, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return testNow },
		BuildInfo: func() (*debug.BuildInfo, bool) { return info, info != nil }}
	err := Run(context.Background(), env, args)
	return out.String(), err
}

// TestVersion: version prints the build's commit and the SDK compiled in
// and the plugins' pinned versions; --version the commit.
func TestVersion(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.6",
		Deps: []*debug.Module{{Path: pulumiSDK, Version: "v3.274.1"}},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "b4e96481c0ffee"}, {Key: "vcs.time", Value: "2026-12-07T01:00:00Z"},
			{Key: "vcs.modified", Value: "true"}}}
	out, err := runWith(t, info, "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"commit      b4e96481c0ffee (2026-12-07T01:00:00Z), modified", "pulumi sdk  v3.274.1",
		"plugins     aws " + deploy.Plugins["aws"] + ", kubernetes " + deploy.Plugins["kubernetes"]} {
		if !strings.Contains(out, want) {
			t.Errorf("version lacks %q:\n%s", want, out)
		}
	}
	out, err = runWith(t, info, "version", "-o", "json")
	var v versionView
	if err != nil || json.Unmarshal([]byte(out), &v) != nil || v.Commit != "b4e96481c0ffee" || v.Plugins["aws"] != "6.83.4" {
		t.Errorf("version -o json: %v\n%s", err, out)
	}
	if out, err := runWith(t, info, "--version"); err != nil || out != "mlops commit b4e96481c0ffee (modified)\n" {
		t.Errorf("--version: %q, %v", out, err)
	}
	if out, err := runWith(t, nil, "version"); err != nil || !strings.Contains(out, "commit      unknown") {
		t.Errorf("version without build information: %q, %v", out, err)
	}
}

// TestVersionOfThisBinary: the SDK this binary is built with is the one
// the deployer requires of the CLI (deploy.SDKVersion).
func TestVersionOfThisBinary(t *testing.T) {
	v := readVersion(debug.ReadBuildInfo())
	if v.PulumiSDK != "v"+deploy.SDKVersion {
		t.Errorf("the binary holds Pulumi SDK %s, deploy.SDKVersion is %s", v.PulumiSDK, deploy.SDKVersion)
	}
}

// TestExitCodesOfTheTable pins the README's exit codes of usage (2) and
// configuration (3) mistakes through the real command.
func TestExitCodesOfTheTable(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	if err := os.MkdirAll(broken, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "Pulumi.dev.yaml"), []byte("config:\n  mlops-platform:region: eu-west-1\n    bad: indent\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"unknown flag", []string{"plan", "--stack", "dev", "--frobnicate"}, ExitUsage},
		{"--set without =", []string{"plan", "--stack", "dev", "--dir", repoRoot(), "--set", "nodeGroups.general.desiredSize"}, ExitUsage},
		{"--set without = on a deploy command", []string{"preview", "--stack", "dev", "--dir", repoRoot(), "--set", "x"}, ExitUsage},
		{"no stack", []string{"plan"}, ExitUsage},
		{"--policy-dir nowhere", []string{"plan", "--stack", "dev", "--dir", repoRoot(), "--policy-dir", filepath.Join(dir, "nowhere")}, ExitUsage},
		{"positional argument", []string{"version", "x"}, ExitUsage},
		{"missing stack file", []string{"plan", "--stack", "dev", "--dir", dir}, ExitInvalidConfig},
		{"YAML syntax error", []string{"plan", "--stack", "dev", "--dir", broken}, ExitInvalidConfig},
		{"invalid value", []string{"plan", "--stack", "dev", "--dir", repoRoot(), "--set", "logRetentionDays=31"}, ExitInvalidConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.args...)
			if got := ExitCode(err); got != tc.code {
				t.Errorf("exit code %d (%v), want %d", got, err, tc.code)
			}
		})
	}
}
