// Package serviceauthorization reads the vendored action names and
// resource types of the AWS Service Authorization Reference (README.md
// gives the provenance): which actions each service prefix defines, and
// which resource types each action is authorized against.
package serviceauthorization

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.txt
var files embed.FS

// Reference is the vendored reference, by service prefix.
type Reference struct {
	// actions are the lower-cased action names of each prefix.
	actions map[string]map[string]bool
	// uses are the resource types of each lower-cased "prefix:action".
	uses map[string]map[string]bool
	// keys are the condition keys of each lower-cased "prefix:action"'s
	// own rows.
	keys map[string]map[string]bool
}

// Load reads the vendored files.
func Load() (*Reference, error) {
	names, err := fs.Glob(files, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("listing the reference: %w", err)
	}
	ref := &Reference{actions: map[string]map[string]bool{}, uses: map[string]map[string]bool{}, keys: map[string]map[string]bool{}}
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		base := strings.TrimSuffix(path.Base(name), ".txt")
		prefix, conditions := strings.CutSuffix(base, ".conditions")
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			line := sc.Text()
			if !conditions {
				if ref.actions[prefix] == nil {
					ref.actions[prefix] = map[string]bool{}
				}
				ref.actions[prefix][strings.ToLower(line)] = true
				continue
			}
			f := strings.Fields(line)
			if len(f) != 3 {
				continue
			}
			var into map[string]map[string]bool
			switch f[0] {
			case "uses":
				into = ref.uses
			case "action":
				into = ref.keys
			default:
				continue
			}
			key := strings.ToLower(prefix + ":" + f[1])
			if into[key] == nil {
				into[key] = map[string]bool{}
			}
			into[key][f[2]] = true
		}
	}
	return ref, nil
}

// HasAction reports whether action ("prefix:Name", matched
// case-insensitively as IAM matches it) is an action of the reference.
func (r *Reference) HasAction(action string) bool {
	prefix, name, ok := strings.Cut(action, ":")
	return ok && r.actions[strings.ToLower(prefix)][strings.ToLower(name)]
}

// Uses reports whether the reference lists resourceType among the
// resource types action is authorized against. An action with no
// resource type ("*" in the reference's table) uses only "".
func (r *Reference) Uses(action, resourceType string) bool {
	types := r.uses[strings.ToLower(action)]
	if resourceType == "" {
		return len(types) == 0
	}
	return types[resourceType]
}

// ResourceTypes returns the resource types action is authorized against,
// sorted; none for an action authorized on "*".
func (r *Reference) ResourceTypes(action string) []string {
	var out []string
	for t := range r.uses[strings.ToLower(action)] {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// HasKey reports whether the reference lists the condition key among
// action's own (as "aws:RequestTag/${TagKey}" for a tag key).
func (r *Reference) HasKey(action, key string) bool {
	return r.keys[strings.ToLower(action)][key]
}
