// Package testtools finds the programs the integration tests run (built by
// .ci/run into a cache, or installed) and applies one rule when one is
// missing: skip on a developer's machine, fail in CI (CI=true).
package testtools

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ErrMissing means a tool is neither named by its variable, in the cache,
// nor on PATH.
var ErrMissing = errors.New("binary not found")

// CacheDir is where .ci/run keeps the tools it builds.
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "mlops-platform")
}

// Find returns the file the environment variable env names, else cached,
// else name on PATH ("" skips that step).
func Find(env, cached, name string) (string, error) {
	for _, p := range []string{os.Getenv(env), cached} {
		if IsFile(p) {
			return p, nil
		}
	}
	if name != "" {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrMissing
}

// IsFile reports whether p names an existing regular file.
func IsFile(p string) bool {
	if p == "" {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Unavailable ends t because what it needs is missing: a skip, or a
// failure in CI, where nothing may skip.
func Unavailable(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s unavailable in CI: %v", what, err)
	}
	t.Skipf("%s unavailable: %v", what, err)
}
