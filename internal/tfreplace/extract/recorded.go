package extract

import (
	"fmt"
	"os"
	"strings"
)

// sourceAttrs returns a source's attributes: parsed from the upstream file
// under dir (sdkv2, framework), or, for a recorded source, built from
// what sources.json records of it, without the file.
func sourceAttrs(dir string, s Source) ([]*Attr, error) {
	if s.Kind == "recorded" || len(s.Replaces) > 0 {
		return recordedAttrs(s)
	}
	src, err := os.ReadFile(SourcePath(dir, s))
	if err != nil {
		return nil, err
	}
	f, err := parseExcerpt(src, s)
	if err != nil {
		return nil, err
	}
	switch s.Kind {
	case "sdkv2":
		pkg, err := packageVars(dir, s)
		if err != nil {
			return nil, err
		}
		return sdkResource(f, pkg)
	case "framework":
		return frameworkResource(f)
	}
	return nil, fmt.Errorf("kind %q: want sdkv2, framework or recorded", s.Kind)
}

// recordedAttrs builds the attribute tree of a "recorded" source from its
// Replaces: each path's last name ForceNew (or conditional), the blocks
// above it holding it. The tree then goes through the same Pulumi name mapping as an
// extracted one, so a recorded name the pinned schema lacks fails too.
func recordedAttrs(s Source) ([]*Attr, error) {
	if s.Kind != "recorded" {
		return nil, fmt.Errorf("replaces is for kind recorded, not %q: the extraction reads this file", s.Kind)
	}
	root := &Attr{}
	for _, r := range s.Replaces {
		parts := strings.Split(r.Attribute, ".")
		cur := root
		for i, name := range parts {
			if name == "" {
				return nil, fmt.Errorf("replaces: %q is not a dotted attribute path", r.Attribute)
			}
			if cur.ForceNew {
				return nil, fmt.Errorf("replaces: %q is below %q, which replaces already", r.Attribute, strings.Join(parts[:i], "."))
			}
			next := child(cur, name)
			if next == nil {
				next = &Attr{Name: name}
				cur.Children = append(cur.Children, next)
			}
			cur = next
		}
		if cur.ForceNew || cur.Conditional || len(cur.Children) > 0 {
			return nil, fmt.Errorf("replaces: %q is listed twice or with attributes below it", r.Attribute)
		}
		cur.Computed = r.Computed
		if r.Conditional != "" {
			cur.Conditional, cur.Reason = true, r.Conditional
		} else {
			cur.ForceNew = true
		}
	}
	return root.Children, nil
}

// child is the attribute of a block named name, nil when none.
func child(a *Attr, name string) *Attr {
	for _, c := range a.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}
