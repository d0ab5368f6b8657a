package policy

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

//go:embed rego/*.rego
var builtin embed.FS

// Root is the package prefix every guardrail policy lives under.
const Root = "mlops.guardrails"

// Options tune an evaluation.
type Options struct {
	// PolicyDir, when set, holds extra user policies (*.rego; *_test.rego
	// files are skipped).
	PolicyDir string
	// Now is the time support windows are judged at. It is required: the
	// caller owns the clock, so tests pin a date.
	Now time.Time
	// Exceptions replace the embedded exceptions.yaml when not nil.
	Exceptions []Exception
	// Conflicts replace the embedded known conflicts when Exceptions is set.
	Conflicts []Conflict
}

// module is one policy file and the package it declares.
type module struct {
	file, source string
	pkg          ast.Ref
	user         bool
}

// Evaluate runs every guardrail over a plan document (anything that
// marshals to the JSON `mlops plan --output json` prints) and returns the
// report, with the exceptions of the plan's profile applied.
func Evaluate(ctx context.Context, doc any, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("evaluating guardrails: no date to judge support windows at (Options.Now is zero)")
	}
	in, err := plainInput(doc)
	if err != nil {
		return nil, err
	}
	stack, _ := in["stack"].(string)
	profile := ""
	if s, ok := in["spec"].(map[string]any); ok {
		profile, _ = s["profile"].(string)
	}
	exceptions, conflicts := opts.Exceptions, opts.Conflicts
	if exceptions == nil {
		if exceptions, conflicts, err = DefaultExceptions(); err != nil {
			return nil, err
		}
	}
	mods, err := loadModules(opts.PolicyDir)
	if err != nil {
		return nil, err
	}
	value, err := eval(ctx, mods, in, opts.Now)
	if err != nil {
		return nil, err
	}
	results, err := collect(value, mods)
	if err != nil {
		return nil, err
	}
	r := &Report{Stack: stack, Profile: profile, ReferenceRows: ReferenceRows, Results: results,
		NotImplemented: []Control{}, KnownConflicts: conflicts}
	if r.KnownConflicts == nil {
		r.KnownConflicts = []Conflict{}
	}
	for _, c := range Catalogue {
		switch {
		case !c.Implemented():
			r.NotImplemented = append(r.NotImplemented, c)
		case isReferenceRow(c.ID):
			r.Implemented++
		}
	}
	r.StaleExceptions = applyExceptions(r.Results, exceptions, stack, profile)
	r.summarise()
	return r, nil
}

// plainInput round-trips doc through JSON so OPA sees plain maps.
func plainInput(doc any) (map[string]any, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the plan document: %w", err)
	}
	var in map[string]any
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("decoding the plan document: %w", err)
	}
	if _, ok := in["resources"].([]any); !ok {
		return nil, fmt.Errorf("the plan document has no resources list")
	}
	return in, nil
}

// loadModules reads the built-in policies and the user's, and checks that
// every user package lives under Root without replacing a built-in one.
func loadModules(dir string) ([]module, error) {
	var mods []module
	entries, err := fs.ReadDir(builtin, "rego")
	if err != nil {
		return nil, fmt.Errorf("reading built-in policies: %w", err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.rego") {
			continue
		}
		src, err := fs.ReadFile(builtin, "rego/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading built-in policy %s: %w", e.Name(), err)
		}
		mods = append(mods, module{file: "builtin/" + e.Name(), source: string(src)})
	}
	if dir != "" {
		user, err := readUserModules(dir)
		if err != nil {
			return nil, err
		}
		mods = append(mods, user...)
	}
	builtinPkgs := map[string]bool{}
	for i := range mods {
		m, err := ast.ParseModuleWithOpts(mods[i].file, mods[i].source, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("parsing policy %s: %w", mods[i].file, err)
		}
		mods[i].pkg = m.Package.Path
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		switch {
		case !strings.HasPrefix(pkg, Root+"."):
			return nil, fmt.Errorf("policy %s: package %s must be under %s", mods[i].file, pkg, Root)
		case !mods[i].user:
			builtinPkgs[pkg] = true
		case builtinPkgs[pkg]:
			return nil, fmt.Errorf("policy %s: package %s belongs to a built-in policy; choose another name", mods[i].file, pkg)
		}
	}
	return mods, nil
}

func readUserModules(dir string) ([]module, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading --policy-dir: %w", err)
	}
	var mods []module
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".rego") || strings.HasSuffix(name, "_test.rego") {
			continue
		}
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading user policy: %w", err)
		}
		mods = append(mods, module{file: path, source: string(src), user: true})
	}
	if len(mods) == 0 {
		return nil, fmt.Errorf("--policy-dir %s holds no .rego files", dir)
	}
	return mods, nil
}

// eval evaluates data.mlops.guardrails over the input.
func eval(ctx context.Context, mods []module, in map[string]any, now time.Time) (map[string]any, error) {
	opts := []func(*rego.Rego){
		rego.Query("data." + Root),
		rego.Input(in),
		rego.Data(map[string]any{"mlops": map[string]any{"reference": referenceData(now)}}),
		rego.SetRegoVersion(ast.RegoV1),
	}
	for _, m := range mods {
		opts = append(opts, rego.Module(m.file, m.source))
	}
	rs, err := rego.New(opts...).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluating guardrails: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("evaluating guardrails: no result")
	}
	v, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("evaluating guardrails: unexpected result %T", rs[0].Expressions[0].Value)
	}
	return v, nil
}

// referenceData is the data the policies read besides the plan: the EKS
// release calendar and the evaluation time.
func referenceData(now time.Time) map[string]any {
	var rel []any
	for _, r := range spec.EKSReleases {
		rel = append(rel, map[string]any{
			"version":       r.Version,
			"released":      r.Released.Format(time.RFC3339),
			"endOfStandard": r.EndOfStandard.Format(time.RFC3339),
		})
	}
	return map[string]any{"eksReleases": rel, "nowNs": now.UnixNano()}
}

func isReferenceRow(id string) bool {
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return id != ""
}
