// Package smithy reads AWS API models in the Smithy JSON AST
// (https://smithy.io/2.0/spec/json-ast.html) and validates a request's
// input, as a tree of decoded values, against an operation's input shape:
// required members, lengths, patterns, ranges, enums and unions, the
// constraint traits of the Smithy specification
// (https://smithy.io/2.0/spec/constraint-traits.html).
package smithy

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// Model is one service's model: its shapes by absolute shape ID
// (namespace#Name).
type Model struct {
	Shapes map[string]*Shape `json:"shapes"`
	// Service is the ID of the model's service shape.
	Service string `json:"-"`
}

// Shape is a shape of the JSON AST; which fields are set depends on Type.
type Shape struct {
	Type       string             `json:"type"`
	Members    map[string]*Member `json:"members"`
	Member     *Member            `json:"member"`
	Key        *Member            `json:"key"`
	Value      *Member            `json:"value"`
	Input      *Ref               `json:"input"`
	Errors     []Ref              `json:"errors"`
	Operations []Ref              `json:"operations"`
	Traits     Traits             `json:"traits"`
}

// Member is a member of an aggregate shape: its target and traits.
type Member struct {
	Target string `json:"target"`
	Traits Traits `json:"traits"`
}

// Ref names a shape.
type Ref struct {
	Target string `json:"target"`
}

// Traits are a shape's or member's traits by absolute ID
// (e.g. smithy.api#length), their values undecoded.
type Traits map[string]json.RawMessage

// Has reports whether the trait id is applied.
func (t Traits) Has(id string) bool {
	_, ok := t[id]
	return ok
}

// String returns a trait whose value is a string (such as xmlName or
// httpHeader), or "".
func (t Traits) String(id string) string {
	var s string
	if raw, ok := t[id]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// Decode decodes trait id into v, reporting whether it is applied.
func (t Traits) Decode(id string, v any) (bool, error) {
	raw, ok := t[id]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("trait %s: %w", id, err)
	}
	return true, nil
}

// Load reads a model file of the JSON AST from fsys.
func Load(fsys fs.FS, name string) (*Model, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("smithy model: %w", err)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("smithy model %s: %w", name, err)
	}
	for id, s := range m.Shapes {
		if s.Type == "service" {
			m.Service = id
		}
	}
	if m.Service == "" {
		return nil, fmt.Errorf("smithy model %s: no service shape", name)
	}
	return &m, nil
}

// Namespace is the namespace of the model's service.
func (m *Model) Namespace() string {
	ns, _, _ := strings.Cut(m.Service, "#")
	return ns
}

// Operation returns the operation shape named op (a short name such as
// DescribeCluster), or nil when the model does not hold it.
func (m *Model) Operation(op string) *Shape {
	s := m.Shapes[m.Namespace()+"#"+op]
	if s == nil || s.Type != "operation" {
		return nil
	}
	return s
}

// Operations returns the short names of the service's operations.
func (m *Model) Operations() []string {
	var ops []string
	for _, r := range m.Shapes[m.Service].Operations {
		_, name, _ := strings.Cut(r.Target, "#")
		ops = append(ops, name)
	}
	return ops
}

// Protocol returns the service's protocol trait (e.g.
// aws.protocols#awsJson1_1), or "".
func (m *Model) Protocol() string {
	for id := range m.Shapes[m.Service].Traits {
		if strings.HasPrefix(id, "aws.protocols#") {
			return id
		}
	}
	return ""
}

// Target returns the shape a member targets; prelude shapes
// (smithy.api#String, …) are returned as a shape of their type.
func (m *Model) Target(id string) *Shape {
	if s, ok := m.Shapes[id]; ok {
		return s
	}
	if name, ok := strings.CutPrefix(id, "smithy.api#"); ok {
		return &Shape{Type: lowerFirst(strings.TrimPrefix(name, "Primitive"))}
	}
	return nil
}
