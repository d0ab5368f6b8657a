package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/drift"
	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/savedplan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/upgrade"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// Exit codes of mlops.
const (
	ExitOK            = 0
	ExitError         = 1
	ExitUsage         = 2
	ExitInvalidConfig = 3
	ExitPolicyDenied  = 4
	// ExitDeclined: the deploy was not approved (prod without --yes off a
	// terminal, or an answer other than yes).
	ExitDeclined = 5
	// ExitDeployFailed: the engine failed; what is left and how to resume
	// are printed.
	ExitDeployFailed = 6
	// ExitRefused: prod refused a replacement or deletion of a protected or
	// stateful resource no --allow-replace named, or a destroy of prod; or
	// upgrade refused its target or was blocked by an upgrade insight.
	ExitRefused = 7
	// ExitUnreachable: the cluster's API endpoint is not reachable from
	// here; the message says where to run the cluster layer from.
	ExitUnreachable = 8
	// ExitDrift: verify found a guarantee the live account does not
	// hold (or could not read it); each is named. Also preview
	// --expect-no-changes when the preview would change something, and
	// drift when the refresh preview or verify found drift.
	ExitDrift = 9
	// ExitDrillFailed: dr drill failed a step or left something behind;
	// each is named, with the command that deletes what is left.
	ExitDrillFailed = 10
	// ExitPlanRefused: up --plan refused a saved plan made for another
	// stack, another program or configuration, against a state that has
	// moved since, or older than --plan-max-age; each reason is named.
	ExitPlanRefused = 11
	ExitCancelled   = 130
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
	var declined *deploy.DeclinedError
	var refused *deploy.RefusedError
	var failed *deploy.Error
	var unreachable *deploy.UnreachableError
	var verifyDrift *verify.DriftError
	var pending *ChangesPendingError
	var blocked *upgrade.BlockedError
	var pdbBlocked *rotate.BlockedError
	var rotateFailed *rotate.FailedError
	var drillFailed *drill.FailedError
	var drillPrecondition *drill.PreconditionError
	var planRefused *savedplan.RefusedError
	var drifted *drift.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.As(err, &usage):
		return ExitUsage
	case errors.As(err, &invalid), errors.As(err, &drillPrecondition):
		return ExitInvalidConfig
	case errors.As(err, &denied):
		return ExitPolicyDenied
	case errors.As(err, &declined):
		return ExitDeclined
	case errors.As(err, &refused), errors.As(err, &blocked), errors.As(err, &pdbBlocked):
		return ExitRefused
	case errors.As(err, &unreachable):
		return ExitUnreachable
	case errors.As(err, &failed), errors.As(err, &rotateFailed):
		return ExitDeployFailed
	case errors.As(err, &verifyDrift), errors.As(err, &pending), errors.As(err, &drifted):
		return ExitDrift
	case errors.As(err, &drillFailed):
		return ExitDrillFailed
	case errors.As(err, &planRefused):
		return ExitPlanRefused
	}
	return ExitError
}
