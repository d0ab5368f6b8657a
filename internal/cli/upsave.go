package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// runUpCommand is mlops up: the deploy, then its --set overrides written
// into the stack file (comments kept), so that the next plain up does not
// revert them; --no-save keeps them for this run only, and says so.
func runUpCommand(ctx context.Context, s *session) error {
	run := runUp
	if s.o.Plan != "" {
		run = runUpPlan
	}
	if err := run(ctx, s); err != nil {
		return err
	}
	if len(s.o.Sets) == 0 {
		return nil
	}
	file := stackFile(s.o.StackOptions)
	if s.o.NoSave {
		fmt.Fprintf(s.env.Err, "--set not saved (--no-save): the next up without it reverts %s; %s holds the stack's configuration\n",
			strings.Join(setKeys(s.o.Sets), ", "), file)
		return nil
	}
	values, err := setValues(s.o.Sets)
	if err != nil {
		return UsageError{err}
	}
	if err := writeStackConfig(file, values); err != nil {
		return fmt.Errorf("the deploy succeeded, but saving its --set failed (the next up without them reverts them): %w", err)
	}
	fmt.Fprintf(s.env.Err, "--set saved to %s: %s\n", file, strings.Join(setKeys(s.o.Sets), ", "))
	return nil
}

// setKeys are the dotted keys of --set flags, sorted.
func setKeys(sets []string) []string {
	var keys []string
	for _, set := range sets {
		k, _, _ := strings.Cut(set, "=")
		keys = append(keys, strings.TrimSpace(k))
	}
	sort.Strings(keys)
	return keys
}

// setValues maps each --set's dotted key to its parsed value, as
// spec.SetStackConfig writes them.
func setValues(sets []string) (map[string]any, error) {
	values := map[string]any{}
	for _, set := range sets {
		o := spec.Overrides{}
		if err := o.ParseSet(set); err != nil {
			return nil, err
		}
		key, _, _ := strings.Cut(set, "=")
		key = strings.TrimSpace(key)
		var v any = map[string]any(o)
		for _, p := range strings.Split(key, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("--set %s: cannot read back its value", key)
			}
			v = m[p]
		}
		values[key] = typed(v)
	}
	return values, nil
}

// typed turns the text leaves of an override into the YAML scalars they
// read as (6, true), so the file says maxSize: 6 rather than "6"; a leaf
// whose text would not survive that (1.30 read as 1.3) stays text.
func typed(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = typed(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = typed(e)
		}
		return out
	case string:
		var scalar any
		if yaml.Unmarshal([]byte(x), &scalar) != nil {
			return x
		}
		switch scalar.(type) {
		case int, bool, float64:
			if b, err := yaml.Marshal(scalar); err == nil && strings.TrimSpace(string(b)) == x {
				return scalar
			}
		}
	}
	return v
}
