package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/tfreplace"
)

// PulumiType is a value type of the pinned Pulumi schema table
// (tools/fake-aws-provider/schema.json, generated from pulumi-aws 6.83.4).
type PulumiType struct {
	Type       string                 `json:"type"`
	Items      *PulumiType            `json:"items"`
	Properties map[string]*PulumiType `json:"properties"`
}

// ReadPulumiSchema reads the resources of a schema.json.
func ReadPulumiSchema(path string) (map[string]*PulumiType, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pulumi schema: %w", err)
	}
	var s struct {
		Resources map[string]*PulumiType `json:"resources"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("pulumi schema %s: %w", path, err)
	}
	return s.Resources, nil
}

// camel is the bridge's default Pulumi name of a Terraform name:
// snake_case to lowerCamelCase.
func camel(tf string) string {
	parts := strings.Split(tf, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// pulumiName finds the Pulumi property of a Terraform attribute among a
// type's properties: its camelCase name, or the plural the bridge gives a
// list or set block ("rule" → "rules", "policy" → "policies").
func pulumiName(props map[string]*PulumiType, tf string) (string, *PulumiType, error) {
	c := camel(tf)
	cands := []string{c, c + "s", c + "es"}
	if strings.HasSuffix(c, "y") {
		cands = append(cands, strings.TrimSuffix(c, "y")+"ies")
	}
	for _, n := range cands {
		if t, ok := props[n]; ok {
			return n, t, nil
		}
	}
	return "", nil, fmt.Errorf("terraform attribute %q maps to no Pulumi property (tried %s)", tf, strings.Join(cands, ", "))
}

// marked reports whether a or anything below it can replace.
func marked(a *Attr) bool {
	if a.ForceNew || a.Conditional {
		return true
	}
	for _, c := range a.Children {
		if marked(c) {
			return true
		}
	}
	return false
}

// conv converts one resource's attributes to Pulumi paths.
type conv struct {
	// notInPinned holds the manifest's NotInPinned paths, true once used.
	notInPinned map[string]bool
	out         []tfreplace.Path
}

// pulumiPaths converts the replacing attributes to Pulumi property paths:
// names as the pinned schema spells them, "[]" for the elements of a list
// or set the schema types as an array (a MaxItems-1 block is an object).
func (c *conv) pulumiPaths(attrs []*Attr, t *PulumiType, tfPrefix, prefix string) error {
	for _, a := range attrs {
		if !marked(a) {
			continue
		}
		name, pt, err := pulumiName(t.Properties, a.Name)
		if _, absent := c.notInPinned[tfPrefix+a.Name]; err != nil && absent {
			c.notInPinned[tfPrefix+a.Name] = true
			continue
		}
		if err != nil {
			return err
		}
		p := prefix + name
		if a.ForceNew || a.Conditional {
			c.out = append(c.out, tfreplace.Path{Path: p, Conditional: a.Conditional && !a.ForceNew, Reason: a.Reason, Computed: a.Computed})
			if a.ForceNew {
				continue // everything below replaces too
			}
		}
		for pt.Type == "array" && pt.Items != nil {
			p, pt = p+"[]", pt.Items
		}
		if len(a.Children) > 0 {
			if pt.Properties == nil {
				return fmt.Errorf("%s: the Pulumi schema has no object under %s", a.Name, p)
			}
			if err := c.pulumiPaths(a.Children, pt, tfPrefix+a.Name+".", p+"."); err != nil {
				return fmt.Errorf("%s.%w", a.Name, err)
			}
		}
	}
	return nil
}

// Resource extracts one vendored resource's replacing paths.
func Resource(dir string, s Source, pulumi map[string]*PulumiType) (tfreplace.Resource, error) {
	r := tfreplace.Resource{Terraform: s.Resource}
	attrs, err := sourceAttrs(dir, s)
	if err != nil {
		return r, fmt.Errorf("%s: %s: %w", s.Token, s.Path, err)
	}
	pt := pulumi[s.Token]
	if pt == nil {
		return r, fmt.Errorf("%s: not in the pinned Pulumi schema", s.Token)
	}
	c := conv{notInPinned: map[string]bool{}}
	for _, n := range s.NotInPinned {
		c.notInPinned[n] = false
	}
	if err := c.pulumiPaths(attrs, pt, "", ""); err != nil {
		return r, fmt.Errorf("%s: %s: %w", s.Token, s.Resource, err)
	}
	for n, used := range c.notInPinned {
		if !used {
			return r, fmt.Errorf("%s: notInPinned lists %q, which is no replacing attribute missing from the pinned schema", s.Token, n)
		}
	}
	// An empty list, not null: the provider replaces on no input change.
	r.Replaces = append([]tfreplace.Path{}, c.out...)
	sort.Slice(r.Replaces, func(i, j int) bool { return r.Replaces[i].Path < r.Replaces[j].Path })
	// pulumi-terraform-bridge's SetAutonaming: a string input named "name"
	// is auto-named (see tfreplace.Resource.AutoName).
	if n := find(attrs, "name"); n != nil && pt.Properties["name"] != nil && pt.Properties["name"].Type == "string" {
		r.AutoName = "name"
	}
	return r, nil
}

// Table extracts every resource of the manifest under manifestDir from the
// upstream files under src (laid out as in the upstream repository).
func Table(manifestDir, src string, pulumi map[string]*PulumiType) (tfreplace.Table, error) {
	m, err := ReadManifest(manifestDir)
	if err != nil {
		return tfreplace.Table{}, err
	}
	if err := ReadConstNames(src); err != nil {
		return tfreplace.Table{}, err
	}
	t := tfreplace.Table{Repository: m.Repository, Resources: map[string]tfreplace.Resource{}}
	for _, s := range m.Sources {
		if _, dup := t.Resources[s.Token]; dup {
			return t, fmt.Errorf("%s: listed twice in the manifest", s.Token)
		}
		r, err := Resource(src, s, pulumi)
		if err != nil {
			return t, err
		}
		r.Source = s.Path + "@" + s.Commit
		t.Resources[s.Token] = r
	}
	return t, nil
}
