package drill

import (
	"fmt"
	"strings"
	"time"
)

// Status is a step's outcome.
type Status string

// Outcomes of a step.
const (
	StatusOK      Status = "ok"
	StatusFailed  Status = "FAILED"
	StatusSkipped Status = "skipped"
)

// Step is one thing the drill did, or could not do.
type Step struct {
	Status Status `json:"status"`
	Step   string `json:"step"`
	Detail string `json:"detail"`
}

// Report is the drill's account of itself.
type Report struct {
	Stack string `json:"stack"`
	// Source is the production instance, TempInstance the drill's own.
	Source       string `json:"source"`
	TempInstance string `json:"tempInstance"`
	// Credentials says how the drill authenticated to the restored
	// database (never a secret).
	Credentials string `json:"credentials"`
	Steps       []Step `json:"steps"`
	// RecoveryTime is from the restore request to the first accepted
	// connection; empty when no connection was accepted.
	RecoveryTime string `json:"recoveryTime,omitempty"`
	// LeftBehind names what the drill created and could not delete, each
	// with the command that deletes it.
	LeftBehind []string `json:"leftBehind,omitempty"`
}

func (r *Report) ok(step, format string, args ...any) {
	r.Steps = append(r.Steps, Step{StatusOK, step, fmt.Sprintf(format, args...)})
}

func (r *Report) failed(step, format string, args ...any) {
	r.Steps = append(r.Steps, Step{StatusFailed, step, fmt.Sprintf(format, args...)})
}

func (r *Report) skipped(step, format string, args ...any) {
	r.Steps = append(r.Steps, Step{StatusSkipped, step, fmt.Sprintf(format, args...)})
}

// Failed returns the failed steps.
func (r *Report) Failed() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Status == StatusFailed {
			out = append(out, s)
		}
	}
	return out
}

// Err is a *FailedError naming every failed step and what was left
// behind, or nil.
func (r *Report) Err() error {
	if f := r.Failed(); len(f) > 0 || len(r.LeftBehind) > 0 {
		return &FailedError{Stack: r.Stack, Steps: f, LeftBehind: r.LeftBehind}
	}
	return nil
}

// FailedError says the drill did not prove the stack recoverable, or
// left something behind.
type FailedError struct {
	Stack      string
	Steps      []Step
	LeftBehind []string
}

func (e *FailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dr drill --stack %s: %d step(s) failed", e.Stack, len(e.Steps))
	for _, s := range e.Steps {
		fmt.Fprintf(&b, "\n  %s: %s", s.Step, s.Detail)
	}
	for _, l := range e.LeftBehind {
		fmt.Fprintf(&b, "\n  LEFT BEHIND: %s", l)
	}
	return b.String()
}

// round shows a duration to the second.
func round(d time.Duration) string { return d.Round(time.Second).String() }

// PreconditionError says the stack's declared settings cannot make the
// drill succeed; nothing was called.
type PreconditionError struct {
	Stack string
	Err   error
}

func (e *PreconditionError) Error() string {
	return fmt.Sprintf("dr drill --stack %s: the declared settings cannot make the drill succeed:\n%v", e.Stack, e.Err)
}

func (e *PreconditionError) Unwrap() error { return e.Err }
