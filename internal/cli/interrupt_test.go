package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the watcher's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestInterrupts: the first interrupt cancels the context (a graceful
// stop) and says a second stops at once; the second exits with 130.
func TestInterrupts(t *testing.T) {
	sig := make(chan os.Signal)
	var out syncBuffer
	exited := make(chan int, 1)
	ctx, stop := Interrupts(context.Background(), sig, &out, func(code int) { exited <- code })
	defer stop()
	sig <- os.Interrupt
	<-ctx.Done()
	if !strings.Contains(out.String(), "interrupt again to stop at once") {
		t.Errorf("first interrupt said %q", out.String())
	}
	select {
	case code := <-exited:
		t.Fatalf("exit(%d) after the first interrupt", code)
	default:
	}
	sig <- os.Interrupt
	if code := <-exited; code != ExitCancelled {
		t.Errorf("second interrupt: exit(%d), want %d", code, ExitCancelled)
	}
	if !strings.Contains(out.String(), "mlops unlock --stack") {
		t.Errorf("second interrupt said %q, want the way to release a lock", out.String())
	}
}

// TestInterruptsStop: once stopped, the watcher exits nothing.
func TestInterruptsStop(t *testing.T) {
	sig := make(chan os.Signal, 1)
	ctx, stop := Interrupts(context.Background(), sig, &syncBuffer{}, func(code int) { t.Errorf("exit(%d) after stop", code) })
	stop()
	stop()
	<-ctx.Done()
}
