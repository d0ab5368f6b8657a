// Package plan is the evaluated graph of resources a stack declares, the
// typed views readers take of it (cluster, node groups, add-ons, database,
// buckets, keys, log groups, roles, releases, namespaces, subnets,
// endpoints; Key Differences) and the plan document `mlops plan` prints
// and guardrails and cost read. Each view decodes its resource's inputs,
// by their wire names, in one place, so readers never spell one. It
// declares nothing and runs nothing.
package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Redacted replaces every secret value in a plan.
const Redacted = "[secret]"

// Resource is one declared resource, with its inputs as the engine received
// them (Pulumi wire names, secrets redacted).
type Resource struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	Custom bool   `json:"custom"`
	// Provider is the URN of the resource's provider.
	Provider string `json:"provider,omitempty"`
	Protect  bool   `json:"protect,omitempty"`
	// RetainOnDelete leaves the cloud resource in place when the engine
	// deletes it from the stack.
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	ID             string         `json:"id,omitempty"`
	Inputs         map[string]any `json:"inputs"`
	Dependencies   []string       `json:"dependencies"`
	IgnoreChanges  []string       `json:"ignoreChanges,omitempty"`
}

// Graph is every resource one evaluation declared, sorted by URN.
type Graph struct {
	Stack     string     `json:"stack"`
	Project   string     `json:"project"`
	Resources []Resource `json:"resources"`
	// Account, Region and Partition are where the graph was evaluated:
	// the names the program derives from them (an access-log bucket's,
	// an ARN) carry these values. They are not part of the document.
	Account   string `json:"-"`
	Region    string `json:"-"`
	Partition string `json:"-"`

	byURN map[string]int
}

// NewGraph builds a graph from resources, sorting them by URN.
func NewGraph(stack, project string, rs []Resource) *Graph {
	sort.Slice(rs, func(i, j int) bool { return rs[i].URN < rs[j].URN })
	g := &Graph{Stack: stack, Project: project, Resources: rs, byURN: map[string]int{}}
	for i, r := range rs {
		g.byURN[r.URN] = i
	}
	return g
}

// Clone returns a deep copy that tests may change freely.
func (g *Graph) Clone() *Graph {
	b, err := json.Marshal(g.Resources)
	if err != nil {
		panic(fmt.Sprintf("plan: cloning a graph of plain values failed: %v", err))
	}
	var rs []Resource
	if err := json.Unmarshal(b, &rs); err != nil {
		panic(fmt.Sprintf("plan: cloning a graph of plain values failed: %v", err))
	}
	c := NewGraph(g.Stack, g.Project, rs)
	c.Account, c.Region, c.Partition = g.Account, g.Region, g.Partition
	return c
}

// InAccount returns s with the account the graph was evaluated in
// replaced by account: a name the program derives from the account, as
// it is in another one.
func (g *Graph) InAccount(s, account string) string {
	if g.Account == "" {
		return s
	}
	return strings.ReplaceAll(s, g.Account, account)
}

// ByType returns the resources of one type token, in URN order.
func (g *Graph) ByType(typ string) []Resource {
	var out []Resource
	for _, r := range g.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Get returns the resource with a URN.
func (g *Graph) Get(urn string) (Resource, bool) {
	i, ok := g.byURN[urn]
	if !ok {
		return Resource{}, false
	}
	return g.Resources[i], true
}

// Component returns the type of the nearest mlops component that contains
// r (r's own type when it is one), or "" for top-level resources.
func (g *Graph) Component(r Resource) string {
	for cur, ok := r, true; ok; cur, ok = g.Get(cur.Parent) {
		if strings.HasPrefix(cur.Type, typetoken.ComponentPrefix) {
			return cur.Type
		}
	}
	return ""
}

// DependsOn reports whether from waits, directly or through other
// resources, parents or components, on to.
func (g *Graph) DependsOn(from, to string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(u string) bool {
		if u == to {
			return true
		}
		if seen[u] {
			return false
		}
		seen[u] = true
		r, ok := g.Get(u)
		if !ok {
			return false
		}
		for _, d := range r.Dependencies {
			if walk(d) {
				return true
			}
			// Depending on a component means waiting for its children.
			for _, c := range g.Resources {
				if c.Parent == d && walk(c.URN) {
					return true
				}
			}
		}
		return false
	}
	return walk(from)
}

// Input returns the input at a dotted path such as "vpcConfig.subnetIds[0]".
func (r Resource) Input(path string) (any, bool) {
	var cur any = r.Inputs
	for _, seg := range strings.Split(path, ".") {
		name, idx := seg, -1
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			n, err := strconv.Atoi(seg[i+1 : len(seg)-1])
			if err != nil {
				return nil, false
			}
			name, idx = seg[:i], n
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
		if idx >= 0 {
			list, ok := cur.([]any)
			if !ok || idx >= len(list) {
				return nil, false
			}
			cur = list[idx]
		}
	}
	return cur, true
}
