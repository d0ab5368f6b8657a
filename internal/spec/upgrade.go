package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// CheckLiveVersion compares the Kubernetes version the control plane runs
// (live, empty when the cluster does not exist yet or is unknown) with the
// spec's. EKS upgrades a control plane on its own at the end of extended
// support (or standard support with upgradePolicy STANDARD), and it never
// downgrades: a spec behind the live version would plan a downgrade that
// EKS refuses mid-deploy, so it is refused before anything changes. EKS
// also upgrades one minor at a time, so a jump of more than one is refused
// with the next step.
func CheckLiveVersion(live, want string) error {
	if live == "" || live == want {
		return nil
	}
	lm, lok := minor(live)
	wm, wok := minor(want)
	if !lok || !wok {
		return fmt.Errorf("kubernetesVersion: cannot compare %q with the live control plane's %q", want, live)
	}
	switch {
	case wm < lm:
		return fmt.Errorf("kubernetesVersion: the control plane already runs %s (EKS upgraded it, or it was upgraded outside this stack) and cannot be downgraded to %s: set kubernetesVersion to %s", live, want, live)
	case wm > lm+1:
		return fmt.Errorf("kubernetesVersion: EKS upgrades one minor version at a time; the control plane runs %s: set kubernetesVersion to 1.%d first", live, lm+1)
	}
	return nil
}

// minor returns the minor number of a "1.NN" version.
func minor(v string) (int, bool) {
	major, rest, ok := strings.Cut(v, ".")
	if !ok || major != "1" {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ".") // "1.35.2" or "1.35"
	n, err := strconv.Atoi(rest)
	return n, err == nil
}
