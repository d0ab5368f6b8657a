package pulumitest

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// WaitForCheckpoint waits until a file backend's checkpoint (file) and its
// attributes are whole JSON. The file backend writes them in place, and the
// engine saves one as its update starts, while the program runs: a reader
// meanwhile gets Pulumi's "failed to load checkpoint: EOF". It fails t after
// 30 s, and waits half a second more once they are whole, since the
// engine's first save may still follow the stack's creation.
func WaitForCheckpoint(t testing.TB, file string) {
	t.Helper()
	whole := func() bool {
		for _, f := range []string{file, file + ".attrs"} {
			b, err := os.ReadFile(f)
			if err != nil || !json.Valid(b) {
				return false
			}
		}
		return true
	}
	for i := 0; i < 300 && !whole(); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !whole() {
		t.Fatalf("the checkpoint %s is not whole after 30 s", file)
	}
	time.Sleep(500 * time.Millisecond)
}
