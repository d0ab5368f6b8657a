package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// heldWriter blocks the first write holding text until released: a
// progress writer that holds a run inside its first operation.
type heldWriter struct {
	mu      sync.Mutex
	text    string
	buf     bytes.Buffer
	tripped bool
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	trip := !h.tripped && strings.Contains(string(p), h.text)
	h.tripped = h.tripped || trip
	h.buf.Write(p)
	h.mu.Unlock()
	if trip {
		close(h.reached)
		<-h.release
	}
	return len(p), nil
}

func (h *heldWriter) open() { h.once.Do(func() { close(h.release) }) }

// TestUpOnALockedStack: through the real command, an up while another run
// holds the stack's lock ends at once with Pulumi's message, the command
// that releases a stale lock and the one to run again; unlock then runs.
func TestUpOnALockedStack(t *testing.T) {
	e := newEngineCLI(t)
	r, err := stacktest.Source("dev").Resolve()
	if err != nil {
		t.Fatal(err)
	}
	holder, err := deploy.New(deploy.Options{Env: "dev", Program: r.LayerProgram, Backend: "file://" + filepath.Join(e.dir, "state"),
		SecretsProvider: "passphrase", Pulumi: e.tools.Pulumi, WorkDir: filepath.Join(t.TempDir(), "work"), Vars: e.tools.Env(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	w := &heldWriter{text: "creating ", reached: make(chan struct{}), release: make(chan struct{})}
	first := make(chan error, 1)
	go func() {
		_, err := holder.Up(context.Background(), layer.AWS, deploy.NewProgress(w, false, 0, 0, nil))
		first <- err
	}()
	<-w.reached
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	w.open()
	wantCode(t, "up on a locked stack", err, ExitError, stderr)
	for _, want := range []string{"dev-aws is locked by another run; Pulumi says:", "currently locked", ": created by ", " (pid ",
		"release it, then run this command again:\n  mlops unlock --stack dev --layer aws", "\n  mlops up --stack dev --layer aws"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, stderr)
		}
	}
	if err := <-first; err != nil {
		t.Fatalf("the run holding the lock: %v", err)
	}
	_, stderr, err = e.run("unlock", "--stack", "dev", "--layer", "aws")
	wantCode(t, "unlock", err, ExitOK, stderr)
	if !strings.Contains(stderr, "dev-aws: unlocked") {
		t.Errorf("unlock printed:\n%s", stderr)
	}
}
