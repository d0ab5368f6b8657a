package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// EnvCallLog is a file the provider appends one JSON line to for every
// resource operation it carries out against the cloud: a create, read
// (refresh), update or delete that is not a preview, and every data
// source it answers (Invoke). Check and Diff call no AWS API and are not
// logged. internal/testing/iamreplay replays the
// log as the IAM authorizations the real provider's calls need.
const EnvCallLog = "MLOPS_FAKE_AWS_CALL_LOG"

// The steps a logged operation names.
const (
	stepCreate = "create"
	stepRead   = "read"
	stepUpdate = "update"
	stepDelete = "delete"
	// stepInvoke is a data source the program called: Type is the
	// invoke's token, Inputs its arguments, Outputs its answer.
	stepInvoke = "invoke"
)

// Operation is one line of the call log. It records the whole inputs and
// outputs (secrets redacted): which of them authorization depends on is
// the replay's to interpret.
type Operation struct {
	// Type is the resource's type token, Step one of create, read, update
	// or delete; for a data source, its token and invoke.
	Type string `json:"type"`
	Step string `json:"step"`
	URN  string `json:"urn"`
	// ID is the physical ID: the new one of a create.
	ID string `json:"id"`
	// Region is the provider's region; DefaultTags are the default tags
	// of its configuration, which the real provider adds to every
	// taggable resource's tags (tagsAll).
	Region      string            `json:"region"`
	DefaultTags map[string]string `json:"defaultTags,omitempty"`
	// Inputs are the inputs the operation was given (the old ones of a
	// delete), Outputs the state it left (the old state of a delete).
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// callLog appends operations to a file; a nil log records nothing.
type callLog struct {
	mu   sync.Mutex
	path string
}

// newCallLog returns the log at path, or nil when path is "".
func newCallLog(path string) *callLog {
	if path == "" {
		return nil
	}
	return &callLog{path: path}
}

// redacted is props as plain JSON values, secrets replaced by
// "[secret]" and unknowns by null.
func redacted(props resource.PropertyMap) map[string]any {
	return props.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		switch {
		case v.IsSecret() || v.IsOutput() && v.OutputValue().Secret:
			return "[secret]", true
		case v.IsComputed() || v.IsOutput() && !v.OutputValue().Known:
			return nil, true
		case v.IsOutput():
			return v.OutputValue().Element.MapRepl(nil, nil), true
		case v.IsResourceReference():
			return v.ResourceReferenceValue().ID.MapRepl(nil, nil), true
		}
		return nil, false
	})
}

// record appends one operation. Each line is written with one write to a
// file opened for appending, so the lines of concurrent operations (and
// of the provider processes of successive commands) never interleave.
func (l *callLog) record(p *Provider, step, urn, id string, in, out resource.PropertyMap) error {
	if l == nil {
		return nil
	}
	return l.write(Operation{Type: string(resource.URN(urn).Type()), Step: step, URN: urn, ID: id, Region: p.region,
		DefaultTags: p.defaultTags, Inputs: redacted(in), Outputs: redacted(out)})
}

// write appends op as one line.
func (l *callLog) write(op Operation) error {
	b, err := json.Marshal(op)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvCallLog, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvCallLog, err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", EnvCallLog, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", EnvCallLog, err)
	}
	return nil
}

// recordInvoke appends a data source call; a nil log records nothing.
func (l *callLog) recordInvoke(p *Provider, tok string, args, ret resource.PropertyMap) error {
	if l == nil {
		return nil
	}
	return l.write(Operation{Type: tok, Step: stepInvoke, Region: p.region, Inputs: redacted(args), Outputs: redacted(ret)})
}

// logStructs records an operation whose inputs and outputs are still
// marshalled.
func (p *Provider) logStructs(step, urn, id string, in, out *structpb.Struct) error {
	if p.log == nil {
		return nil
	}
	ins, err := plugin.UnmarshalProperties(in, marshal)
	if err != nil {
		return fmt.Errorf("%s %s: %w", step, urn, err)
	}
	outs, err := plugin.UnmarshalProperties(out, marshal)
	if err != nil {
		return fmt.Errorf("%s %s: %w", step, urn, err)
	}
	return p.log.record(p, step, urn, id, ins, outs)
}

// configuredTags reads the tags of the provider configuration's
// defaultTags ({"tags": {...}}), which arrives as an object or, from
// engines that send configuration as strings, as its JSON.
func configuredTags(v *structpb.Value) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	raw := v.AsInterface()
	if s, ok := raw.(string); ok {
		if s == "" {
			return nil, nil
		}
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return nil, err
		}
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%T, want an object", raw)
	}
	tags, _ := obj["tags"].(map[string]any)
	out := map[string]string{}
	for k, t := range tags {
		s, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf("tag %s is %T, want a string", k, t)
		}
		out[k] = s
	}
	return out, nil
}
