// Package render writes a diagram's DOT text, and lays it out and draws it
// as SVG or PNG in process with Graphviz compiled to WebAssembly
// (github.com/goccy/go-graphviz): no system Graphviz, no cgo.
//
// The Graphviz module initialises itself when the program starts (about
// 80 ms and a 5.9 MB cache in $TMPDIR on first use), which every mlops
// command, kubectl's eks-token calls included, would pay. So SVG and PNG
// are built only with the build tag "diagram"; without it Render writes DOT
// and refuses SVG and PNG with ErrNoRenderer.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
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

// ErrNoRenderer means this build lays out no DOT: SVG and PNG need the
// build tag "diagram".
var ErrNoRenderer = errors.New("this mlops is built without the Graphviz renderer: build or run it with -tags diagram (go run -tags diagram ./cmd/mlops diagram ...), or render the DOT output with any Graphviz")

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
		return "", fmt.Errorf("%s has no extension: want .dot, .svg or .png, or name the format with -o", path)
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
	if err := layout(ctx, dot, f, &buf); err != nil {
		return fmt.Errorf("rendering %s: %w", f, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
