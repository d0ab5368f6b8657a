// Package kubeverify applies the Kubernetes layer the program declares to a
// real kube-apiserver (with etcd) on loopback and checks what admission
// does with it: Pod Security, LimitRange defaults and ResourceQuota.
package kubeverify

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
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
var ErrMissingBinary = errors.New("binary not found")

// Binaries are the programs the harness starts.
type Binaries struct {
	APIServer string
	Etcd      string
}

// CachedAPIServer is where .ci/run builds the API server.
func CachedAPIServer() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "mlops-platform", "kube-apiserver-"+APIServerVersion)
}

// FindBinaries locates etcd and kube-apiserver: the environment variables
// first, then the build cache and PATH.
func FindBinaries() (Binaries, error) {
	var b Binaries
	var err error
	if b.APIServer, err = find(EnvAPIServer, CachedAPIServer(), "kube-apiserver"); err != nil {
		return b, fmt.Errorf("kube-apiserver %s: %w (build it with: cd tools/kube-apiserver && go build -o %s .)", APIServerVersion, err, CachedAPIServer())
	}
	if b.Etcd, err = find(EnvEtcd, "", "etcd"); err != nil {
		return b, fmt.Errorf("etcd: %w (install Debian's etcd-server)", err)
	}
	return b, nil
}

func find(env, cached, name string) (string, error) {
	for _, p := range []string{os.Getenv(env), cached} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", ErrMissingBinary
}
