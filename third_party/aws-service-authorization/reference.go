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
}

// Load reads the vendored files.
func Load() (*Reference, error) {
	names, err := fs.Glob(files, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("listing the reference: %w", err)
	}
	ref := &Reference{actions: map[string]map[string]bool{}, uses: map[string]map[string]bool{}}
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
			if f := strings.Fields(line); len(f) == 3 && f[0] == "uses" {
				key := strings.ToLower(prefix + ":" + f[1])
				if ref.uses[key] == nil {
					ref.uses[key] = map[string]bool{}
				}
				ref.uses[key][f[2]] = true
			}
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
