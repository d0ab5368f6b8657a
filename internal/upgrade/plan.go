// Package upgrade plans an EKS minor-version upgrade of a deployed stack:
// it refuses what EKS refuses (more than one minor, a version EKS does
// not offer, one without pinned add-ons), reads the cluster's upgrade
// insights and blocks on each ERROR, and orders the steps: control plane,
// then the add-ons to the versions pinned for the target minor, then the
// node groups one by one: one deploy for the control plane and add-ons
// with every node group pinned at its live version
// (nodeGroups.<group>.version), then one deploy per node group that moves
// its pin to the target. A rerun after an interruption reads the live
// versions again and resumes: what is done is skipped.
package upgrade

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Step is one change of the upgrade.
type Step struct {
	// Kind is control-plane, add-on or node-group.
	Kind string `json:"kind"`
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
	// Group is a node group's role in the program (general, training, gpu).
	Group string `json:"group,omitempty"`
	// Deploy numbers the `up` that makes the change (1: the control plane
	// and add-ons; then one per node group); 0 when Done.
	Deploy int `json:"deploy"`
	// Done says the live account already runs To (a resumed upgrade).
	Done bool `json:"done"`
}

// Plan is an upgrade's steps in the order they run.
type Plan struct {
	Cluster string `json:"cluster"`
	From    string `json:"from"`
	To      string `json:"to"`
	Steps   []Step `json:"steps"`
}

// Live is what the account runs: the control plane's version, the
// add-ons' and each node group's.
type Live struct {
	Version    string
	Addons     map[string]string
	NodeGroups map[string]string
}

// NewPlan checks the target against the live version and the EKS
// calendar at now, and orders the steps.
func NewPlan(cluster string, live Live, target string, now time.Time) (*Plan, error) {
	lm, lok := minor(live.Version)
	tm, tok := minor(target)
	switch {
	case !tok:
		return nil, fmt.Errorf("--to: %q is not a Kubernetes minor version such as 1.35", target)
	case !lok:
		return nil, fmt.Errorf("cluster %s reports version %q, which is not a Kubernetes minor version", cluster, live.Version)
	case tm < lm:
		return nil, fmt.Errorf("--to: cluster %s runs %s and EKS cannot downgrade it to %s", cluster, live.Version, target)
	case tm > lm+1:
		return nil, fmt.Errorf("--to: EKS upgrades one minor version at a time; cluster %s runs %s: upgrade to 1.%d first", cluster, live.Version, lm+1)
	}
	if _, st := spec.KubernetesSupport(target, now); st != spec.SupportStandard && st != spec.SupportExtended {
		return nil, fmt.Errorf("--to: EKS does not offer %s on %s (support %s; offered: %s)", target, now.Format(time.DateOnly), st,
			strings.Join(spec.OfferedKubernetesVersions(now), ", "))
	}
	pins, ok := spec.AddonVersions[target]
	if !ok {
		return nil, fmt.Errorf("kubernetesVersion: %s has no row in the reviewed add-on version table (AddonVersions in internal/spec/versions.go)", target)
	}
	resume := tm == lm
	p := &Plan{Cluster: cluster, From: live.Version, To: target,
		Steps: []Step{{Kind: "control-plane", Name: cluster, From: live.Version, To: target, Done: resume}}}
	for _, name := range slices.Sorted(maps.Keys(pins)) {
		from := live.Addons[name]
		if from == "" {
			from = "not installed"
		}
		if from != pins[name] {
			p.Steps = append(p.Steps, Step{Kind: "add-on", Name: name, From: from, To: pins[name]})
		}
	}
	for _, name := range orderedGroups(live.NodeGroups) {
		group, _, _ := strings.Cut(name, "-")
		if !slices.Contains(spec.NodeGroupNames, group) {
			return nil, fmt.Errorf("node group %s of cluster %s is none of the program's (%s)", name, cluster, strings.Join(spec.NodeGroupNames, ", "))
		}
		v := live.NodeGroups[name]
		p.Steps = append(p.Steps, Step{Kind: "node-group", Name: name, From: v, To: target, Group: group, Done: v == target})
	}
	if p.Pending() == 0 {
		return nil, fmt.Errorf("--to: cluster %s, its add-ons and node groups already run %s", cluster, target)
	}
	p.number()
	return p, nil
}

// number assigns each pending step its deploy: the control plane and
// add-ons share the first, each node group has its own.
func (p *Plan) number() {
	n := 0
	first := false
	for i := range p.Steps {
		st := &p.Steps[i]
		switch {
		case st.Done:
		case st.Kind == "node-group":
			n++
			st.Deploy = n
		default:
			if !first {
				n++
				first = true
			}
			st.Deploy = n
		}
	}
}

// DeployCount is how many deploys (ups) the plan runs.
func (p *Plan) DeployCount() int {
	n := 0
	for _, st := range p.Steps {
		n = max(n, st.Deploy)
	}
	return n
}

// Pending counts the steps not done.
func (p *Plan) Pending() int {
	n := 0
	for _, st := range p.Steps {
		if !st.Done {
			n++
		}
	}
	return n
}

// Deploy is one `up` of the upgrade: the stack configuration it writes
// and the steps it makes.
type Deploy struct {
	N      int
	Config map[string]any
	Steps  []Step
}

// Deploys returns the plan's deploys in order. The first sets
// kubernetesVersion and pins every node group not yet upgraded at its
// live version, so that it changes the control plane and add-ons only
// (when they are done, it is only written, not deployed: N 0); each next
// moves one group's pin to the target.
func (p *Plan) Deploys() []Deploy {
	first := Deploy{Config: map[string]any{"kubernetesVersion": p.To}}
	var out []Deploy
	for _, st := range p.Steps {
		switch {
		case st.Done:
		case st.Kind == "node-group":
			first.Config["nodeGroups."+st.Group+".version"] = st.From
			out = append(out, Deploy{N: st.Deploy, Config: map[string]any{"nodeGroups." + st.Group + ".version": p.To}, Steps: []Step{st}})
		default:
			first.N = st.Deploy
			first.Steps = append(first.Steps, st)
		}
	}
	return append([]Deploy{first}, out...)
}

// Setting describes the configuration a deploy writes, for the plan.
func (d Deploy) Setting() string {
	keys := slices.Sorted(maps.Keys(d.Config))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, d.Config[k]))
	}
	return strings.Join(parts, " ")
}

// orderedGroups puts the general group first (it runs the platform), then
// the others by name.
func orderedGroups(groups map[string]string) []string {
	names := slices.Sorted(maps.Keys(groups))
	slices.SortStableFunc(names, func(a, b string) int {
		ga, gb := strings.HasPrefix(a, "general-"), strings.HasPrefix(b, "general-")
		switch {
		case ga && !gb:
			return -1
		case gb && !ga:
			return 1
		}
		return 0
	})
	return names
}

// minor returns the minor number of a "1.NN" version.
func minor(v string) (int, bool) {
	major, rest, ok := strings.Cut(v, ".")
	if !ok || major != "1" {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ".")
	n, err := strconv.Atoi(rest)
	return n, err == nil
}
