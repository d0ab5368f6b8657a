package cli

import (
	"errors"
	"fmt"
	"strings"
)

// Preconditions are every unmet precondition of a deploy command, found in
// one run (guardrails, backend, secrets provider, Pulumi CLI, certificate)
// so that one attempt lists all there is to fix (review m11). Its exit
// code is the first one's, the code the command exited with when it
// stopped at the first.
type Preconditions []error

func (p Preconditions) Error() string {
	msgs := make([]string, len(p))
	for i, err := range p {
		msgs[i] = "- " + strings.ReplaceAll(err.Error(), "\n", "\n    ")
	}
	return fmt.Sprintf("%d preconditions unmet; fix each before deploying:\n  %s", len(p), strings.Join(msgs, "\n  "))
}

// Unwrap returns the first precondition, which decides the exit code.
func (p Preconditions) Unwrap() error {
	if len(p) == 0 {
		return nil
	}
	return p[0]
}

// add appends err, flattening a Preconditions; nil is ignored.
func (p Preconditions) add(err error) Preconditions {
	if err == nil {
		return p
	}
	var more Preconditions
	if errors.As(err, &more) {
		return append(p, more...)
	}
	return append(p, err)
}

// err is nil when nothing is unmet, the error itself when one is, and the
// list otherwise.
func (p Preconditions) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	return p
}
