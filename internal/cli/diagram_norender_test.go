//go:build !diagram

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/diagram/render"
)

// TestDiagramSVGNeedsTheTag: without the "diagram" build tag, SVG is
// refused with the way to get it, and no file is written.
func TestDiagramSVGNeedsTheTag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prod.svg")
	_, _, err := run(t, "diagram", "--dir", repoRoot(), "--stack", "prod", "--file", path)
	if !errors.Is(err, render.ErrNoRenderer) {
		t.Fatalf("error %v, want ErrNoRenderer", err)
	}
	if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
		t.Errorf("%s was written: %v", path, statErr)
	}
}
