package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/<name>.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(if the change is intended, rerun with -update and review the diff)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d (rerun with -update if intended)", path, len(gl), len(wl))
	}
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
