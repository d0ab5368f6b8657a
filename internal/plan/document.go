package plan

import (
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Document is what `mlops plan --output json` prints.
type Document struct {
	Stack   string `json:"stack"`
	Project string `json:"project"`
	// EvaluatedIn is where the graph was evaluated, so a reader of the
	// document (mlops review --base-plan) knows the account its ARNs name.
	EvaluatedIn Location   `json:"evaluatedIn"`
	Spec        *spec.Spec `json:"spec"`
	Warnings    []string   `json:"warnings"`
	KeyDiffs    []Row      `json:"keyDifferences"`
	Resources   []Resource `json:"resources"`
}

// NewDocument assembles the plan document of an evaluated graph.
func NewDocument(g *Graph, s *spec.Spec, warnings spec.Errors) Document {
	w := make([]string, len(warnings))
	for i, x := range warnings {
		w[i] = x.Error()
	}
	return Document{Stack: g.Stack, Project: g.Project, EvaluatedIn: Location{Account: g.Account, Region: g.Region, Partition: g.Partition}, Spec: s, Warnings: w, KeyDiffs: KeyDifferences(g), Resources: g.Resources}
}

// Location is the account, region and partition a graph was evaluated in.
type Location struct {
	Account   string `json:"account"`
	Region    string `json:"region"`
	Partition string `json:"partition"`
}

// Count is the number of resources of one type within one component.
type Count struct {
	Component string
	Type      string
	N         int
}

// CountByComponent tallies the custom resources by component and type.
func CountByComponent(g *Graph) []Count {
	idx := map[[2]string]int{}
	var out []Count
	for _, r := range g.Resources {
		if !r.Custom {
			continue
		}
		comp := strings.TrimPrefix(g.Component(r), typetoken.ComponentPrefix)
		if comp == "" {
			comp = "(stack)"
		}
		key := [2]string{comp, r.Type}
		if i, ok := idx[key]; ok {
			out[i].N++
			continue
		}
		idx[key] = len(out)
		out = append(out, Count{Component: comp, Type: r.Type, N: 1})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Component != out[j].Component {
			return out[i].Component < out[j].Component
		}
		return out[i].Type < out[j].Type
	})
	return out
}
