package apiserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestAPIServerMatchesDefaultVersion keeps the harness on the minor version
// the platform deploys by default, and tools/kube-apiserver on the same pin.
func TestAPIServerMatchesDefaultVersion(t *testing.T) {
	if !strings.HasPrefix(APIServerVersion, "v"+spec.DefaultKubernetesVersion+".") {
		t.Errorf("harness runs %s, the platform defaults to %s", APIServerVersion, spec.DefaultKubernetesVersion)
	}
	mod, err := os.ReadFile(filepath.Join(stacktest.RepoRoot(), "tools", "kube-apiserver", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "k8s.io/kubernetes "+APIServerVersion) {
		t.Errorf("tools/kube-apiserver/go.mod does not pin k8s.io/kubernetes %s", APIServerVersion)
	}
}
