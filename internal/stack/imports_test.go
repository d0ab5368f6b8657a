package stack_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

const module = "github.com/mlops-platform/mlops-platform/"

// mayImportInfra are the packages outside internal/infra allowed to depend
// on the program: the runner, the CLI on top of it, and the commands.
var mayImportInfra = []string{"internal/stack", "internal/cli", "cmd/"}

// TestOnlyTheRunnerImportsInfra: readers (plan, policy, cost, deploy time,
// engine, ...) never depend on internal/infra, directly or not, so the
// only way from spec to graph is internal/stack.
func TestOnlyTheRunnerImportsInfra(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
	cmd.Dir = stacktest.RepoRoot()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, ok := strings.CutPrefix(fields[0], module)
		if !ok || strings.HasPrefix(pkg, "internal/infra") || allowed(pkg) {
			continue
		}
		checked++
		for _, dep := range fields[1:] {
			if d, ok := strings.CutPrefix(dep, module); ok && (d == "internal/infra" || strings.HasPrefix(d, "internal/infra/")) {
				t.Errorf("%s depends on %s: only %v may", pkg, d, mayImportInfra)
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked %d packages; go list found too few", checked)
	}
}

func allowed(pkg string) bool {
	for _, p := range mayImportInfra {
		if pkg == p || strings.HasPrefix(pkg, p) && strings.HasSuffix(p, "/") || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}
