package rendercheck_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// apiServer starts etcd and kube-apiserver (apiserver's harness) for one
// stack, so its namespaces keep the names the program gives them; the
// test's cleanup stops them.
func apiServer(t *testing.T) *apiserver.Server {
	t.Helper()
	bins, err := apiserver.FindBinaries()
	if err != nil {
		testtools.Unavailable(t, "API server harness", err)
	}
	begin := time.Now()
	s, err := apiserver.Start(context.Background(), bins, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	t.Logf("etcd + kube-apiserver %s ready in %s", apiserver.APIServerVersion, time.Since(begin).Round(time.Millisecond))
	return s
}

// helmBinary finds Helm, or skips (fails in CI).
func helmBinary(t *testing.T) string {
	t.Helper()
	h, err := rendercheck.FindHelm()
	if err != nil {
		testtools.Unavailable(t, "helm", err)
	}
	return h
}
