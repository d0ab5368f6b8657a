// Package review compares two evaluations of one stack — the base of a
// change (a git ref's stack file) and its head (the working tree) — and
// reports what the change does: the resources added, changed and removed,
// the monthly cost per line, the guardrail findings, the deploying role's
// permissions and the Key Differences rows. It runs offline: both sides are
// evaluated by the current program under the offline engine.
package review

import (
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// Side is one evaluated end of a change.
type Side struct {
	// Label names the side in the output (the git ref, "working tree").
	Label       string
	Document    plan.Document
	Graph       *plan.Graph
	Cost        *cost.Estimate
	Guardrails  *policy.Report
	Permissions *deployerpolicy.Result
}

// Review is what a change does to one stack.
type Review struct {
	Stack          string          `json:"stack"`
	Base           string          `json:"base"`
	Head           string          `json:"head"`
	Resources      ResourceDelta   `json:"resources"`
	Cost           CostDelta       `json:"cost"`
	Guardrails     GuardrailDelta  `json:"guardrails"`
	Permissions    PermissionDelta `json:"permissions"`
	KeyDifferences []KeyDiffChange `json:"keyDifferences"`
	// Regressed is true when a mandatory guardrail fails at the head that
	// did not fail at the base.
	Regressed bool `json:"mandatoryGuardrailRegressed"`
}

// Compare reports what changes from base to head.
func Compare(base, head Side) Review {
	r := Review{
		Stack:          head.Document.Stack,
		Base:           base.Label,
		Head:           head.Label,
		Resources:      compareResources(base.Graph, head.Graph),
		Cost:           compareCost(base.Cost, head.Cost),
		Guardrails:     compareGuardrails(base.Guardrails, head.Guardrails),
		Permissions:    comparePermissions(base.Permissions, head.Permissions),
		KeyDifferences: compareKeyDiffs(base.Document.KeyDiffs, head.Document.KeyDiffs),
	}
	r.Regressed = len(r.RegressedControls()) > 0
	return r
}

// RegressedControls lists, once each and sorted, the controls whose
// mandatory findings the change adds.
func (r Review) RegressedControls() []string {
	var out []string
	for _, f := range r.Guardrails.Added {
		if f.Mandatory && !slices.Contains(out, f.Control) {
			out = append(out, f.Control)
		}
	}
	slices.Sort(out)
	return out
}

// Empty reports whether the change changes nothing the review shows.
func (r Review) Empty() bool {
	return r.Resources.Empty() && len(r.Cost.Lines) == 0 && len(r.Guardrails.Added) == 0 &&
		len(r.Guardrails.Cleared) == 0 && len(r.Permissions.Added) == 0 && len(r.Permissions.Removed) == 0 &&
		len(r.Permissions.Conditions) == 0 &&
		len(r.KeyDifferences) == 0
}
