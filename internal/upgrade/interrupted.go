package upgrade

import (
	"fmt"
	"strings"
)

// InterruptedError says a deploy of the upgrade failed: what is done,
// what is not, and the command that resumes.
type InterruptedError struct {
	Cluster, To string
	// Deploy is the failed deploy's number, of Deploys.
	Deploy, Deploys int
	Done, NotDone   []Step
	// Resume is the command that resumes the upgrade.
	Resume string
	Err    error
}

func (e *InterruptedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "upgrade of %s to %s interrupted: deploy %d of %d failed: %v", e.Cluster, e.To, e.Deploy, e.Deploys, e.Err)
	fmt.Fprintf(&b, "\n  done:     %s", describe(e.Done))
	fmt.Fprintf(&b, "\n  not done: %s", describe(e.NotDone))
	fmt.Fprintf(&b, "\n  resume with: %s (it reads the live versions and skips what is done)", e.Resume)
	return b.String()
}

func (e *InterruptedError) Unwrap() error { return e.Err }

func describe(steps []Step) string {
	if len(steps) == 0 {
		return "nothing"
	}
	parts := make([]string, 0, len(steps))
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s %s %s -> %s", s.Kind, s.Name, s.From, s.To))
	}
	return strings.Join(parts, "; ")
}

// Interrupted builds the error of a plan whose deploy failed, after the
// deploys before it succeeded.
func (p *Plan) Interrupted(failed int, resume string, err error) *InterruptedError {
	e := &InterruptedError{Cluster: p.Cluster, To: p.To, Deploy: failed, Deploys: p.DeployCount(), Resume: resume, Err: err}
	for _, s := range p.Steps {
		if s.Done || s.Deploy < failed {
			e.Done = append(e.Done, s)
		} else {
			e.NotDone = append(e.NotDone, s)
		}
	}
	return e
}
