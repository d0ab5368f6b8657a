//go:build diagram

package cli

import (
	"encoding/xml"
	"path/filepath"
	"testing"

	goldenfile "github.com/mlops-platform/mlops-platform/internal/testing/golden"
)

// TestDiagramSVGFile renders the prod diagram to SVG in process; the
// README's docs/architecture-prod.svg must be that rendering, and the same
// -update as the goldens rewrites it (with the diagram tag, as .ci/run's
// renderer step runs this test).
func TestDiagramSVGFile(t *testing.T) {
	diagramFiles(t, []diagramFileCase{
		{"prod.svg", "", func(t *testing.T, b []byte) {
			var root struct{ XMLName xml.Name }
			if err := xml.Unmarshal(b, &root); err != nil || root.XMLName.Local != "svg" {
				t.Errorf("not an <svg> document: %v, root %v", err, root.XMLName)
			}
			goldenfile.Check(t, filepath.Join(repoRoot(), "docs", "architecture-prod.svg"), b, *update,
				"go test -tags diagram ./internal/cli -run TestDiagram -update")
		}},
	})
}
