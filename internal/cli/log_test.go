package cli

import (
	"strings"
	"testing"
)

// TestHumanOutputHasNoLogLines: plan and cost write no slog lines to
// stderr unless -v/--verbose asks for them (review m15).
func TestHumanOutputHasNoLogLines(t *testing.T) {
	cert := "ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	empty := t.TempDir()
	cases := []struct {
		name    string
		args    []string
		verbose bool
	}{
		{"cost --optimize", []string{"cost", "--stack", "prod", "--optimize", "--set", cert}, false},
		{"cost --optimize -v", []string{"cost", "--stack", "prod", "--optimize", "--set", cert, "-v"}, true},
		{"cost --optimize --verbose", []string{"--verbose", "cost", "--stack", "prod", "--optimize", "--set", cert}, true},
		{"plan of a stack without a file", []string{"plan", "--stack", "prod", "--defaults", "--dir", empty}, false},
		{"plan of a stack without a file -v", []string{"plan", "--stack", "prod", "--defaults", "--dir", empty, "-v"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := run(t, append([]string{tc.args[0], "--dir", repoRoot()}, tc.args[1:]...)...)
			if err != nil && ExitCode(err) != ExitPolicyDenied {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if out == "" {
				t.Fatalf("no output on stdout")
			}
			if got := strings.Contains(stderr, "level="); got != tc.verbose {
				t.Errorf("stderr has a slog line: %v, want %v:\n%s", got, tc.verbose, stderr)
			}
			if !tc.verbose && tc.args[0] == "plan" && !strings.Contains(stderr, "warning: no stack configuration file") {
				t.Errorf("the fallback to profile defaults is not said plainly:\n%s", stderr)
			}
		})
	}
}
