package apiserver

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// StartTest starts a control plane of its own for one test and stops it
// when the test ends. Without the binaries it skips, except in CI
// (CI=true), where that is a failure.
func StartTest(t testing.TB) *Server {
	t.Helper()
	bins, err := FindBinaries()
	if err != nil {
		testtools.Unavailable(t, "API server harness", err)
	}
	s, err := Start(context.Background(), bins, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err != nil {
		t.Fatalf("starting the API server harness: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}
