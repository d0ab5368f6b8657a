//go:build !diagram

package render

import (
	"context"
	"io"
)

// layout refuses: this build has no Graphviz (see the package doc).
func layout(context.Context, []byte, Format, io.Writer) error {
	return ErrNoRenderer
}
