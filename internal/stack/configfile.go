package stack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// SetValues maps each --set's dotted key to its parsed value, as
// spec.SetStackConfig writes them.
func SetValues(sets []string) (map[string]any, error) {
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

// WriteConfig sets values in the stack file, replacing it in one
// rename so an interrupted write leaves the old file.
func WriteConfig(file string, values map[string]any) error {
	content, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	out, err := spec.SetStackConfig(content, values)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}
