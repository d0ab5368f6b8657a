package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// engineLimit is how long an engine call that fails before its first
// event may take: the CLI's start-up and its own error, on a busy machine.
const engineLimit = 90 * time.Second

// within runs call and fails the test when it has not returned within
// limit: the calls under test used to wait for ever, deaf to their
// context, so the context's deadline alone would not end the test.
func within[T any](t *testing.T, what string, limit time.Duration, call func(ctx context.Context) (T, error)) (T, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		v, err := call(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		t.Logf("%s: returned in %s", what, time.Since(start).Round(100*time.Millisecond))
		return r.v, r.err
	case <-time.After(limit + 30*time.Second):
		t.Fatalf("%s: still running %s after its context's deadline (%s): it hangs", what, 30*time.Second, limit)
	}
	var zero T
	return zero, nil
}

// childPulumi is the process ID of the Pulumi CLI this test process
// started (Linux /proc), or 0.
func childPulumi(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(stat)
		end := strings.LastIndexByte(s, ')')
		if end < 0 || !strings.HasSuffix(s[:end], "(pulumi") {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) {
			return pid
		}
	}
	return 0
}

// wantLocked asserts that err is the engine's lock refusal, in Pulumi's
// own words.
func wantLocked(t *testing.T, what string, err error) *deploy.LockedError {
	t.Helper()
	var locked *deploy.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), "currently locked") {
		t.Fatalf("%s: %v, want Pulumi's lock refusal", what, err)
	}
	// Pulumi names each lock's holder and when it was taken.
	if !strings.Contains(locked.Message, ": created by ") || !strings.Contains(locked.Message, " (pid ") {
		t.Errorf("%s: the lock's holder is not named: %q", what, locked.Message)
	}
	if strings.Contains(err.Error(), "\ncode:") || strings.Contains(err.Error(), "stdout:") {
		t.Errorf("%s: the error is the SDK's process dump, want Pulumi's message: %q", what, err)
	}
	return locked
}

// TestRealEngineStaleLock: a run killed mid-up (SIGKILL of the Pulumi
// CLI, as a CI job timeout does) leaves its lock. The next up ends at once
// with Pulumi's lock message, naming the lock; Unlock releases it and up
// then resumes.
func TestRealEngineStaleLock(t *testing.T) {
	h := newHarness(t, "dev")
	killed, release := h.heldUp(t)
	pid := childPulumi(t)
	if pid == 0 {
		close(release)
		t.Fatal("no pulumi process under this test to kill")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-killed; err == nil {
		t.Fatal("the killed up succeeded")
	}

	d := h.deployer(nil)
	_, err := within(t, "up on the stale lock", engineLimit, func(ctx context.Context) (map[string]any, error) {
		return d.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	})
	locked := wantLocked(t, "up on the stale lock", err)
	t.Logf("up on the stale lock: %v", locked)

	if _, err := within(t, "unlock", engineLimit, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.Unlock(ctx, layer.AWS)
	}); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	if _, err := d.Up(context.Background(), layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil)); err != nil {
		t.Fatalf("up after unlock: %v", err)
	}
}

// TestRealEngineConcurrentUp: a second up of a stack while the first runs
// is refused at once with Pulumi's lock message; the first then finishes.
func TestRealEngineConcurrentUp(t *testing.T) {
	h := newHarness(t, "dev")
	first, release := h.heldUp(t)
	other := h.runner(t.TempDir(), nil)
	_, err := within(t, "a second up", engineLimit, func(ctx context.Context) (map[string]any, error) {
		return other.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	})
	close(release)
	wantLocked(t, "a second up", err)
	if err := <-first; err != nil {
		t.Errorf("the first up: %v", err)
	}
}

// TestRealEngineWrongPassphrase: preview and up with the wrong passphrase
// end at once with Pulumi's "incorrect passphrase".
func TestRealEngineWrongPassphrase(t *testing.T) {
	h := newHarness(t, "dev")
	if _, err := h.deployer(nil).Preview(context.Background(), layer.AWS); err != nil {
		t.Fatalf("preview with the passphrase: %v", err)
	}
	wrong := h.deployer(map[string]string{"PULUMI_CONFIG_PASSPHRASE": "wrong " + pulumitest.Passphrase})
	_, err := within(t, "preview with a wrong passphrase", engineLimit, func(ctx context.Context) (deploy.Summary, error) {
		return wrong.Preview(ctx, layer.AWS)
	})
	wantEngineMessage(t, "preview with a wrong passphrase", err, "incorrect passphrase")
	_, err = within(t, "up with a wrong passphrase", engineLimit, func(ctx context.Context) (map[string]any, error) {
		return wrong.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	})
	wantEngineMessage(t, "up with a wrong passphrase", err, "incorrect passphrase")
}

