//go:build diagram

package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/diagram"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

func prodDOT(t *testing.T) []byte {
	t.Helper()
	d, err := diagram.Build(stacktest.Graph(t, "prod"))
	if err != nil {
		t.Fatal(err)
	}
	return d.DOT()
}

func TestRenderSVG(t *testing.T) {
	dot := prodDOT(t)
	var out bytes.Buffer
	start := time.Now()
	if err := Render(context.Background(), dot, SVG, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("prod SVG: %d bytes in %v", out.Len(), time.Since(start))
	var root struct {
		XMLName xml.Name
		Width   string `xml:"width,attr"`
	}
	if err := xml.Unmarshal(out.Bytes(), &root); err != nil {
		t.Fatalf("SVG does not parse as XML: %v", err)
	}
	if root.XMLName.Local != "svg" || root.Width == "" {
		t.Errorf("root element %v width %q, want <svg> with a width", root.XMLName, root.Width)
	}
	for _, want := range []string{"Multi&#45;AZ", "node group general", "namespace mlflow"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestRenderPNG(t *testing.T) {
	var out bytes.Buffer
	start := time.Now()
	if err := Render(context.Background(), prodDOT(t), PNG, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("prod PNG: %d bytes in %v", out.Len(), time.Since(start))
	if !bytes.HasPrefix(out.Bytes(), pngSignature) {
		t.Fatalf("PNG starts %q", out.Bytes()[:min(8, out.Len())])
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width < 300 || cfg.Height < 300 || cfg.Width > 20000 || cfg.Height > 20000 {
		t.Errorf("PNG is %dx%d", cfg.Width, cfg.Height)
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name   string
		dot    string
		format Format
	}{
		{"unknown format", "digraph g { a; }", "pdf"},
		{"not DOT", "this is not a graph {", SVG},
		{"unbalanced", "digraph g { a -> ", PNG},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Render(context.Background(), []byte(c.dot), c.format, &out); err == nil {
				t.Errorf("rendered %d bytes, want an error", out.Len())
			} else if out.Len() != 0 {
				t.Errorf("wrote %d bytes before failing: %v", out.Len(), err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Render(ctx, []byte("digraph g { a; }"), SVG, &bytes.Buffer{}); err == nil {
		t.Error("rendered under a cancelled context")
	}
}

// TestPNGEdgesAreLines: curved edges are stroked, not filled, so a small
// graph with crossing curves stays mostly white.
func TestPNGEdgesAreLines(t *testing.T) {
	dot := []byte("digraph g { a -> b; a -> c; a -> d; d -> b; c -> e; e -> a; }")
	var out bytes.Buffer
	if err := Render(context.Background(), dot, PNG, &out); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x4000 {
				dark++
			}
		}
	}
	share := float64(dark) / float64(b.Dx()*b.Dy())
	t.Logf("%dx%d, %.1f%% dark", b.Dx(), b.Dy(), 100*share)
	if share > 0.06 || share < 0.005 {
		t.Errorf("%.1f%% of the pixels are dark: edges filled, or nothing drawn", 100*share)
	}
}
