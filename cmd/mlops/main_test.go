package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/cli"
)

// TestRunReadsTheClockFromTheEnvironment: the process edge hands
// MLOPS_NOW to the commands, so a plan dated after the default Kubernetes
// version's end of standard support (1.35, 2027-03-27) is denied by control
// 5, and a malformed value is a usage error rather than the wall clock.
func TestRunReadsTheClockFromTheEnvironment(t *testing.T) {
	cases := []struct {
		name, now string
		code      int
		stderr    string
	}{
		{"before the end of standard support", "2027-03-26", cli.ExitOK, ""},
		{"after the end of standard support", "2027-03-28T12:00:00Z", cli.ExitPolicyDenied, "mandatory controls failed: 5"},
		{"malformed", "next tuesday", cli.ExitUsage, "MLOPS_NOW"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			getenv := func(k string) string {
				if k == cli.NowVariable {
					return tc.now
				}
				return ""
			}
			streams := cli.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}
			code := run(context.Background(), streams, getenv, []string{"plan", "--stack", "prod", "--dir", "../.."})
			if code != tc.code || !strings.Contains(errOut.String(), tc.stderr) {
				t.Fatalf("MLOPS_NOW=%s: exit code %d, stderr %q; want %d and %q", tc.now, code, errOut.String(), tc.code, tc.stderr)
			}
		})
	}
}

// TestStartupDoesNotProbeTheTerminal runs the built binary on a
// pseudo-terminal that never answers (util-linux script): before
// internal/termprobe, bubbletea's init made termenv write an OSC 11
// background-colour query there and wait 5 s for an answer.
func TestStartupDoesNotProbeTheTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no script(1) (util-linux) to give the binary a pseudo-terminal")
		}
		t.Skip("no script(1) to give the binary a pseudo-terminal")
	}
	bin := filepath.Join(t.TempDir(), "mlops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(scriptBin, "-qec", bin+" version", "/dev/null")
	cmd.Env = append(cmd.Environ(), "TERM=xterm-256color")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s version on a pseudo-terminal: %v\n%q", bin, err, out.String())
	}
	if strings.Contains(out.String(), "\x1b]11;?") || strings.Contains(out.String(), "\x1b[6n") {
		t.Errorf("the binary queried the terminal at start-up: %q", out.String())
	}
	if !strings.Contains(out.String(), "pulumi sdk") {
		t.Errorf("version printed %q", out.String())
	}
}
