package spec

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"gopkg.in/yaml.v3"
)

// Overrides is a tree of configuration values keyed like the spec's JSON tags.
// Leaves keep their original text (a string), so "1.30" stays "1.30"; lists
// are []any and objects map[string]any. Values are typed when applied.
type Overrides map[string]any

// ParseSet parses one --set flag, "dotted.key=value", into o. A value that
// starts with '[' or '{' is read as a YAML flow list or object.
func (o Overrides) ParseSet(flag string) error {
	key, value, ok := strings.Cut(flag, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fmt.Errorf("--set %q: want key=value", flag)
	}
	v, err := parseValue(value)
	if err != nil {
		return fmt.Errorf("--set %s: %w", key, err)
	}
	parts := strings.Split(key, ".")
	node := map[string]any(o)
	for i, p := range parts {
		if p == "" {
			return fmt.Errorf("--set %q: empty segment in key", flag)
		}
		if i == len(parts)-1 {
			node[p] = v
			break
		}
		next, ok := node[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			node[p] = next
		}
		node = next
	}
	return nil
}

// Merge copies every key of src into o; src wins on conflicts.
func (o Overrides) Merge(src Overrides) { mergeInto(o, src) }

func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		sm, sok := v.(map[string]any)
		dm, dok := dst[k].(map[string]any)
		if sok && dok {
			mergeInto(dm, sm)
			continue
		}
		dst[k] = v
	}
}

// parseValue keeps scalars as text and parses flow collections.
func parseValue(text string) (any, error) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "{") {
		return text, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(t), &n); err != nil {
		return nil, fmt.Errorf("parsing %q: %w", text, err)
	}
	return nodeValue(&n)
}

// nodeValue turns a YAML node into the override tree, keeping scalar text.
func nodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return nodeValue(n.Content[0])
	case yaml.ScalarNode:
		return n.Value, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: keys must be plain names", n.Content[i].Line)
			}
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	case yaml.AliasNode:
		return nil, fmt.Errorf("line %d: YAML aliases are not supported in configuration", n.Line)
	default:
		return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
}

// Apply sets every override on s, checking each key against the spec's shape.
// All problems are returned together, each naming its key.
func (o Overrides) Apply(s *Spec) error {
	var c collector
	applyStruct(&c, "", reflect.ValueOf(s).Elem(), o)
	return c.err()
}

func applyStruct(c *collector, prefix string, v reflect.Value, tree map[string]any) {
	fields := map[string]reflect.Value{}
	var names []string
	for i := 0; i < v.NumField(); i++ {
		tag := strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = v.Field(i)
		names = append(names, tag)
	}
	keys := make([]string, 0, len(tree))
	for k := range tree {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path := join(prefix, k)
		f, ok := fields[k]
		if !ok {
			c.errf(path, "unknown key%s", suggest(k, names))
			continue
		}
		applyValue(c, path, f, tree[k])
	}
}

func applyValue(c *collector, path string, f reflect.Value, val any) {
	switch f.Kind() {
	case reflect.Struct:
		m, ok := val.(map[string]any)
		if !ok {
			c.errf(path, "must be an object with keys, got %s", describe(val))
			return
		}
		applyStruct(c, path, f, m)
	case reflect.Map:
		m, ok := val.(map[string]any)
		if !ok {
			c.errf(path, "must be an object of strings, got %s", describe(val))
			return
		}
		// Keys merge into the profile's map: setting one tag keeps the others.
		out := reflect.MakeMapWithSize(f.Type(), len(m)+f.Len())
		iter := f.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), iter.Value())
		}
		for k, item := range m {
			s, ok := item.(string)
			if !ok {
				c.errf(join(path, k), "must be a string, got %s", describe(item))
				continue
			}
			out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
		}
		f.Set(out)
	case reflect.Slice:
		list, ok := val.([]any)
		if !ok {
			c.errf(path, "must be a list such as [a, b], got %s", describe(val))
			return
		}
		out := make([]string, 0, len(list))
		for i, item := range list {
			s, ok := item.(string)
			if !ok {
				c.errf(fmt.Sprintf("%s[%d]", path, i), "must be a string, got %s", describe(item))
				continue
			}
			out = append(out, s)
		}
		f.Set(reflect.ValueOf(out))
	default:
		setScalar(c, path, f, val)
	}
}

func setScalar(c *collector, path string, f reflect.Value, val any) {
	text, ok := val.(string)
	if !ok {
		c.errf(path, "must be a single value, got %s", describe(val))
		return
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(text)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			c.errf(path, "must be a whole number, got %q", text)
			return
		}
		f.SetInt(int64(n))
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			c.errf(path, "must be true or false, got %q", text)
			return
		}
		f.SetBool(b)
	default:
		c.errf(path, "cannot be set from configuration")
	}
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "a single value"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// suggest names the closest known key: one that differs only in case, else
// the nearest within an edit distance of 2; without one it lists them all.
func suggest(key string, known []string) string {
	if k, ok := closest(key, known); ok {
		return fmt.Sprintf(" (did you mean %q?)", k)
	}
	sorted := slices.Sorted(slices.Values(known))
	return fmt.Sprintf(" (known keys: %s)", strings.Join(sorted, ", "))
}

// maxSuggestDistance is how many single-character edits a misspelling
// may be from the key it suggests.
const maxSuggestDistance = 2

// closest is the known key equal to key but for case, else the one
// nearest to key (Levenshtein distance, case folded) within
// maxSuggestDistance; ties go to the first in sorted order.
func closest(key string, known []string) (string, bool) {
	best, bestDist := "", maxSuggestDistance+1
	for _, k := range slices.Sorted(slices.Values(known)) {
		if strings.EqualFold(k, key) {
			return k, true
		}
		if d := levenshtein.ComputeDistance(strings.ToLower(k), strings.ToLower(key)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best, best != ""
}
