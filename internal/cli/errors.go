package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Exit codes of mlops.
const (
	ExitOK            = 0
	ExitError         = 1
	ExitUsage         = 2
	ExitInvalidConfig = 3
	ExitPolicyDenied  = 4
	ExitCancelled     = 130
)

// UsageError is a mistake in the command line itself.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// PolicyDeniedError means a mandatory guardrail failed.
type PolicyDeniedError struct {
	// Controls are the IDs of the failed controls.
	Controls []string
}

func (e PolicyDeniedError) Error() string {
	return fmt.Sprintf("policy denied: mandatory controls failed: %s", strings.Join(e.Controls, ", "))
}

// ExitCode maps an error returned by Run to the process exit code.
func ExitCode(err error) int {
	var usage UsageError
	var invalid spec.Errors
	var denied PolicyDeniedError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.As(err, &usage):
		return ExitUsage
	case errors.As(err, &invalid):
		return ExitInvalidConfig
	case errors.As(err, &denied):
		return ExitPolicyDenied
	}
	return ExitError
}
