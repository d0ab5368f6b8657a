package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// StackConfigFile is the name of a stack's configuration file.
func StackConfigFile(stack string) string { return "Pulumi." + stack + ".yaml" }

// Load resolves a stack's spec from the Pulumi.<stack>.yaml in dir (when
// there is one) and --set flags, which win. It reports which file it read.
func Load(dir, stack string, sets []string, now time.Time) (*Spec, Errors, string, error) {
	o := Overrides{}
	path := filepath.Join(dir, StackConfigFile(stack))
	content, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		path = ""
	case err != nil:
		return nil, nil, "", fmt.Errorf("reading %s: %w", path, err)
	default:
		fromFile, err := ParseStackConfig(content)
		var errs Errors
		if err != nil && !errors.As(err, &errs) {
			// A file that does not parse is invalid configuration too.
			errs = Errors{{Path: path, Msg: err.Error()}}
		}
		if err != nil {
			return nil, nil, path, fmt.Errorf("%s: %w", path, errs)
		}
		o.Merge(fromFile)
	}
	for _, set := range sets {
		if err := o.ParseSet(set); err != nil {
			return nil, nil, path, err
		}
	}
	s, warns, err := Resolve(Input{Stack: stack, Overrides: o, Now: now})
	return s, warns, path, err
}
