//go:build diagram

package render

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"
)

// mu serializes rendering: the WebAssembly module behind go-graphviz is
// one instance per process.
var mu sync.Mutex

// layout runs Graphviz on dot. The binding panics on some failures inside
// the WebAssembly module; those come back as errors.
func layout(ctx context.Context, dot []byte, format Format, w io.Writer) (err error) {
	f := graphviz.Format(format)
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
