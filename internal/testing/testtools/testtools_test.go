package testtools

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFindOrder: the variable wins over the cache, the cache over PATH,
// and a directory or a missing file is never a tool.
func TestFindOrder(t *testing.T) {
	dir := t.TempDir()
	fromEnv, cached, onPath := filepath.Join(dir, "env-tool"), filepath.Join(dir, "cached-tool"), filepath.Join(dir, "bin", "tool")
	for _, p := range []string{fromEnv, cached, onPath} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", filepath.Join(dir, "bin"))
	cases := []struct {
		name, env, cached, lookup, want string
	}{
		{"variable first", fromEnv, cached, "tool", fromEnv},
		{"then the cache", "", cached, "tool", cached},
		{"then PATH", filepath.Join(dir, "missing"), dir, "tool", onPath},
		{"nothing", "", filepath.Join(dir, "missing"), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("TESTTOOLS_TOOL", c.env)
			got, err := Find("TESTTOOLS_TOOL", c.cached, c.lookup)
			if got != c.want || (c.want == "") != errors.Is(err, ErrMissing) {
				t.Errorf("Find = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
