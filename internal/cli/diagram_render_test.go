//go:build diagram

package cli

import (
	"encoding/xml"
	"testing"
)

// TestDiagramSVGFile renders the prod diagram to SVG in process.
func TestDiagramSVGFile(t *testing.T) {
	diagramFiles(t, []diagramFileCase{
		{"prod.svg", "", func(t *testing.T, b []byte) {
			var root struct{ XMLName xml.Name }
			if err := xml.Unmarshal(b, &root); err != nil || root.XMLName.Local != "svg" {
				t.Errorf("not an <svg> document: %v, root %v", err, root.XMLName)
			}
		}},
	})
}
