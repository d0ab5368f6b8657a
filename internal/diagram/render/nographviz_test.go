//go:build !diagram

package render

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// TestWithoutRendererOnlyDOT: a build without the "diagram" tag writes DOT
// and refuses SVG and PNG, naming the tag, without writing anything.
func TestWithoutRendererOnlyDOT(t *testing.T) {
	for _, f := range []Format{SVG, PNG} {
		var out bytes.Buffer
		err := Render(context.Background(), []byte("digraph g { a -> b; }"), f, &out)
		if !errors.Is(err, ErrNoRenderer) || out.Len() != 0 {
			t.Errorf("%s: error %v after %d bytes, want ErrNoRenderer and nothing written", f, err, out.Len())
		}
	}
}
