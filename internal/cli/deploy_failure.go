package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// explainFailure prints what a failed, refused or interrupted operation
// left and how to go on.
func (s *session) explainFailure(verb string, err error) {
	var de *deploy.Error
	var locked *deploy.LockedError
	var interrupted *deploy.InterruptedError
	w := s.env.Err
	switch {
	case errors.As(err, &locked):
		s.explainLock(verb, locked)
	case errors.As(err, &interrupted):
		fmt.Fprintf(w, "\n%s of %s was interrupted; the engine stopped after the operations in flight and saved its state.\n", verb, interrupted.Stack)
		if verb == "preview" {
			fmt.Fprintln(w, "A preview changes nothing.")
		} else {
			writeRemaining(w, interrupted.Stack, interrupted.Remaining)
		}
		fmt.Fprintf(w, "Run the same command again to resume:\n  %s\n", s.command(verb, s.resumeLayer()))
	case errors.As(err, &de):
		fmt.Fprintf(w, "\n%s of %s failed.\n", verb, de.Stack)
		writeRemaining(w, de.Stack, de.Remaining)
		fmt.Fprintf(w, "Fix the failure reported below, then resume with:\n  %s\n", s.command(verb, s.resumeLayer()))
	}
}

// explainLock says who holds a stack's lock (Pulumi's message) and how a
// stale one is released: deliberately, never by mlops on its own.
func (s *session) explainLock(verb string, e *deploy.LockedError) {
	w := s.env.Err
	fmt.Fprintf(w, "\n%s is locked by another run; Pulumi says:\n", e.Stack)
	for _, line := range splitLines(e.Message) {
		fmt.Fprintln(w, "  "+line)
	}
	fmt.Fprintf(w, "If that run is still going on, wait for it to end. If it was killed (its process is gone), its lock is stale:\n"+
		"release it, then run this command again:\n  %s\n  %s\n", s.command("unlock", layer.Layer(e.Layer)), s.command(verb, s.resumeLayer()))
}

// writeRemaining lists the resources a layer's state holds.
func writeRemaining(w io.Writer, stack string, rem []string) {
	if len(rem) == 0 {
		fmt.Fprintf(w, "The state of %s holds no resources.\n", stack)
		return
	}
	fmt.Fprintf(w, "The state of %s holds %d resources:\n", stack, len(rem))
	for _, r := range rem {
		fmt.Fprintln(w, "  "+r)
	}
}

// splitLines are the lines of text.
func splitLines(text string) []string { return strings.Split(strings.TrimSpace(text), "\n") }
