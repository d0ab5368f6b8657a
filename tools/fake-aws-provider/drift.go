package main

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// EnvDrift is a JSON object from resource names (or, where two resources
// share a name, "<type>::<name>") to JSON merge patches
// (RFC 7386) of what the cloud holds: a refresh reads each named
// resource back with its patch applied to its outputs and inputs, as if
// someone had changed it outside Pulumi, e.g.
// {"logs-cluster":{"retentionInDays":7}}.
const EnvDrift = "MLOPS_FAKE_AWS_DRIFT"

// parseDrift reads EnvDrift's value.
func parseDrift(spec string) (map[string]map[string]any, error) {
	if spec == "" {
		return nil, nil
	}
	var d map[string]map[string]any
	if err := json.Unmarshal([]byte(spec), &d); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvDrift, err)
	}
	return d, nil
}

// drifted applies the patch of urn's resource, if any, to props.
func (p *Provider) drifted(urn string, props *structpb.Struct) (*structpb.Struct, error) {
	u := resource.URN(urn)
	patch, ok := p.drift[string(u.Type())+"::"+u.Name()]
	if !ok {
		patch, ok = p.drift[u.Name()]
	}
	if !ok || props == nil {
		return props, nil
	}
	m, err := plugin.UnmarshalProperties(props, marshal)
	if err != nil {
		return nil, err
	}
	// Only the patched keys are rebuilt: the others keep their secret
	// and unknown markings.
	for k, v := range patch {
		key := resource.PropertyKey(k)
		if v == nil {
			delete(m, key)
			continue
		}
		var old any
		if cur, ok := m[key]; ok {
			old = cur.Mappable()
		}
		m[key] = resource.NewPropertyValue(mergePatch(old, v))
	}
	return plugin.MarshalProperties(m, marshal)
}

// mergePatch applies an RFC 7386 merge patch to target.
func mergePatch(target any, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	out := make(map[string]any, len(tm))
	for k, v := range tm {
		out[k] = v
	}
	for k, v := range pm {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = mergePatch(out[k], v)
	}
	return out
}
