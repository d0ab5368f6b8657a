package criticalpath

import (
	"fmt"
	"sort"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// Step is one resource on a path, with when it starts and finishes.
type Step struct {
	URN      string        `json:"urn"`
	Type     string        `json:"type"`
	Name     string        `json:"name"`
	Start    time.Duration `json:"start"`
	Finish   time.Duration `json:"finish"`
	Duration time.Duration `json:"duration"`
	Source   string        `json:"source"`
}

// Result is the schedule of a first deploy with unlimited parallelism.
type Result struct {
	Stack string        `json:"stack"`
	Total time.Duration `json:"total"`
	Path  []Step        `json:"criticalPath"`

	g      *plan.Graph
	preds  map[string][]string
	finish map[string]time.Duration
	via    map[string]string
}

// Estimate schedules every resource of g as early as its dependencies
// allow. A dependency on a component means waiting for all its children;
// children of a component also wait for what the component depends on.
func Estimate(g *plan.Graph) (*Result, error) {
	r := &Result{Stack: g.Stack, g: g, preds: map[string][]string{},
		finish: map[string]time.Duration{}, via: map[string]string{}}
	children := map[string][]string{}
	for _, res := range g.Resources {
		if res.Parent != "" {
			children[res.Parent] = append(children[res.Parent], res.URN)
		}
	}
	for _, res := range g.Resources {
		r.preds[res.URN] = predecessors(g, children, res)
	}
	state := map[string]int{}
	var last string
	for _, res := range g.Resources {
		if err := r.visit(res.URN, state); err != nil {
			return nil, err
		}
		if last == "" || r.finish[res.URN] > r.finish[last] {
			last = res.URN
		}
	}
	if last != "" {
		r.Total = r.finish[last]
		r.Path = r.PathTo(last)
	}
	return r, nil
}

// visit computes the finish time of u after its predecessors'.
func (r *Result) visit(u string, state map[string]int) error {
	switch state[u] {
	case 2:
		return nil
	case 1:
		return fmt.Errorf("dependency cycle through %s", u)
	}
	state[u] = 1
	var start time.Duration
	for _, p := range r.preds[u] {
		if err := r.visit(p, state); err != nil {
			return err
		}
		if f := r.finish[p]; f > start || r.via[u] == "" && f == start {
			start, r.via[u] = f, p
		}
	}
	res, _ := r.g.Get(u)
	r.finish[u] = start + TypicalOf(res).Duration
	state[u] = 2
	return nil
}

// predecessors are what res waits for: its dependencies and those of its
// enclosing components (and its provider), with components expanded into
// their custom descendants. res itself and its own subtree are excluded.
func predecessors(g *plan.Graph, children map[string][]string, res plan.Resource) []string {
	deps := append([]string{}, res.Dependencies...)
	if res.Provider != "" {
		deps = append(deps, res.Provider)
	}
	for p, ok := g.Get(res.Parent); ok; p, ok = g.Get(p.Parent) {
		if !p.Custom {
			deps = append(deps, p.Dependencies...)
		}
	}
	seen := map[string]bool{res.URN: true}
	var out []string
	var add func(u string)
	add = func(u string) {
		d, ok := g.Get(u)
		if !ok || seen[u] {
			return
		}
		seen[u] = true
		if d.Custom {
			out = append(out, u)
			return
		}
		for _, c := range children[u] {
			add(c)
		}
	}
	for _, d := range deps {
		add(d)
	}
	sort.Strings(out)
	return out
}

// PathTo returns the chain of resources that decides when urn finishes.
func (r *Result) PathTo(urn string) []Step {
	var rev []Step
	for u := urn; u != ""; u = r.via[u] {
		res, _ := r.g.Get(u)
		t := TypicalOf(res)
		rev = append(rev, Step{URN: u, Type: res.Type, Name: res.Name, Start: r.finish[u] - t.Duration,
			Finish: r.finish[u], Duration: t.Duration, Source: t.Source})
	}
	out := make([]Step, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// Finish returns when a resource finishes, from the start of the deploy.
func (r *Result) Finish(urn string) (time.Duration, bool) {
	f, ok := r.finish[urn]
	return f, ok
}

// Waits reports whether from waits, directly or transitively, for to.
func (r *Result) Waits(from, to string) bool {
	seen := map[string]bool{}
	stack := []string{from}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range r.preds[u] {
			if p == to {
				return true
			}
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return false
}
