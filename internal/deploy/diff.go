package deploy

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Property change kinds.
const (
	KindAdd    = "add"
	KindUpdate = "update"
	KindDelete = "delete"
)

// Masked stands for a secret value.
const Masked = "[secret]"

// PropertyDiff is one input a change alters, values rendered as JSON with
// secrets masked.
type PropertyDiff struct {
	// Path is the property path, as the engine names it
	// (scalingConfig.maxSize, instanceTypes[0], tags["team"]).
	Path string `json:"path"`
	// Kind is add, update or delete.
	Kind string `json:"kind"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	// Replaces is set when this input forces a replacement.
	Replaces bool `json:"replaces,omitempty"`
}

// secretKeys are the input names whose values are masked whatever the
// engine marks: the program's secrets (the database's password, a
// Kubernetes Secret's data and stringData, which the program makes
// additional secret outputs) and any key named like one.
var (
	secretNames     = []string{"data", "stringdata"}
	secretFragments = []string{"password", "secret", "token", "privatekey"}
)

// secretKey reports whether a property named k holds a secret.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	if contains(secretNames, k) {
		return true
	}
	for _, s := range secretFragments {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// secretSig is the key and value of Pulumi's secret marker in a property
// map (sdk/go/common/resource/sig: Key, Secret).
const (
	sigKey    = "4dabf18193072939515e22adb298388d"
	sigSecret = "1b47061264138c4ac30d75fd1eb44270"
	// unknown is how the engine renders a value known only after the
	// update (plugin.UnknownStringValue).
	unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
)

// masked is v with every secret replaced by Masked: values the engine
// marks secret and values under secret keys.
func masked(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x[sigKey] == sigSecret {
			return Masked
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			if secretKey(k) && e != nil {
				out[k] = Masked
				continue
			}
			out[k] = masked(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = masked(e)
		}
		return out
	}
	return v
}

// render is a value as compact JSON; an unknown is "(known after deploy)".
func render(v any) string {
	if s, ok := v.(string); ok && (s == Masked || s == unknown) {
		if s == unknown {
			return "(known after deploy)"
		}
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "(unprintable)"
	}
	return strings.ReplaceAll(string(b), unknown, "(known after deploy)")
}

// lookup finds path in props; a path through a secret key is masked.
func lookup(props map[string]any, path resource.PropertyPath) (any, bool) {
	var cur any = props
	for _, seg := range path {
		if s, ok := cur.(string); ok && s == Masked {
			return Masked, true
		}
		switch k := seg.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if m[sigKey] == sigSecret {
				return Masked, true
			}
			v, ok := m[k]
			if !ok {
				return nil, false
			}
			if secretKey(k) && v != nil {
				return Masked, true
			}
			cur = v
		case int:
			a, ok := cur.([]any)
			if !ok || k < 0 || k >= len(a) {
				return nil, false
			}
			cur = a[k]
		default:
			return nil, false
		}
	}
	return masked(cur), true
}

// propertyDiffs are the inputs a step changes: from the engine's detailed
// diff when it has one, else from its changed keys (Diffs) and replace
// keys (Keys), old and new values read from the step's states.
func propertyDiffs(m apitype.StepEventMetadata) []PropertyDiff {
	var olds, oldOuts, news map[string]any
	if m.Old != nil {
		olds, oldOuts = m.Old.Inputs, m.Old.Outputs
	}
	if m.New != nil {
		news = m.New.Inputs
	}
	var out []PropertyDiff
	if len(m.DetailedDiff) > 0 {
		for p, d := range m.DetailedDiff {
			from := olds
			if !d.InputDiff && oldOuts != nil {
				from = oldOuts
			}
			out = append(out, propertyDiff(p, from, news, kindOf(d.Kind), replaceKind(d.Kind)))
		}
	} else {
		for _, k := range m.Diffs {
			out = append(out, propertyDiff(resource.PropertyPath{k}.String(), olds, news, "", contains(m.Keys, k)))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// propertyDiff renders one path's change; an empty kind is derived from
// which side holds a value.
func propertyDiff(p string, olds, news map[string]any, kind string, replaces bool) PropertyDiff {
	d := PropertyDiff{Path: p, Kind: kind, Replaces: replaces}
	path, err := resource.ParsePropertyPath(p)
	if err != nil {
		path = resource.PropertyPath{p}
	}
	o, hasOld := lookup(olds, path)
	n, hasNew := lookup(news, path)
	if hasOld {
		d.Old = render(o)
	}
	if hasNew {
		d.New = render(n)
	}
	if d.Kind == "" {
		switch {
		case !hasOld:
			d.Kind = KindAdd
		case !hasNew:
			d.Kind = KindDelete
		default:
			d.Kind = KindUpdate
		}
	}
	return d
}

// allInputs lists every input of a created (or deleted) resource as a
// diff against nothing, for --diff.
func allInputs(props map[string]any, kind string) []PropertyDiff {
	var out []PropertyDiff
	for k := range props {
		if strings.HasPrefix(k, "__") {
			continue
		}
		p := resource.PropertyPath{k}.String()
		if kind == KindDelete {
			out = append(out, propertyDiff(p, props, nil, kind, false))
		} else {
			out = append(out, propertyDiff(p, nil, props, kind, false))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func kindOf(k apitype.DiffKind) string {
	switch k {
	case apitype.DiffAdd, apitype.DiffAddReplace:
		return KindAdd
	case apitype.DiffDelete, apitype.DiffDeleteReplace:
		return KindDelete
	}
	return KindUpdate
}

func replaceKind(k apitype.DiffKind) bool {
	return k == apitype.DiffAddReplace || k == apitype.DiffUpdateReplace || k == apitype.DiffDeleteReplace
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
