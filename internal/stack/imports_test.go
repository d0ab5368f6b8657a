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
// on the program: the runner, the CLI on top of it, the commands, and
// review, which evaluates a stack twice (the base's stack file and the
// working tree's) as the CLI's plan does once.
var mayImportInfra = []string{"internal/stack", "internal/cli", "internal/review", "cmd/"}

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

// TestBinariesLinkNoTestHarness: neither binary (the mlops CLI, the
// program a plain `pulumi up` runs) links a test harness: nothing under
// internal/testing/ and no xxxtest helper package (stacktest, verifytest,
// drilltest). The check reads what the linker would see, the commands'
// full dependency lists, so a harness reached through any shipping
// package fails it.
func TestBinariesLinkNoTestHarness(t *testing.T) {
	for _, bin := range []string{"./cmd/mlops", "./cmd/pulumi-program"} {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", bin)
		cmd.Dir = stacktest.RepoRoot()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", bin, err, stderr.String())
		}
		ours := 0
		for _, dep := range strings.Fields(string(out)) {
			pkg, ok := strings.CutPrefix(dep, module)
			if !ok {
				continue
			}
			ours++
			if harness(pkg) {
				t.Errorf("%s links the test harness %s", bin, pkg)
			}
		}
		if ours < 10 {
			t.Errorf("%s: go list found %d of the module's packages; too few to mean anything", bin, ours)
		}
	}
}

// harness reports whether a package of the module is test support.
func harness(pkg string) bool {
	last := pkg[strings.LastIndex(pkg, "/")+1:]
	return strings.HasPrefix(pkg, "internal/testing/") || strings.HasSuffix(last, "test")
}

// TestHarnessRuleNamesTheHarnesses keeps the rule above honest: it must
// hold the harness packages and let the shipping ones through.
func TestHarnessRuleNamesTheHarnesses(t *testing.T) {
	for pkg, want := range map[string]bool{
		"internal/testing/awsfake":    true,
		"internal/testing/simcluster": true,
		"internal/stack/stacktest":    true,
		"internal/verify/verifytest":  true,
		"internal/verify":             false,
		"internal/deploy":             false,
		"cmd/mlops":                   false,
	} {
		if got := harness(pkg); got != want {
			t.Errorf("harness(%q) = %v, want %v", pkg, got, want)
		}
	}
}
