package cli

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	goldenfile "github.com/mlops-platform/mlops-platform/internal/testing/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/<name>.golden, or rewrites the file
// with -update; a mismatch prints the unified diff.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	goldenfile.Check(t, path, []byte(got), *update, "go test ./internal/cli -run "+t.Name()+" -update")
}

// TestGoldenOutputs pins the table and JSON output of plan and cost.
func TestGoldenOutputs(t *testing.T) {
	cases := []struct {
		name string
		args []string
		// code is the exit code the command must end with.
		code int
	}{
		{"plan-prod-table", []string{"plan", "--stack", "prod"}, ExitOK},
		{"plan-prod-certificate-table", []string{"plan", "--stack", "prod", "--set", "ingress.certificateArn=" + engine.CertificateArn}, ExitOK},
		{"plan-dev-table", []string{"plan", "--stack", "dev"}, ExitOK},
		{"plan-dev-json", []string{"plan", "--stack", "dev", "-o", "json"}, ExitOK},
		{"cost-prod-table", []string{"cost", "--stack", "prod", "--set", "ingress.certificateArn=" + engine.CertificateArn, "--lines", "--compare", "dev", "--critical-path"}, ExitOK},
		{"cost-prod-json", []string{"cost", "--stack", "prod", "-o", "json"}, ExitOK},
		{"cost-dev-time-to-gpu", []string{"cost", "--stack", "dev", "--time-to-gpu"}, ExitOK},
		{"cost-prod-optimize-table", []string{"cost", "--stack", "prod", "--set", "ingress.certificateArn=" + engine.CertificateArn, "--optimize"}, ExitOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, append(tc.args, "--dir", repoRoot())...)
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d", code, err, tc.code)
			}
			golden(t, tc.name, out)
		})
	}
}
