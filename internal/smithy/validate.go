package smithy

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Constraint kinds a Violation reports.
const (
	Required = "required"
	Length   = "length"
	Pattern  = "pattern"
	Range    = "range"
	Enum     = "enum"
	Union    = "union"
	Type     = "type"
)

// Violation is one constraint a request value fails.
type Violation struct {
	// Path locates the value as AWS's validation messages do: member
	// names with a lower-case first letter, joined by dots, list entries
	// as N.member (from 1).
	Path string
	// Member is the input's top-level member the value belongs to.
	Member string
	// Kind is the constraint kind (Required, Length, …).
	Kind string
	// Value is the offending value (nil when missing).
	Value any
	// Constraint states the rule as AWS's messages do.
	Constraint string
}

// String renders the violation as AWS's validation messages do.
func (v Violation) String() string {
	val := "null"
	if v.Value != nil {
		val = fmt.Sprintf("'%v'", v.Value)
	}
	return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", val, v.Path, v.Constraint)
}

// Message joins violations as a ValidationException message does.
func Message(vs []Violation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.String()
	}
	noun := "errors"
	if len(vs) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(vs), noun, strings.Join(parts, "; "))
}

// Input validates the decoded input of operation op. A value is a
// map[string]any (structure, union, map), []any (list), string,
// json.Number, float64 or bool; scalars of the query and REST protocols
// arrive as strings and are read by their target's type. It returns an
// error when the model does not hold op or a trait cannot be read.
func (m *Model) Input(op string, v map[string]any) ([]Violation, error) {
	o := m.Operation(op)
	if o == nil {
		return nil, fmt.Errorf("smithy: %s has no operation %s", m.Service, op)
	}
	if o.Input == nil || o.Input.Target == "smithy.api#Unit" {
		return nil, nil
	}
	w := &walker{m: m}
	w.structure("", "", m.Shapes[o.Input.Target], v)
	return w.out, w.err
}

type walker struct {
	m   *Model
	out []Violation
	err error
}

func (w *walker) fail(path, top, kind string, v any, format string, args ...any) {
	w.out = append(w.out, Violation{Path: path, Member: top, Kind: kind, Value: v, Constraint: fmt.Sprintf(format, args...)})
}

func (w *walker) setErr(err error) {
	if w.err == nil {
		w.err = err
	}
}

// structure checks a structure's or union's members, in name order.
func (w *walker) structure(path, top string, s *Shape, v any) {
	mv, ok := v.(map[string]any)
	if !ok {
		w.fail(path, top, Type, v, "Member must be a structure")
		return
	}
	set := 0
	for _, name := range slices.Sorted(maps.Keys(s.Members)) {
		mem := s.Members[name]
		p := lowerFirst(name)
		if path != "" {
			p = path + "." + p
		}
		t := top
		if t == "" {
			t = name
		}
		child, present := mv[name]
		if !present || child == nil {
			if mem.Traits.Has("smithy.api#required") {
				w.fail(p, t, Required, nil, "Member must not be null")
			}
			continue
		}
		set++
		w.value(p, t, mem, child)
	}
	if s.Type == "union" && set != 1 {
		w.fail(path, top, Union, nil, "Member must have exactly one member set (%d are)", set)
	}
}

// value checks one member's value against its target and traits; the
// member's traits override the target's.
func (w *walker) value(path, top string, mem *Member, v any) {
	s := w.m.Target(mem.Target)
	if s == nil {
		w.setErr(fmt.Errorf("smithy: no shape %s", mem.Target))
		return
	}
	traits := Traits{}
	for k, x := range s.Traits {
		traits[k] = x
	}
	for k, x := range mem.Traits {
		traits[k] = x
	}
	switch s.Type {
	case "structure", "union":
		w.structure(path, top, s, v)
	case "list", "set":
		xs, ok := v.([]any)
		if !ok {
			w.fail(path, top, Type, v, "Member must be a list")
			return
		}
		w.length(path, top, traits, v, len(xs))
		for i, x := range xs {
			if x != nil {
				w.value(fmt.Sprintf("%s.%d.member", path, i+1), top, s.Member, x)
			}
		}
	case "map":
		mv, ok := v.(map[string]any)
		if !ok {
			w.fail(path, top, Type, v, "Member must be a map")
			return
		}
		w.length(path, top, traits, v, len(mv))
		for _, k := range slices.Sorted(maps.Keys(mv)) {
			w.value(path+".key", top, s.Key, k)
			if mv[k] != nil {
				w.value(path+"."+k, top, s.Value, mv[k])
			}
		}
	case "string", "enum":
		w.str(path, top, s, traits, v)
	case "blob":
		w.blob(path, top, traits, v)
	case "boolean":
		if _, ok := v.(bool); !ok && v != "true" && v != "false" {
			w.fail(path, top, Type, v, "Member must be a boolean")
		}
	case "byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal", "intEnum":
		w.number(path, top, s, traits, v)
	}
}

func (w *walker) str(path, top string, s *Shape, traits Traits, v any) {
	str, ok := v.(string)
	if !ok {
		w.fail(path, top, Type, v, "Member must be a string")
		return
	}
	w.length(path, top, traits, v, utf8.RuneCountInString(str))
	var pat string
	if ok, err := traits.Decode("smithy.api#pattern", &pat); err != nil {
		w.setErr(err)
	} else if ok {
		re, err := compile(pat)
		if err != nil {
			w.setErr(err)
		} else if !re.MatchString(str) {
			w.fail(path, top, Pattern, v, "Member must satisfy regular expression pattern: %s", pat)
		}
	}
	values, err := enumValues(s, traits)
	if err != nil {
		w.setErr(err)
	} else if values != nil && !slices.Contains(values, str) {
		w.fail(path, top, Enum, v, "Member must satisfy enum value set: [%s]", strings.Join(values, ", "))
	}
}

func (w *walker) blob(path, top string, traits Traits, v any) {
	var n int
	switch b := v.(type) {
	case []byte:
		n = len(b)
	case string:
		n = len(b)
		if d, err := base64.StdEncoding.DecodeString(b); err == nil {
			n = len(d)
		}
	default:
		w.fail(path, top, Type, v, "Member must be a blob")
		return
	}
	w.length(path, top, traits, v, n)
}

func (w *walker) number(path, top string, s *Shape, traits Traits, v any) {
	var x float64
	var err error
	switch n := v.(type) {
	case json.Number:
		x, err = n.Float64()
	case float64:
		x = n
	case int:
		x = float64(n)
	case string:
		x, err = strconv.ParseFloat(n, 64)
	default:
		err = fmt.Errorf("%T", v)
	}
	if err != nil {
		w.fail(path, top, Type, v, "Member must be a number")
		return
	}
	var r struct{ Min, Max *float64 }
	if ok, err := traits.Decode("smithy.api#range", &r); err != nil {
		w.setErr(err)
	} else if ok {
		if r.Min != nil && x < *r.Min {
			w.fail(path, top, Range, v, "Member must have value greater than or equal to %s", num(*r.Min))
		}
		if r.Max != nil && x > *r.Max {
			w.fail(path, top, Range, v, "Member must have value less than or equal to %s", num(*r.Max))
		}
	}
	if s.Type == "intEnum" {
		var ok bool
		for _, m := range s.Members {
			var ev float64
			if _, err := m.Traits.Decode("smithy.api#enumValue", &ev); err == nil && ev == x {
				ok = true
			}
		}
		if !ok {
			w.fail(path, top, Enum, v, "Member must satisfy enum value set")
		}
	}
}
