package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// Error is a failed engine operation on a layer: what failed, what the
// state still holds, and how to resume.
type Error struct {
	Op       string    `json:"op"`
	Layer    string    `json:"layer"`
	Stack    string    `json:"stack"`
	Failures []Failure `json:"failures"`
	// Remaining are the resources in the layer's state after the failure.
	Remaining []string `json:"remaining"`
	// Detail is the engine's error when no resource failure explains it.
	Detail string `json:"detail,omitempty"`
	Err    error  `json:"-"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of layer %s (stack %s) failed", e.Op, e.Layer, e.Stack)
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s (%s): %s", f.Name, f.Type, f.Message)
	}
	if len(e.Failures) == 0 && e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// LockedError means another run holds the stack's lock: a run still going
// on, or one that was killed and left its lock behind. Message is
// Pulumi's own, which names the lock's holder and when it was taken.
type LockedError struct {
	Op      string
	Layer   string
	Stack   string
	Message string
	Err     error
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s of layer %s (stack %s) refused: %s", e.Op, e.Layer, e.Stack, e.Message)
}

func (e *LockedError) Unwrap() error { return e.Err }

// InterruptedError is an engine operation cancelled by an interrupt; it
// wraps context.Canceled. Remaining are the resources the layer's state
// holds afterwards (nil for a preview, which changes nothing).
type InterruptedError struct {
	Op        string
	Layer     string
	Stack     string
	Remaining []string
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("%s of %s interrupted", e.Op, e.Stack)
}

func (e *InterruptedError) Unwrap() error { return context.Canceled }

// deployError classifies a failed up, refresh or destroy; a failure or an
// interrupt reads what the state holds afterwards.
func (d *Deployer) deployError(ctx context.Context, op string, l layer.Layer, s auto.Stack, err error, p *Progress) error {
	if e := d.refused(ctx, op, l, err); e != nil {
		if ie, ok := e.(*InterruptedError); ok {
			ie.Remaining = remaining(ctx, s)
		}
		return e
	}
	e := &Error{Op: op, Layer: string(l), Stack: d.StackName(l), Failures: p.Failures(), Err: err, Detail: EngineMessage(err)}
	e.Remaining = remaining(ctx, s)
	return e
}

// refused is the InterruptedError or LockedError err stands for, or nil.
func (d *Deployer) refused(ctx context.Context, op string, l layer.Layer, err error) error {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return &InterruptedError{Op: op, Layer: string(l), Stack: d.StackName(l)}
	}
	if auto.IsConcurrentUpdateError(err) {
		return &LockedError{Op: op, Layer: string(l), Stack: d.StackName(l), Message: EngineMessage(err), Err: err}
	}
	return nil
}

// remaining reads the state after a failure, with a fresh context so that
// reading it does not depend on the one that may be expiring; nil when
// the state cannot be read.
func remaining(ctx context.Context, s auto.Stack) []string {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	rem, err := stateResources(rctx, s)
	if err != nil {
		return nil
	}
	return rem
}

// failed is a failed preview: a RefusedError when Pulumi protect is what
// refused, else an InterruptedError, a LockedError or an Error.
func (d *Deployer) failed(ctx context.Context, op string, l layer.Layer, err error, evs []events.EngineEvent) error {
	if e := d.refused(ctx, op, l, err); e != nil {
		return e
	}
	p := NewProgress(io.Discard, false, 0, 0, nil)
	for _, e := range evs {
		p.Handle(e)
	}
	var protected []string
	for _, f := range p.Failures() {
		if strings.Contains(f.Message, "because it is protected") || strings.Contains(f.Message, "marked for protection") {
			protected = append(protected, f.Name+" ("+f.Type+")")
		}
	}
	if len(protected) > 0 {
		sort.Strings(protected)
		return &RefusedError{Reason: fmt.Sprintf("Pulumi protect keeps the engine from replacing or deleting %s in %s; "+
			"--allow-replace does not lift protect: unprotect deliberately first (pulumi state unprotect --stack %s '<urn>')",
			strings.Join(protected, ", "), d.StackName(l), d.StackName(l))}
	}
	return &Error{Op: op, Layer: string(l), Stack: d.StackName(l), Failures: p.Failures(), Err: err, Detail: EngineMessage(err)}
}

// EngineMessage is Pulumi's own message in an Automation API error: what
// the CLI wrote to stderr (its "error: ..." lines), without the SDK's
// wrapping of the process (exit status, code, stdout). When stderr is
// empty it is the end of stdout, and for an error that did not come from
// the CLI its text.
func EngineMessage(err error) string {
	text := err.Error()
	head, rest, ok := strings.Cut(text, "\ncode: ")
	if !ok {
		return strings.TrimSpace(text)
	}
	_, rest, _ = strings.Cut(rest, "\nstdout: ")
	stdout, stderr, _ := strings.Cut(rest, "\nstderr: ")
	for _, part := range []string{stderr, stdout} {
		if msg := lastLines(part, 8); msg != "" {
			return msg
		}
	}
	return strings.TrimSpace(head)
}

// lastLines is the end of text, n non-empty lines at most.
func lastLines(text string, n int) string {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimRight(line, " \t\r"); strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// engineError is an Automation API error that reads as Pulumi's message
// and unwraps to the SDK's error (auto.IsConcurrentUpdateError and the
// like still see it).
type engineError struct{ err error }

func (e engineError) Error() string { return EngineMessage(e.err) }
func (e engineError) Unwrap() error { return e.err }

func engineErr(err error) error { return engineError{err} }

// collect returns a consumer that appends the events to evs.
func collect(evs *[]events.EngineEvent) func(<-chan events.EngineEvent) {
	return func(ch <-chan events.EngineEvent) {
		for e := range ch {
			*evs = append(*evs, e)
		}
	}
}

// runner returns a consumer that renders the events as progress.
func (p *Progress) runner(ctx context.Context) func(<-chan events.EngineEvent) {
	return func(ch <-chan events.EngineEvent) { p.Run(ctx, ch) }
}
