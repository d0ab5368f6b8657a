package extract

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
	serviceauthorization "github.com/mlops-platform/mlops-platform/third_party/aws-service-authorization"
)

// interceptor stands, in a call's Via, for the provider's transparent
// tagging interceptor (internal/provider: after create, read and update it
// lists the tags unless the read function set them; before update it
// updates them when tags_all changed).
const interceptor = "tagging interceptor"

// Generate returns ops.json's text for the records under dir, the
// inputs named as in the Pulumi schema at schema.
func Generate(dir, schema string) ([]byte, error) {
	ref, err := serviceauthorization.Load()
	if err != nil {
		return nil, fmt.Errorf("service authorization reference: %w", err)
	}
	ps, err := tfsrc.ReadPulumiSchema(schema)
	if err != nil {
		return nil, err
	}
	t, err := Derive(dir, ref, ps)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := output.WriteJSON(&b, t); err != nil {
		return nil, fmt.Errorf("ops table: %w", err)
	}
	return b.Bytes(), nil
}

// Derive builds the table from the manifests under dir.
func Derive(dir string, ref ActionChecker, pulumi map[string]*tfsrc.PulumiType) (tfcalls.Table, error) {
	m, err := tfsrc.ReadManifest(dir)
	if err != nil {
		return tfcalls.Table{}, err
	}
	sources := map[string]tfsrc.Source{}
	for _, s := range m.Sources {
		sources[s.Token] = s
	}
	files, err := ReadCalls(dir)
	if err != nil {
		return tfcalls.Table{}, err
	}
	t := tfcalls.Table{Repository: m.Repository, Resources: map[string]tfcalls.Resource{}}
	for _, cf := range files {
		g := newGraph(cf, ref)
		for _, re := range cf.Resources {
			s, ok := sources[re.Token]
			if !ok {
				return t, fmt.Errorf("calls/%s.json: %s has no entry in sources.json", cf.Package, re.Token)
			}
			reg, err := re.Registration()
			if err != nil {
				return t, err
			}
			pt, ok := pulumi[re.Token]
			if !ok {
				return t, fmt.Errorf("%s is not a resource of the Pulumi schema", re.Token)
			}
			g.props = pt.Properties
			res, err := g.resource(re, reg)
			if err != nil {
				return t, fmt.Errorf("%s: %w", re.Token, err)
			}
			res.Terraform, res.Source = s.Resource, s.Path+"@"+s.Commit
			t.Resources[re.Token] = res
		}
		if err := g.unused(); err != nil {
			return t, err
		}
	}
	return t, nil
}

// graph is the recorded call graph of one service package.
type graph struct {
	pkg     string
	ref     ActionChecker
	fns     map[string]Function
	tagging map[string]Tagging
	used    map[string]bool
	// props are the Pulumi properties of the resource being derived.
	props map[string]*tfsrc.PulumiType
}

func newGraph(cf CallsFile, ref ActionChecker) *graph {
	g := &graph{pkg: cf.Package, ref: ref, fns: map[string]Function{}, tagging: map[string]Tagging{}, used: map[string]bool{}}
	for _, f := range cf.Functions {
		g.fns[f.Name] = f
	}
	for _, tg := range cf.Tagging {
		g.tagging[tg.ResourceType] = tg
	}
	return g
}

// resource collects the calls of each registered step.
func (g *graph) resource(re ResourceEntry, reg Registration) (tfcalls.Resource, error) {
	res := tfcalls.Resource{Steps: map[string][]tfcalls.Call{}}
	for _, step := range tfcalls.Steps {
		if reg.Noop[step] {
			res.Steps[step] = []tfcalls.Call{}
			continue
		}
		fn, ok := reg.Steps[step]
		if !ok {
			continue
		}
		c := collector{}
		if err := g.walk(fn, nil, nil, c); err != nil {
			return res, fmt.Errorf("%s: %w", step, err)
		}
		if reg.Tags {
			if err := g.tags(re, reg, step, c); err != nil {
				return res, err
			}
		}
		res.Steps[step] = c.sorted()
	}
	return res, nil
}

// tags adds the interceptor's calls of a resource annotated @Tags.
func (g *graph) tags(re ResourceEntry, reg Registration, step string, c collector) error {
	tg, ok := g.tagging[reg.ResourceType]
	if !ok {
		return fmt.Errorf("annotated @Tags (resourceType %q), but calls/%s.json names no tagging functions for it", reg.ResourceType, g.pkg)
	}
	via := []string{interceptor}
	if step == tfcalls.Update {
		if err := g.walk(tg.Update, []string{`d.HasChange("tags_all")`}, via, c); err != nil {
			return err
		}
	}
	if step == tfcalls.Delete {
		return nil
	}
	if re.ReadSetsTags {
		// The list function is not called; walking it still checks that
		// its calls are recorded.
		c = collector{}
	}
	return g.walk(tg.List, nil, via, c)
}

// walk follows function name's recorded calls, under the conditions when,
// reached through via.
func (g *graph) walk(name string, when, via []string, c collector) error {
	f, ok := g.fns[name]
	if !ok {
		from := "the registration"
		if len(via) > 0 {
			from = via[len(via)-1]
		}
		return fmt.Errorf("%s calls %s, which calls/%s.json does not record", from, name, g.pkg)
	}
	if slices.Contains(via, name) {
		return nil
	}
	g.used[name] = true
	via = append(slices.Clone(via), name)
	for _, s := range f.Calls {
		w := when
		if s.When != "" {
			w = append(slices.Clone(when), s.When)
		}
		if s.Function != "" {
			if err := g.walk(s.Function, w, via, c); err != nil {
				return err
			}
			continue
		}
		prefix, op, action, err := Action(g.ref, s.Client, s.Method)
		if err != nil {
			return fmt.Errorf("%s (%s): %w", f.Name, f.File(), err)
		}
		in, err := inputs(g.props, w)
		if err != nil {
			return fmt.Errorf("%s (%s): %w", f.Name, f.File(), err)
		}
		if unconditional(in) {
			in = nil
		}
		c.add(tfcalls.Call{Service: prefix, Operation: op, Action: action, File: f.File(), Function: f.Name, When: w, Inputs: in, Via: via})
	}
	return nil
}

// unused fails on a recorded function no registration reaches: a stale
// entry, or a resource left out of the package's resources.
func (g *graph) unused() error {
	var names []string
	for name := range g.fns {
		if !g.used[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return fmt.Errorf("calls/%s.json records functions no resource reaches: %v", g.pkg, names)
	}
	return nil
}

// collector keeps one call per action: the one reached under the fewest
// conditions, the first found among equals. Its Inputs are the
// alternatives of every path, so an action reached under different
// inputs counts as needed when any of them is set.
type collector map[string]tfcalls.Call

func (c collector) add(call tfcalls.Call) {
	old, ok := c[call.Action]
	if !ok {
		c[call.Action] = call
		return
	}
	in := mergeInputs(old.Inputs, call.Inputs)
	if len(call.When) < len(old.When) {
		old = call
	}
	old.Inputs = in
	c[call.Action] = old
}

func (c collector) sorted() []tfcalls.Call {
	out := make([]tfcalls.Call, 0, len(c))
	for _, call := range c {
		out = append(out, call)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}
