package render

import (
	"bytes"
	"context"
	"testing"
)

func TestRenderDOTWritesItself(t *testing.T) {
	dot := []byte("digraph g { a -> b; }\n")
	var out bytes.Buffer
	if err := Render(context.Background(), dot, DOT, &out); err != nil || !bytes.Equal(out.Bytes(), dot) {
		t.Errorf("DOT rendered %q, %v", out.String(), err)
	}
}

func TestFormatOf(t *testing.T) {
	cases := []struct {
		path string
		want Format
		ok   bool
	}{
		{"docs/architecture-prod.svg", SVG, true},
		{"out.PNG", PNG, true},
		{"graph.dot", DOT, true},
		{"graph.gv", DOT, true},
		{"graph.pdf", "", false},
		{"graph", "", false},
		{"dir.svg/graph", "", false},
	}
	for _, c := range cases {
		got, err := FormatOf(c.path)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("FormatOf(%q) = %q, %v; want %q, ok %v", c.path, got, err, c.want, c.ok)
		}
	}
	if f, err := ParseFormat("SVG"); f != SVG || err != nil {
		t.Errorf("ParseFormat(SVG) = %q, %v", f, err)
	}
	if _, err := ParseFormat("jpeg"); err == nil {
		t.Error("ParseFormat(jpeg) succeeded")
	}
}
