// Package apiserver applies the Kubernetes layer the program declares to a
// real kube-apiserver (with etcd) on loopback and checks what admission
// does with it: Pod Security, LimitRange defaults and ResourceQuota.
package apiserver

import (
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
	"path/filepath"
)

// APIServerVersion is the kube-apiserver the harness runs; its minor
// matches the platform's default kubernetesVersion.
const APIServerVersion = "v1.35.4"

// Environment variables that point the harness at its binaries.
const (
	EnvAPIServer = "MLOPS_KUBE_APISERVER"
	EnvEtcd      = "MLOPS_ETCD"
)

// ErrMissingBinary means etcd or kube-apiserver is not installed.
var ErrMissingBinary = testtools.ErrMissing

// Binaries are the programs the harness starts.
type Binaries struct {
	APIServer string
	Etcd      string
}

// CachedAPIServer is where .ci/run builds the API server.
func CachedAPIServer() string {
	return filepath.Join(testtools.CacheDir(), "kube-apiserver-"+APIServerVersion)
}

// FindBinaries locates etcd and kube-apiserver: the environment variables
// first, then the build cache and PATH.
func FindBinaries() (Binaries, error) {
	var b Binaries
	var err error
	if b.APIServer, err = testtools.Find(EnvAPIServer, CachedAPIServer(), "kube-apiserver"); err != nil {
		return b, fmt.Errorf("kube-apiserver %s: %w (build it with: cd tools/kube-apiserver && go build -o %s .)", APIServerVersion, err, CachedAPIServer())
	}
	if b.Etcd, err = testtools.Find(EnvEtcd, "", "etcd"); err != nil {
		return b, fmt.Errorf("etcd: %w (install Debian's etcd-server)", err)
	}
	return b, nil
}
