package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/mlops-platform/mlops-platform/internal/awsrules"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// checkCatalogue returns the failures of a resource's inputs against the
// request rules of internal/awsrules: the AWS API models' constraints on
// the members the provider passes the inputs to, and the reviewed
// catalogue of rules AWS documents in prose (e.g. the security-group
// description character set).
func checkCatalogue(urn resource.URN, news resource.PropertyMap) ([]*pulumirpc.CheckFailure, error) {
	g := &plan.Graph{Resources: []plan.Resource{{
		URN: string(urn), Type: string(urn.Type()), Name: urn.Name(), Custom: true,
		Inputs: plainMap(news),
	}}}
	vs, err := awsrules.Check(g)
	if err != nil {
		return nil, fmt.Errorf("awsrules: %w", err)
	}
	var out []*pulumirpc.CheckFailure
	for _, v := range vs {
		out = append(out, &pulumirpc.CheckFailure{Property: v.Path, Reason: fmt.Sprintf("%s: %v", v.Path, v.Err)})
	}
	return out, nil
}

func plainMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if p := plainValue(v); p != nil {
			out[string(k)] = p
		}
	}
	return out
}

// plainValue is a property value as the plan's inputs hold it; unknown
// values are nil (not checked).
func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsOutput():
		if v.OutputValue().Known {
			return plainValue(v.OutputValue().Element)
		}
		return nil
	case v.IsComputed(), v.IsNull(), v.IsResourceReference():
		return nil
	case v.IsArray():
		var xs []any
		for _, x := range v.ArrayValue() {
			xs = append(xs, plainValue(x))
		}
		return xs
	case v.IsObject():
		return plainMap(v.ObjectValue())
	}
	return v.V
}
