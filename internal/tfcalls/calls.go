// Package tfcalls says which AWS API operations the Terraform AWS provider
// (bridged by pulumi-aws) makes for a resource on create, read, update and
// delete, and the IAM action each needs. The table (ops.json) is generated
// by ./gen from the call graph recorded under
// third_party/terraform-provider-aws/calls (one entry per upstream
// function, file and commit named; see that directory's README section),
// starting from the CRUD functions each resource registers. Action names
// are checked against the vendored Service Authorization Reference when
// the table is generated.
package tfcalls

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:generate go run ./gen

// The lifecycle steps of a resource, as the provider's resource registers
// them (Create, Read, Update, Delete).
const (
	Create = "create"
	Read   = "read"
	Update = "update"
	Delete = "delete"
)

// Steps are the lifecycle steps in order.
var Steps = []string{Create, Read, Update, Delete}

// Table is ops.json: per Pulumi type token, the operations of each step.
type Table struct {
	Repository string              `json:"repository"`
	Resources  map[string]Resource `json:"resources"`
}

// Resource is one resource type's operations.
type Resource struct {
	// Terraform is the bridged Terraform resource; Source the upstream
	// resource file (path and commit, sources.json) whose registration the
	// derivation starts from.
	Terraform string `json:"terraform"`
	Source    string `json:"source"`
	// Steps maps a lifecycle step to its operations, one per IAM action,
	// sorted by action.
	Steps map[string][]Call `json:"steps"`
}

// Call is one AWS API operation the provider makes in a step.
type Call struct {
	// Service is the IAM service prefix ("iam", "logs"), Operation the API
	// operation ("CreateRole"), Action the IAM action it needs.
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Action    string `json:"action"`
	// File is the upstream file of the function that makes the call, with
	// "@" and the commit it was read at when the index names one.
	File     string `json:"file"`
	Function string `json:"function"`
	// When are the conditions, as the source states them, on the path from
	// the registered CRUD function to the call; empty when every path
	// reaches it unconditionally.
	When []string `json:"when,omitempty"`
	// Inputs are the resource's inputs (Pulumi property names) the
	// conditions require set (d.GetOk) or changed (d.HasChange,
	// d.HasChanges), as alternatives: the call is made only for a resource
	// that sets every input of some alternative. Empty when some path
	// needs none.
	Inputs [][]string `json:"inputs,omitempty"`
	// Via is the chain of functions from the registered CRUD function (or
	// the provider's tagging interceptor) to Function.
	Via []string `json:"via"`
}

//go:embed ops.json
var tableJSON []byte

var load = sync.OnceValues(func() (Table, error) {
	var t Table
	if err := json.Unmarshal(tableJSON, &t); err != nil {
		return t, fmt.Errorf("tfcalls: ops.json: %w", err)
	}
	return t, nil
})

// Embedded returns the committed table.
func Embedded() (Table, error) { return load() }

// Ops returns the operations the provider makes for a resource of type
// token in step (Create, Read, Update or Delete); nil for a type or step
// the table does not hold (see NotDerived).
func Ops(token, step string) []Call {
	t, err := load()
	if err != nil {
		return nil
	}
	return t.Resources[token].Steps[step]
}

// Derived reports whether the table holds token's operations.
func Derived(token string) bool {
	t, err := load()
	if err != nil {
		return false
	}
	_, ok := t.Resources[token]
	return ok
}

// Actions returns the distinct IAM actions of every step of token, sorted.
func Actions(token string) []string {
	t, err := load()
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, step := range Steps {
		for _, c := range t.Resources[token].Steps[step] {
			if !seen[c.Action] {
				seen[c.Action] = true
				out = append(out, c.Action)
			}
		}
	}
	sortStrings(out)
	return out
}
