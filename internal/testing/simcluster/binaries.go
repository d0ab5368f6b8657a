// Package simcluster runs a simulated EKS cluster for the tests: etcd and
// kube-apiserver (internal/testing/apiserver's harness), kube-controller-manager
// and kube-scheduler at the same version, and kwok, which plays the
// kubelet of nodes shaped like the evaluated graph's node groups (labels,
// taints, the instance type's CPU, memory, pod limit and GPUs, one zone per
// Availability Zone) and marks every pod scheduled onto them Running and
// Ready.
package simcluster

import (
	"fmt"
	"path/filepath"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// KwokVersion is the sigs.k8s.io/kwok release tools/kwok builds.
const KwokVersion = "v0.8.0"

// Environment variables that point the harness at its binaries (etcd and
// kube-apiserver: apiserver's).
const (
	EnvControllerManager = "MLOPS_KUBE_CONTROLLER_MANAGER"
	EnvScheduler         = "MLOPS_KUBE_SCHEDULER"
	EnvKwok              = "MLOPS_KWOK"
)

// Binaries are the programs the simulated cluster runs.
type Binaries struct {
	apiserver.Binaries
	ControllerManager string
	Scheduler         string
	Kwok              string
}

// Cached returns where .ci/run builds a tool: name-version in the cache.
func Cached(name, version string) string {
	return filepath.Join(testtools.CacheDir(), name+"-"+version)
}

// FindBinaries locates every binary: the environment variables first, then
// the build cache and PATH.
func FindBinaries() (Binaries, error) {
	var b Binaries
	var err error
	if b.Binaries, err = apiserver.FindBinaries(); err != nil {
		return b, err
	}
	for _, t := range []struct {
		dst                     *string
		env, name, version, how string
	}{
		{&b.ControllerManager, EnvControllerManager, "kube-controller-manager", apiserver.APIServerVersion, "cd tools/kube-apiserver && go build ./kube-controller-manager"},
		{&b.Scheduler, EnvScheduler, "kube-scheduler", apiserver.APIServerVersion, "cd tools/kube-apiserver && go build ./kube-scheduler"},
		{&b.Kwok, EnvKwok, "kwok", KwokVersion, "cd tools/kwok && go build sigs.k8s.io/kwok/cmd/kwok"},
	} {
		cached := Cached(t.name, t.version)
		if *t.dst, err = testtools.Find(t.env, cached, ""); err != nil {
			return b, fmt.Errorf("%s %s: %w (build it with: %s -o %s, as .ci/run does)", t.name, t.version, err, t.how, cached)
		}
	}
	return b, nil
}
