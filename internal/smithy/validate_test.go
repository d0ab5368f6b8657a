package smithy_test

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mlops-platform/mlops-platform/internal/smithy"
)

// model is a small model using each constraint trait the validator reads.
const model = `{"smithy": "2.0", "shapes": {
  "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}]},
  "ex#Op": {"type": "operation", "input": {"target": "ex#OpInput"}},
  "ex#OpInput": {"type": "structure", "members": {
    "Name": {"target": "ex#Name", "traits": {"smithy.api#required": {}}},
    "Count": {"target": "ex#Count"},
    "Mode": {"target": "ex#Mode"},
    "Level": {"target": "ex#Level"},
    "Old": {"target": "ex#OldEnum"},
    "Tags": {"target": "ex#Tags"},
    "Choice": {"target": "ex#Choice"},
    "Flag": {"target": "smithy.api#Boolean"},
    "Wide": {"target": "ex#Wide"}
  }},
  "ex#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 2, "max": 8}, "smithy.api#pattern": "^[a-z][a-z0-9-]*$"}},
  "ex#Count": {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 100}}},
  "ex#Mode": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "alpha"}}, "B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "beta"}}}},
  "ex#Level": {"type": "intEnum", "members": {"LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
  "ex#OldEnum": {"type": "string", "traits": {"smithy.api#enum": [{"value": "x"}, {"value": "y"}]}},
  "ex#Tags": {"type": "list", "member": {"target": "ex#Tag"}, "traits": {"smithy.api#length": {"max": 2}}},
  "ex#Tag": {"type": "structure", "members": {"Key": {"target": "ex#Name", "traits": {"smithy.api#required": {}}}}},
  "ex#Choice": {"type": "union", "members": {"One": {"target": "smithy.api#String"}, "Two": {"target": "smithy.api#String"}}},
  "ex#Wide": {"type": "string", "traits": {"smithy.api#pattern": "^[\\u0020-\\uD7FF\\uD800\\uDC00-\\uDBFF\\uDFFF]*$"}}
}}`

func load(t *testing.T) *smithy.Model {
	t.Helper()
	m, err := smithy.Load(fstest.MapFS{"m.json": {Data: []byte(model)}}, "m.json")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func input(t *testing.T, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestInputRefusesEachConstraint mutates a valid input once per
// constraint kind and expects exactly that refusal, in AWS's wording.
func TestInputRefusesEachConstraint(t *testing.T) {
	m := load(t)
	valid := `{"Name": "ok-1", "Count": 5, "Mode": "alpha", "Level": 1, "Old": "x", "Tags": [{"Key": "ab"}], "Choice": {"One": "1"}, "Flag": true, "Wide": "été 𝄞"}`
	if vs, err := m.Input("Op", input(t, valid)); err != nil || len(vs) != 0 {
		t.Fatalf("valid input: %v %v", vs, err)
	}
	tests := []struct {
		name, in, kind, want string
	}{
		{"required", `{}`, smithy.Required, "Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"required nested", `{"Name": "ab", "Tags": [{}]}`, smithy.Required, "at 'tags.1.member.key'"},
		{"length min", `{"Name": "a"}`, smithy.Length, "Member must have length greater than or equal to 2"},
		{"length max", `{"Name": "abcdefghi"}`, smithy.Length, "Member must have length less than or equal to 8"},
		{"list length", `{"Name": "ab", "Tags": [{"Key": "ab"}, {"Key": "cd"}, {"Key": "ef"}]}`, smithy.Length, "at 'tags' failed"},
		{"pattern", `{"Name": "Ab"}`, smithy.Pattern, "Member must satisfy regular expression pattern: ^[a-z][a-z0-9-]*$"},
		{"pattern with \\u escapes", `{"Name": "ab", "Wide": "tab\there"}`, smithy.Pattern, "at 'wide'"},
		{"range min", `{"Name": "ab", "Count": 0}`, smithy.Range, "Member must have value greater than or equal to 1"},
		{"range max as a query string", `{"Name": "ab", "Count": "101"}`, smithy.Range, "less than or equal to 100"},
		{"enum shape", `{"Name": "ab", "Mode": "gamma"}`, smithy.Enum, "Member must satisfy enum value set: [alpha, beta]"},
		{"enum trait", `{"Name": "ab", "Old": "z"}`, smithy.Enum, "[x, y]"},
		{"intEnum", `{"Name": "ab", "Level": 7}`, smithy.Enum, "at 'level'"},
		{"union none", `{"Name": "ab", "Choice": {}}`, smithy.Union, "exactly one member"},
		{"union two", `{"Name": "ab", "Choice": {"One": "1", "Two": "2"}}`, smithy.Union, "exactly one member"},
		{"type", `{"Name": "ab", "Flag": "yes"}`, smithy.Type, "Member must be a boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := m.Input("Op", input(t, tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 1 || vs[0].Kind != tt.kind || !strings.Contains(vs[0].String(), tt.want) {
				t.Fatalf("violations %v, want one %s containing %q", vs, tt.kind, tt.want)
			}
			if msg := smithy.Message(vs); !strings.HasPrefix(msg, "1 validation error detected: Value ") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestInputUnknownOperation(t *testing.T) {
	if _, err := load(t).Input("Nope", nil); err == nil {
		t.Fatal("an operation the model does not hold was validated")
	}
}
