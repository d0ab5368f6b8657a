package main

import (
	"bytes"
	"context"
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
