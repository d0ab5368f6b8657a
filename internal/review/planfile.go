package review

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// planFile is the part of `mlops plan -o json` a side is made of.
type planFile struct {
	plan.Document
	Cost       *cost.Estimate `json:"cost"`
	Guardrails *policy.Report `json:"guardrails"`
}

// FromPlanFile reads a side from a plan document (`mlops plan -o json`),
// for a base evaluated by another program: the base commit's own build.
// The deployer policy is derived from its resources, as plan would.
func FromPlanFile(path string) (Side, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Side{}, fmt.Errorf("--base-plan: %w", err)
	}
	var f planFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return Side{}, fmt.Errorf("--base-plan %s: not a plan document (mlops plan -o json): %w", path, err)
	}
	if f.Stack == "" || len(f.Resources) == 0 || f.Cost == nil || f.Guardrails == nil {
		return Side{}, fmt.Errorf("--base-plan %s: not a plan document (mlops plan -o json): stack, resources, cost and guardrails are required", path)
	}
	g := plan.NewGraph(f.Stack, f.Project, f.Resources)
	g.Account, g.Region, g.Partition = f.EvaluatedIn.Account, f.EvaluatedIn.Region, f.EvaluatedIn.Partition
	pol, err := deployerpolicy.Build(g, deployerpolicy.ManagedPolicyLimit)
	if err != nil {
		return Side{}, fmt.Errorf("--base-plan %s: deployer policy: %w", path, err)
	}
	return Side{Label: path, Document: f.Document, Graph: g, Cost: f.Cost, Guardrails: f.Guardrails, Permissions: pol}, nil
}
