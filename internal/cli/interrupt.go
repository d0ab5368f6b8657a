package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
)

// Interrupts turns the signals from sig into the command's cancellation:
// the first cancels the returned context, which the engine takes as a
// graceful stop (it finishes the operations in flight and saves its
// state); the second calls exit(ExitCancelled) at once. stop ends the
// watch.
func Interrupts(parent context.Context, sig <-chan os.Signal, w io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
		case <-done:
			return
		}
		fmt.Fprintln(w, "\ninterrupted: stopping after the operations in flight, saving the state (interrupt again to stop at once)")
		cancel()
		select {
		case <-sig:
		case <-done:
			return
		}
		fmt.Fprintln(w, "\ninterrupted again: stopping now. The engine may not have saved its state or released its lock: "+
			"if the next run says the stack is locked, `mlops unlock --stack <stack>` releases it")
		exit(ExitCancelled)
	}()
	var once sync.Once
	return ctx, func() { once.Do(func() { close(done); cancel() }) }
}
