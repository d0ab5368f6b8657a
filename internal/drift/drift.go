// Package drift is `mlops drift`: one report of what changed under the
// stack, from two sources that see different things. The engine's
// refresh preview compares each layer's state with what the cloud reports
// for every resource Pulumi manages (a tag changed in the console shows
// here, whatever the program guarantees); verify compares the live
// account with the guarantees the program declares (a retention, Multi-AZ,
// versioning), through the AWS SDK. A scheduled job reads its exit code:
// no drift, drift, or a check that could not run.
package drift

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// Layer statuses.
const (
	// Checked: the refresh preview ran.
	Checked = "checked"
	// NotDeployed: the layer's state holds no resources.
	NotDeployed = "not deployed"
	// Failed: the refresh preview could not run (Error says why).
	Failed = "error"
)

// Layer is one layer's refresh preview.
type Layer struct {
	Layer  string `json:"layer"`
	Stack  string `json:"stack"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Drifted are the resources the cloud reports otherwise than the state.
	Drifted []deploy.Drifted `json:"drifted"`
}

// Report is the stack's drift from both sources.
type Report struct {
	Stack string `json:"stack"`
	// Drift is set when either source found a difference.
	Drift bool `json:"drift"`
	// Refresh are the layers' refresh previews.
	Refresh []Layer `json:"refresh"`
	// Verify is verify's report; nil when it could not run (Errors).
	Verify *verify.Report `json:"verify"`
	// Errors are the checks that could not run, one line each.
	Errors []string `json:"errors"`
}

// New is an empty report of stack.
func New(stack string) *Report {
	return &Report{Stack: stack, Refresh: []Layer{}, Errors: []string{}}
}

// AddLayer records a layer's refresh preview, or the error that stopped it.
func (r *Report) AddLayer(layer, stack string, deployed bool, drifted []deploy.Drifted, err error) {
	l := Layer{Layer: layer, Stack: stack, Status: Checked, Drifted: drifted}
	switch {
	case err != nil:
		l.Status, l.Error = Failed, err.Error()
		r.Errors = append(r.Errors, fmt.Sprintf("%s (layer %s): refresh preview: %v", stack, layer, err))
	case !deployed:
		l.Status = NotDeployed
	}
	if l.Drifted == nil {
		l.Drifted = []deploy.Drifted{}
	}
	r.Refresh = append(r.Refresh, l)
	r.Drift = r.Drift || len(drifted) > 0
}

// AddVerify records verify's report (or the error that stopped it): its
// drifted checks are drift, its unreadable ones errors.
func (r *Report) AddVerify(rep *verify.Report, err error) {
	if err != nil {
		r.Errors = append(r.Errors, "verify: "+err.Error())
		return
	}
	r.Verify = rep
	for _, c := range rep.Checks {
		switch c.Status {
		case verify.StatusDrift:
			r.Drift = true
		case verify.StatusError:
			r.Errors = append(r.Errors, fmt.Sprintf("verify: %s: %s: %s", c.Resource, c.Check, c.Got))
		}
	}
}

// Resources counts the drifted resources of the refresh previews.
func (r *Report) Resources() int {
	n := 0
	for _, l := range r.Refresh {
		n += len(l.Drifted)
	}
	return n
}

// Guarantees counts verify's drifted checks.
func (r *Report) Guarantees() int {
	n := 0
	if r.Verify != nil {
		for _, c := range r.Verify.Checks {
			if c.Status == verify.StatusDrift {
				n++
			}
		}
	}
	return n
}

// Line is the report in one line.
func (r *Report) Line() string {
	var parts []string
	if r.Drift {
		parts = append(parts, fmt.Sprintf("drift: %d resources changed outside Pulumi, %d guarantees do not hold", r.Resources(), r.Guarantees()))
	} else {
		parts = append(parts, "no drift")
	}
	if len(r.Errors) > 0 {
		parts = append(parts, fmt.Sprintf("%d checks could not run", len(r.Errors)))
	}
	return strings.Join(parts, "; ")
}

// Err is a *Error when drift was found, ErrIncomplete when only some
// check could not run, nil otherwise.
func (r *Report) Err() error {
	switch {
	case r.Drift:
		return &Error{Report: r}
	case len(r.Errors) > 0:
		return fmt.Errorf("stack %s: %w: %s", r.Stack, ErrIncomplete, strings.Join(r.Errors, "; "))
	}
	return nil
}

// ErrIncomplete means no drift was found but some check could not run.
var ErrIncomplete = errors.New("drift check incomplete")

// Error says the stack drifted.
type Error struct{ Report *Report }

func (e *Error) Error() string { return "stack " + e.Report.Stack + ": " + e.Report.Line() }
