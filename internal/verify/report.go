package verify

import (
	"fmt"
	"strings"
)

// Status is a check's verdict.
type Status string

// Verdicts: the live value is the declared one, differs, or could not be
// read.
const (
	StatusOK    Status = "ok"
	StatusDrift Status = "DRIFT"
	StatusError Status = "ERROR"
)

// Check is one guarantee compared with the live account.
type Check struct {
	Status   Status `json:"status"`
	Resource string `json:"resource"`
	Check    string `json:"check"`
	Want     string `json:"want"`
	Got      string `json:"got"`
}

// Report is every check of one stack.
type Report struct {
	Stack  string  `json:"stack"`
	Checks []Check `json:"checks"`
}

// Failed returns the checks that drifted or could not be read.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status != StatusOK {
			out = append(out, c)
		}
	}
	return out
}

// Err is a *DriftError naming every failed check, or nil.
func (r *Report) Err() error {
	if f := r.Failed(); len(f) > 0 {
		return &DriftError{Stack: r.Stack, Checks: f}
	}
	return nil
}

// DriftError says the live account differs from the program.
type DriftError struct {
	Stack  string
	Checks []Check
}

func (e *DriftError) Error() string {
	lines := make([]string, 0, len(e.Checks))
	for _, c := range e.Checks {
		lines = append(lines, fmt.Sprintf("  %s %s: %s: want %s, got %s", c.Status, c.Resource, c.Check, c.Want, c.Got))
	}
	return fmt.Sprintf("stack %s: %d of the deployed guarantees do not hold:\n%s", e.Stack, len(e.Checks), strings.Join(lines, "\n"))
}

// add records a check comparing want with got.
func (r *Report) add(resource, check string, want, got any) {
	w, g := show(want), show(got)
	st := StatusOK
	if w != g {
		st = StatusDrift
	}
	r.Checks = append(r.Checks, Check{Status: st, Resource: resource, Check: check, Want: w, Got: g})
}

// fail records a read that failed.
func (r *Report) fail(resource, check string, err error) {
	r.Checks = append(r.Checks, Check{Status: StatusError, Resource: resource, Check: check, Want: "readable", Got: err.Error()})
}

// missing records a declared resource that does not exist.
func (r *Report) missing(resource string) {
	r.Checks = append(r.Checks, Check{Status: StatusDrift, Resource: resource, Check: "exists", Want: "yes", Got: "not found"})
}

func show(v any) string {
	switch x := v.(type) {
	case []string:
		if len(x) == 0 {
			return "none"
		}
		return strings.Join(x, ",")
	case string:
		if x == "" {
			return "none"
		}
		return x
	}
	return fmt.Sprint(v)
}
