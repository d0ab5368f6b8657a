// Package stack is the one way from a stack's configuration to a graph:
// it resolves the stack's effective spec (profile defaults, then
// Pulumi.<stack>.yaml, then --set overrides), builds the platform's Pulumi
// program from it, and evaluates that program under the offline engine.
//
// Program is the seam for a real engine: an Automation API inline program
// can run the same pulumi.RunFunc that Evaluate runs offline, whole or one
// Layer at a time (LayerProgram).
package stack

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/awsrules"
	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Source says where a stack's spec comes from.
type Source struct {
	// Dir holds Pulumi.<stack>.yaml. A missing file is an error unless
	// Defaults says the profile's defaults are intended.
	Dir string
	// Defaults allows a missing Pulumi.<stack>.yaml: the stack is its
	// profile's defaults plus Sets.
	Defaults bool
	// Stack names the stack (dev, prod, or one whose file sets profile).
	Stack string
	// Sets are --set overrides, "dotted.key=value", applied after the file.
	Sets []string
	// Now judges support windows (EKS versions).
	Now time.Time
}

// With returns a copy of src with sets appended to its overrides.
func (src Source) With(sets ...string) Source {
	src.Sets = append(append([]string{}, src.Sets...), sets...)
	return src
}

// Resolved is a stack's effective spec.
type Resolved struct {
	Stack    string
	Spec     *spec.Spec
	Warnings spec.Errors
	// File is the configuration file read, or "" when there was none.
	File string
	// Layer is the layer a plain `pulumi up` deploys (LayerConfigKey);
	// empty for the whole program.
	Layer layer.Layer
}

// Resolve reads and validates the stack's effective spec. Invalid
// configuration is a spec.Errors naming every key at fault.
func (src Source) Resolve() (*Resolved, error) {
	if err := src.checkFile(); err != nil {
		return nil, err
	}
	s, warns, file, err := spec.Load(src.Dir, src.Stack, src.Sets, src.Now)
	if err != nil {
		return nil, err
	}
	return &Resolved{Stack: src.Stack, Spec: s, Warnings: warns, File: file}, nil
}

// Program returns the platform's Pulumi program for the resolved spec: the
// same function the offline engine evaluates and a real engine deploys.
func (r *Resolved) Program() pulumi.RunFunc { return infra.Program(r.Spec) }

// Result is an evaluated stack: its effective spec and its graph.
type Result struct {
	*Resolved
	Graph *plan.Graph
}

// Evaluate runs the resolved stack's program under the offline engine;
// opts change what the engine answers (engine.FreshAccount).
func (r *Resolved) Evaluate(ctx context.Context, opts ...engine.Option) (*Result, error) {
	g, err := engine.Evaluate(ctx, spec.ProjectName, r.Stack, r.Spec.Region, r.Program(), opts...)
	if err != nil {
		return nil, err
	}
	if err := checkAWSRules(g); err != nil {
		return nil, err
	}
	return &Result{Resolved: r, Graph: g}, nil
}

// checkAWSRules refuses a graph holding a value AWS would refuse in the
// request that carries it (internal/awsrules), as a configuration error
// naming the resource and input: the provider passes these values through,
// so without this a deploy would fail halfway.
func checkAWSRules(g *plan.Graph) error {
	vs, err := awsrules.Check(g)
	if err != nil {
		return fmt.Errorf("checking the graph against AWS's request rules: %w", err)
	}
	var errs spec.Errors
	for _, v := range vs {
		name := v.URN[strings.LastIndex(v.URN, "::")+2:]
		errs = append(errs, spec.FieldError{Path: name + "." + v.Path, Msg: "AWS would refuse it: " + v.Err.Error()})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Evaluate resolves and evaluates the stack.
func (src Source) Evaluate(ctx context.Context) (*Result, error) {
	r, err := src.Resolve()
	if err != nil {
		return nil, fmt.Errorf("resolving stack %s: %w", src.Stack, err)
	}
	return r.Evaluate(ctx)
}

// Document returns the plan document of the evaluated stack.
func (res *Result) Document() plan.Document {
	return plan.NewDocument(res.Graph, res.Spec, res.Warnings)
}

// checkFile refuses a missing Pulumi.<stack>.yaml unless Defaults: a
// command run from the wrong directory would otherwise deploy the
// profile's defaults without a word.
func (src Source) checkFile() error {
	name := spec.StackConfigFile(src.Stack)
	_, err := os.Stat(filepath.Join(src.Dir, name))
	if src.Defaults || err == nil {
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", filepath.Join(src.Dir, name), err)
	}
	dir, aerr := filepath.Abs(src.Dir)
	if aerr != nil {
		dir = src.Dir
	}
	return spec.Errors{{Path: name, Msg: fmt.Sprintf("not found in %s: run where the stack's file is, point --dir at its directory, "+
		"or pass --defaults to use the %s profile's defaults", dir, src.Stack)}}
}
