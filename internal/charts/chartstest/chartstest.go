// Package chartstest locates the reference charts for tests: without them
// a test skips, except in CI (CI=true), where their absence is a failure.
package chartstest

import (
	"errors"
	"os"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts"
)

// Reference returns the reference chart folder, or skips or fails t.
func Reference(t testing.TB) string {
	t.Helper()
	ref, err := charts.FindReference(".")
	switch {
	case err == nil:
		return ref
	case errors.Is(err, charts.ErrNoReference) && os.Getenv("CI") != "true":
		t.Skipf("%v", err)
	default:
		t.Fatal(err)
	}
	return ""
}
