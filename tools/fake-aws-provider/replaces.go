package main

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlops-platform/mlops-platform/internal/tfreplace"
)

// diff compares two input bags of a resource of type typ ("" for the
// provider's own configuration, which nothing replaces). A changed input
// is an in-place update unless it changes a path the Terraform AWS
// provider marks ForceNew or RequiresReplace (internal/tfreplace, read
// from the provider's source, as recorded); then the top-level property is
// reported in Replaces, as pulumi-terraform-bridge reports it.
func diff(typ string, oldS, newS *structpb.Struct, ignore []string) (*pulumirpc.DiffResponse, error) {
	olds, err := plugin.UnmarshalProperties(oldS, marshal)
	if err != nil {
		return nil, fmt.Errorf("old inputs: %w", err)
	}
	news, err := plugin.UnmarshalProperties(newS, marshal)
	if err != nil {
		return nil, fmt.Errorf("new inputs: %w", err)
	}
	skip := map[string]bool{}
	for _, k := range ignore {
		skip[k] = true
	}
	var diffs []string
	listed := map[resource.PropertyKey]bool{}
	if d := olds.DiffIncludeUnknowns(news); d != nil {
		for _, k := range d.ChangedKeys() {
			listed[k] = true
		}
	}
	for k, ok := range listed {
		if ok && !skip[string(k)] {
			diffs = append(diffs, string(k))
		}
	}
	sort.Strings(diffs)
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, Diffs: diffs}
	if len(diffs) == 0 {
		return resp, nil
	}
	resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	if typ == "" {
		return resp, nil
	}
	rules, ok, err := tfreplace.For(typ)
	if err != nil {
		return nil, err
	}
	if !ok {
		// Not recorded yet (tfreplace.NotRecorded): every change is an
		// in-place update.
		return resp, nil
	}
	changed := map[string]bool{}
	for _, k := range diffs {
		changed[k] = true
	}
	seen := map[string]bool{}
	for _, p := range rules.Changed(plainProps(olds), plainProps(news)) {
		if top := tfreplace.Top(p); changed[top] && !seen[top] {
			seen[top] = true
			resp.Replaces = append(resp.Replaces, top)
		}
	}
	resp.DeleteBeforeReplace = len(resp.Replaces) > 0 && namedExplicitly(rules, news)
	return resp, nil
}

// namedExplicitly mirrors pulumi-terraform-bridge's
// nameRequiresDeleteBeforeReplace (pkg/tfbridge/schema.go): a replacement
// deletes first when the inputs set the auto-named property themselves
// rather than leaving it to the auto-namer, since the new resource cannot
// take a name the old one still holds. The fake's Check auto-names
// nothing, so a name in the inputs is the program's own.
func namedExplicitly(r tfreplace.Resource, news resource.PropertyMap) bool {
	if r.AutoName == "" {
		return false
	}
	v, ok := news[resource.PropertyKey(r.AutoName)]
	return ok && !v.IsNull()
}

// unknown stands for a value not known at preview: it equals no value, so
// an unknown replacing input replaces, as Terraform plans it.
type unknown struct{}

func plainProps(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plain(v)
	}
	return out
}

// plain turns a property value into the plain values tfreplace compares:
// secrets and known outputs by their element, resource references by URN.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput():
		if !v.OutputValue().Known {
			return unknown{}
		}
		return plain(v.OutputValue().Element)
	case v.IsComputed():
		return unknown{}
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsObject():
		return plainProps(v.ObjectValue())
	case v.IsArray():
		out := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = plain(e)
		}
		return out
	case v.IsNull():
		return nil
	}
	return v.V
}
