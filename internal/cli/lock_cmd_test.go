package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
)

// TestUpOnALockedStack: through the real command, an up while another run
// holds the stack's lock ends at once with Pulumi's message naming the
// lock's holder, the command that releases a stale lock and the one to
// run again; unlock then runs.
func TestUpOnALockedStack(t *testing.T) {
	e := newEngineCLI(t)
	r, err := stacktest.Source("dev").Resolve()
	if err != nil {
		t.Fatal(err)
	}
	// The holder is held inside its program: the lock taken, nothing
	// being written.
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	program := func(l layer.Layer) pulumi.RunFunc {
		run := r.LayerProgram(l)
		return func(ctx *pulumi.Context) error {
			once.Do(func() { close(inside); <-release })
			return run(ctx)
		}
	}
	holder, err := deploy.New(deploy.Options{Env: "dev", Program: program, Backend: "file://" + filepath.Join(e.dir, "state"),
		SecretsProvider: "passphrase", Pulumi: e.tools.Pulumi, WorkDir: filepath.Join(t.TempDir(), "work"), Vars: e.tools.Env(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() {
		_, err := holder.Up(context.Background(), layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		first <- err
	}()
	<-inside
	pulumitest.WaitForCheckpoint(t, filepath.Join(e.dir, "state", ".pulumi", "stacks", "mlops-platform", "dev-aws.json"))
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	close(release)
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
