// Package charts checks Helm chart values against the upstream charts'
// values.yaml and values.schema.json, from the repository's own copy of the
// pinned charts under third_party/charts.
package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Dir is where the pinned charts lie relative to the repository root.
const Dir = "third_party/charts"

// Find walks up from dir to the repository root (the folder with go.mod)
// and returns the pinned charts folder in it.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			charts := filepath.Join(d, Dir)
			if st, err := os.Stat(charts); err != nil || !st.IsDir() {
				return "", fmt.Errorf("pinned charts not found at %s (repository root %s)", charts, d)
			}
			return charts, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: cannot locate the repository root", abs)
		}
	}
}

// Version reads the version of the chart in dir from its Chart.yaml.
func Version(dir string) (string, error) {
	path := filepath.Join(dir, "Chart.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	var meta struct{ Version string }
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return "", fmt.Errorf("decoding %s: %w", path, err)
	}
	if meta.Version == "" {
		return "", fmt.Errorf("%s has no version", path)
	}
	return meta.Version, nil
}

// Chart is one pinned chart: its values.yaml (with the values of its
// subcharts merged under their keys) and its schema, if it has one.
type Chart struct {
	Dir      string
	Defaults map[string]any
	// Schema is the decoded values.schema.json, or nil.
	Schema map[string]any
	schema *jsonschema.Schema
}

// Load reads the chart in dir. subcharts maps a values key (such as
// "grafana") to a subchart folder relative to dir.
func Load(dir string, subcharts map[string]string) (*Chart, error) {
	c := &Chart{Dir: dir}
	var err error
	if c.Defaults, err = readYAML(filepath.Join(dir, "values.yaml")); err != nil {
		return nil, err
	}
	for key, sub := range subcharts {
		vals, err := readYAML(filepath.Join(dir, sub, "values.yaml"))
		if err != nil {
			return nil, fmt.Errorf("subchart %s: %w", key, err)
		}
		parent, _ := c.Defaults[key].(map[string]any)
		c.Defaults[key] = Merge(vals, parent)
	}
	path := filepath.Join(dir, "values.schema.json")
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(raw, &c.Schema); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("values.schema.json", doc); err != nil {
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	if c.schema, err = comp.Compile("values.schema.json"); err != nil {
		return nil, fmt.Errorf("compiling %s: %w", path, err)
	}
	return c, nil
}

func readYAML(path string) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	out := map[string]any{}
	if err := yaml.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// Merge returns base with over deep-merged onto it, as Helm merges user
// values onto a chart's defaults. Neither argument is changed.
func Merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bm, bok := out[k].(map[string]any)
		om, ook := v.(map[string]any)
		if bok && ook {
			out[k] = Merge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}

// Validate checks the merged values (defaults plus values) against the
// chart's schema, as `helm install` does. Charts without one pass.
func (c *Chart) Validate(values map[string]any) error {
	if c.schema == nil {
		return nil
	}
	raw, err := json.Marshal(Merge(c.Defaults, values))
	if err != nil {
		return fmt.Errorf("encoding values: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("decoding values: %w", err)
	}
	if err := c.schema.Validate(inst); err != nil {
		return fmt.Errorf("values of %s do not match values.schema.json: %w", c.Dir, err)
	}
	return nil
}

// UnknownKeys returns the dotted paths of values that neither values.yaml
// declares nor the schema allows. A path in freeForm, or beneath one, is
// accepted as is: these are the chart's free-form maps (annotations,
// node selectors, extra arguments). Lists are values, not walked into.
func (c *Chart) UnknownKeys(values map[string]any, freeForm []string) []string {
	free := map[string]bool{}
	for _, p := range freeForm {
		free[p] = true
	}
	var out []string
	c.walk("", values, c.Defaults, c.Schema, free, &out)
	sort.Strings(out)
	return out
}

func (c *Chart) walk(prefix string, values, defaults, schema map[string]any, free map[string]bool, out *[]string) {
	for k, v := range values {
		path := strings.TrimPrefix(prefix+"."+k, ".")
		if free[path] {
			continue
		}
		def, inValues := defaults[k]
		sub, inSchema := c.property(schema, k)
		if !inValues && !inSchema {
			*out = append(*out, path)
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		defMap, _ := def.(map[string]any)
		if sub == nil && len(defMap) == 0 && inSchema {
			continue // the schema admits any keys here
		}
		c.walk(path, m, defMap, sub, free, out)
	}
}

// property returns the schema of key k under node and whether the schema
// admits k. A nil schema with true means "any value".
func (c *Chart) property(node map[string]any, k string) (map[string]any, bool) {
	node = c.resolve(node)
	if node == nil {
		return nil, false
	}
	if props, ok := node["properties"].(map[string]any); ok {
		if p, ok := props[k].(map[string]any); ok {
			return c.resolve(p), true
		}
	}
	switch ap := node["additionalProperties"].(type) {
	case bool:
		return nil, ap
	case map[string]any:
		return c.resolve(ap), true
	}
	// No additionalProperties keyword: JSON Schema admits any key.
	return nil, true
}

// resolve follows local "$ref"s ("#/$defs/name").
func (c *Chart) resolve(node map[string]any) map[string]any {
	for i := 0; node != nil && i < 16; i++ {
		ref, ok := node["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return node
		}
		var cur any = c.Schema
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")]
		}
		node, _ = cur.(map[string]any)
	}
	return node
}