// TestRealEngineUnwritableBackend: a backend the CLI can read but not
// write ends up, refresh and destroy at once with Pulumi's message. The
// backend's lock directory is replaced by a file, which no user, root
// included, can create a lock in.
func TestRealEngineUnwritableBackend(t *testing.T) {
	h := newHarness(t, "dev")
	d := h.deployer(nil)
	if _, err := d.Preview(context.Background(), layer.AWS); err != nil {
		t.Fatalf("preview: %v", err)
	}
	locks := filepath.Join(h.dir, "state", ".pulumi", "locks")
	if err := os.RemoveAll(locks); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(locks, []byte("not a directory\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct {
		name string
		call func(ctx context.Context) (struct{}, error)
	}{
		{"up", func(ctx context.Context) (struct{}, error) {
			_, err := d.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
			return struct{}{}, err
		}},
		{"refresh", func(ctx context.Context) (struct{}, error) {
			return struct{}{}, d.Refresh(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		}},
		{"destroy", func(ctx context.Context) (struct{}, error) {
			return struct{}{}, d.Destroy(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		}},
	} {
		_, err := within(t, op.name+" on an unwritable backend", engineLimit, op.call)
		wantEngineMessage(t, op.name+" on an unwritable backend", err, "not a directory")
	}
}

// wantEngineMessage asserts that err carries Pulumi's own message holding
// text, without the SDK's process dump.
func wantEngineMessage(t *testing.T, what string, err error, text string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), text) {
		t.Fatalf("%s: %v, want Pulumi's %q", what, err, text)
	}
	if strings.Contains(err.Error(), "\ncode:") || strings.Contains(err.Error(), "stdout:") {
		t.Errorf("%s: the error is the SDK's process dump, want Pulumi's message: %q", what, err)
	}
	t.Logf("%s: %v", what, err)
}

// heldUp starts an up of the AWS layer that the engine holds inside the
// program, once it took the stack's lock and saved its first checkpoint:
// a run going on, with nothing being written. Closing release lets the
// program go on; the up's result arrives on done.
func (h *harness) heldUp(t *testing.T) (done <-chan error, release chan struct{}) {
	t.Helper()
	d, inside, release := h.heldDeployer()
	result := make(chan error, 1)
	go func() {
		_, err := d.Up(context.Background(), layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		result <- err
	}()
	<-inside
	h.waitForCheckpoint(t, layer.AWS)
	return result, release
}

// heldDeployer is a deployer whose first program run stops inside the
// program: inside closes once it is there (the stack's lock taken), and
// closing release lets it go on.
func (h *harness) heldDeployer() (d *deploy.Deployer, inside, release chan struct{}) {
	inside, release = make(chan struct{}), make(chan struct{})
	var once sync.Once
	h.program = func(l layer.Layer) pulumi.RunFunc {
		run := h.r.LayerProgram(l)
		return func(ctx *pulumi.Context) error {
			once.Do(func() { close(inside); <-release })
			return run(ctx)
		}
	}
	d = h.deployer(nil)
	h.program = nil
	return d, inside, release
}

// waitForCheckpoint waits until the checkpoint of the layer's stack in
// the harness's file backend is whole.
func (h *harness) waitForCheckpoint(t *testing.T, l layer.Layer) {
	t.Helper()
	pulumitest.WaitForCheckpoint(t, filepath.Join(h.dir, "state", ".pulumi", "stacks", "mlops-platform", l.StackName(h.r.Stack)+".json"))
}

// TestRealEngineInterrupt: an up whose context is cancelled (the first
// Ctrl-C) ends with an InterruptedError, context.Canceled for the exit
// code, naming what the state holds, within the time limit.
func TestRealEngineInterrupt(t *testing.T) {
	h := newHarness(t, "dev")
	d, inside, release := h.heldDeployer()
	_, err := within(t, "an interrupted up", engineLimit, func(ctx context.Context) (map[string]any, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			<-inside
			cancel()
			close(release)
		}()
		return d.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	})
	var interrupted *deploy.InterruptedError
	if !errors.As(err, &interrupted) || !errors.Is(err, context.Canceled) || interrupted.Stack != "dev-aws" {
		t.Fatalf("interrupted up: %v, want an InterruptedError of dev-aws", err)
	}
	t.Logf("interrupted up: %v; the state holds %d resources", err, len(interrupted.Remaining))
}
