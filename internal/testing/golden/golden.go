// Package golden compares a test's output with a file kept in the
// repository (a golden file, a generated document), and rewrites the file
// when the test runs with -update. A mismatch prints a unified diff of the
// whole change, so a reviewer sees every line that moved before choosing
// between a fix and -update.
package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// MaxDiffLines bounds the diff a mismatch prints; the rest is counted.
const MaxDiffLines = 400

// TB is the part of testing.TB Check uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Check compares got with the file at path, or with update writes got to
// path (creating its directory). rerun is the command that rewrites it,
// printed with a mismatch.
func Check(t TB, path string, got []byte, update bool, rerun string) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (%s creates it)", err, rerun)
	}
	if string(want) == string(got) {
		return
	}
	t.Errorf("%s differs from the output (- file, + output):\n%s\nif the change is intended, rewrite the file with %s and review the diff", path, Diff(path, want, got), rerun)
}

// Diff is the unified diff, with three lines of context, that turns want
// (the file at path) into got, cut after MaxDiffLines lines.
func Diff(path string, want, got []byte) string {
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(want)), B: difflib.SplitLines(string(got)),
		FromFile: path, ToFile: "output", Context: 3,
	})
	if err != nil {
		return fmt.Sprintf("(no diff: %v)", err)
	}
	lines := strings.SplitAfter(d, "\n")
	if len(lines) > MaxDiffLines {
		d = strings.Join(lines[:MaxDiffLines], "") + fmt.Sprintf("... %d more diff lines\n", len(lines)-MaxDiffLines)
	}
	return d
}
