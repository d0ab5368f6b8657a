package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// schemaJSON is the part of pulumi-aws 6.83.4's schema Check validates
// against: required inputs and value types of the resource types the
// program registers, generated from the pinned Go SDK by schemagen (see
// its doc comment; "source" names the module and its go.sum hash).
//
//go:embed schema.json
var schemaJSON []byte

// valueType is a value type of schema.json.
type valueType struct {
	Type       string                `json:"type"`
	Items      *valueType            `json:"items"`
	Properties map[string]*valueType `json:"properties"`
	Required   []string              `json:"required"`
}

var resourceSchemas = sync.OnceValues(func() (map[string]*valueType, error) {
	var s struct {
		Resources map[string]*valueType `json:"resources"`
	}
	if err := json.Unmarshal(schemaJSON, &s); err != nil {
		return nil, fmt.Errorf("schema.json: %w", err)
	}
	return s.Resources, nil
})

// checkSchema returns the failures of a resource's inputs against its
// type's schema: a missing required input, a value of the wrong type. A
// type the schema does not hold is itself a failure: the fake checks
// every input it accepts.
func checkSchema(typ string, news resource.PropertyMap) ([]*pulumirpc.CheckFailure, error) {
	schemas, err := resourceSchemas()
	if err != nil {
		return nil, err
	}
	t := schemas[typ]
	if t == nil {
		return []*pulumirpc.CheckFailure{{Reason: fmt.Sprintf("the fake aws provider has no schema of %s (tools/fake-aws-provider/schema.json: run go run ./schemagen)", typ)}}, nil
	}
	var out []*pulumirpc.CheckFailure
	checkValue("", t, resource.NewObjectProperty(news), &out)
	return out, nil
}

func checkValue(path string, t *valueType, v resource.PropertyValue, out *[]*pulumirpc.CheckFailure) {
	for v.IsSecret() || (v.IsOutput() && v.OutputValue().Known) {
		if v.IsSecret() {
			v = v.SecretValue().Element
		} else {
			v = v.OutputValue().Element
		}
	}
	if v.IsNull() || v.IsComputed() || v.IsOutput() || v.IsResourceReference() {
		return
	}
	fail := func(want string) {
		*out = append(*out, &pulumirpc.CheckFailure{Property: path,
			Reason: fmt.Sprintf("%s: expected %s, got %s", path, want, v.TypeString())})
	}
	switch t.Type {
	case "string":
		if !v.IsString() && !v.IsNumber() && !v.IsBool() {
			fail("a string")
		}
	case "integer", "number":
		if s := v; s.IsString() {
			if _, err := strconv.ParseFloat(s.StringValue(), 64); err != nil {
				fail("a number")
			}
		} else if !v.IsNumber() {
			fail("a number")
		} else if t.Type == "integer" && v.NumberValue() != float64(int64(v.NumberValue())) {
			fail("an integer")
		}
	case "boolean":
		if !v.IsBool() && !(v.IsString() && (v.StringValue() == "true" || v.StringValue() == "false")) {
			fail("a boolean")
		}
	case "array":
		if !v.IsArray() {
			fail("a list")
			return
		}
		for i, x := range v.ArrayValue() {
			checkValue(fmt.Sprintf("%s[%d]", path, i), t.Items, x, out)
		}
	case "map":
		if !v.IsObject() {
			fail("a map")
			return
		}
		for k, x := range v.ObjectValue() {
			checkValue(join(path, string(k)), t.Items, x, out)
		}
	case "object":
		checkObject(path, t, v, out, fail)
	}
}

func checkObject(path string, t *valueType, v resource.PropertyValue, out *[]*pulumirpc.CheckFailure, fail func(string)) {
	if v.IsArray() && len(v.ArrayValue()) == 1 {
		v = v.ArrayValue()[0] // a block of at most one, as Terraform's lists of MaxItems 1
	}
	if !v.IsObject() {
		fail("an object")
		return
	}
	obj := v.ObjectValue()
	for _, r := range t.Required {
		if x, ok := obj[resource.PropertyKey(r)]; !ok || x.IsNull() {
			p := join(path, r)
			*out = append(*out, &pulumirpc.CheckFailure{Property: p,
				Reason: fmt.Sprintf("Missing required argument. The argument %q is required, but no definition was found.", p)})
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		if pt := t.Properties[k]; pt != nil {
			checkValue(join(path, k), pt, obj[resource.PropertyKey(k)], out)
		}
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
