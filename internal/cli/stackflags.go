package cli

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// StackOptions are the flags every command that evaluates a stack shares.
type StackOptions struct {
	Stack string
	// Sets are --set overrides, applied to every stack the command evaluates.
	Sets []string
	// Dir holds Pulumi.<stack>.yaml.
	Dir string
	// Defaults allows a missing Pulumi.<stack>.yaml (profile defaults).
	Defaults bool
	Output   string
}

// register adds the shared flags; what says what the stack is for.
func (o *StackOptions) register(fs *pflag.FlagSet, what string) {
	o.registerStack(fs, what)
	fs.StringVarP(&o.Output, "output", "o", output.Table, "output format: table or json")
}

// registerStack adds --stack, --set and --dir, for commands whose output
// is not a table or JSON.
func (o *StackOptions) registerStack(fs *pflag.FlagSet, what string) {
	fs.StringVarP(&o.Stack, "stack", "s", "", "stack to "+what+" (dev, prod, or a stack whose config sets profile)")
	fs.StringArrayVar(&o.Sets, "set", nil, "override a config key of every stack evaluated, e.g. --set nodeGroups.gpu.maxSize=2 (repeatable)")
	fs.StringVar(&o.Dir, "dir", ".", "directory holding Pulumi.<stack>.yaml")
	fs.BoolVar(&o.Defaults, "defaults", false, "without a Pulumi.<stack>.yaml, use the profile's defaults (else a missing file is an error)")
}

// checkStack validates the flags registerStack adds.
func (o StackOptions) checkStack() error {
	if o.Stack == "" {
		return UsageError{fmt.Errorf("--stack is required")}
	}
	for _, set := range o.Sets {
		if err := (spec.Overrides{}).ParseSet(set); err != nil {
			return UsageError{err}
		}
	}
	return nil
}

// check validates the shared flags.
func (o StackOptions) check() error {
	if err := o.checkStack(); err != nil {
		return err
	}
	if err := output.Check(o.Output); err != nil {
		return UsageError{err}
	}
	return nil
}

// source is the named stack as the flags configure it.
func (o StackOptions) source(name string, now time.Time) stack.Source {
	return stack.Source{Dir: o.Dir, Stack: name, Sets: o.Sets, Now: now, Defaults: o.Defaults}
}
