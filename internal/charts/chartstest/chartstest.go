// Package chartstest locates the repository's pinned charts for tests.
package chartstest

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts"
)

// Dir returns the pinned charts folder (third_party/charts). The charts
// are part of the repository, so their absence fails t.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := charts.Find(".")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
