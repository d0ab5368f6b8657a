// Package render lays out DOT text and draws it as SVG or PNG in process,
// with Graphviz compiled to WebAssembly (github.com/goccy/go-graphviz):
// no system Graphviz, no cgo.
package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"
)

// Format is an output format.
type Format string

// The formats Render writes.
const (
	// DOT is the DOT text itself, unrendered.
	DOT Format = "dot"
	SVG Format = "svg"
	PNG Format = "png"
)

// Formats are the formats Render writes, in the order help text lists
// them.
var Formats = []Format{DOT, SVG, PNG}

// ParseFormat returns the format named s (any case).
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown diagram format %q: want %s", s, formatList())
}

// FormatOf returns the format a file name's extension names: .dot (or
// .gv), .svg or .png, in any case.
func FormatOf(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".gv" {
		return DOT, nil
	}
	if ext == "" {
		return "", fmt.Errorf("%s has no extension: want .dot, .svg or .png, or name the format with --format", path)
	}
	f, err := ParseFormat(strings.TrimPrefix(ext, "."))
	if err != nil {
		return "", fmt.Errorf("unknown extension %q of %s: want .dot, .svg or .png", ext, path)
	}
	return f, nil
}

func formatList() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// mu serializes rendering: the WebAssembly module behind go-graphviz is
// one instance per process.
var mu sync.Mutex

// Render writes dot in format f to w. SVG and PNG are laid out with the
// dot engine; nothing is written to w when rendering fails.
func Render(ctx context.Context, dot []byte, f Format, w io.Writer) error {
	switch f {
	case DOT:
		_, err := w.Write(dot)
		return err
	case SVG, PNG:
	default:
		return fmt.Errorf("unknown diagram format %q: want %s", f, formatList())
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := layout(ctx, dot, graphviz.Format(f), &buf); err != nil {
		return fmt.Errorf("rendering %s: %w", f, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// layout runs Graphviz on dot. The binding panics on some failures inside
// the WebAssembly module; those come back as errors.
func layout(ctx context.Context, dot []byte, f graphviz.Format, w io.Writer) (err error) {
	mu.Lock()
	defer mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("graphviz failed: %v", p)
		}
	}()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("parsing DOT: %w", err)
	}
	defer g.Close()
	newGraphviz := graphviz.New
	if f == graphviz.PNG {
		newGraphviz = newPNGGraphviz
	}
	gv, err := newGraphviz(ctx)
	if err != nil {
		return fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	if err := gv.Render(ctx, g, f, w); err != nil {
		return fmt.Errorf("laying out: %w", err)
	}
	return nil
}
