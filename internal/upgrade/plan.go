// Package upgrade plans an EKS minor-version upgrade of a deployed stack:
// it refuses what EKS refuses (more than one minor, a version EKS does
// not offer, one without pinned add-ons), reads the cluster's upgrade
// insights and blocks on each ERROR, and orders the steps: control plane,
// then the add-ons to the versions pinned for the target minor, then the
// node groups one by one.
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
	case tm == lm:
		return nil, fmt.Errorf("--to: cluster %s already runs %s", cluster, live.Version)
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
	p := &Plan{Cluster: cluster, From: live.Version, To: target,
		Steps: []Step{{Kind: "control-plane", Name: cluster, From: live.Version, To: target}}}
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
		if v := live.NodeGroups[name]; v != target {
			p.Steps = append(p.Steps, Step{Kind: "node-group", Name: name, From: v, To: target})
		}
	}
	return p, nil
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
