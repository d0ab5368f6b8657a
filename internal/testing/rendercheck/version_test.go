package rendercheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestHelmVersionMatchesTheToolModule keeps HelmVersion on the version
// tools/helm builds.
func TestHelmVersionMatchesTheToolModule(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(stacktest.RepoRoot(), "tools", "helm", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "require helm.sh/helm/v3 "+HelmVersion) {
		t.Errorf("tools/helm/go.mod does not pin helm.sh/helm/v3 %s", HelmVersion)
	}
}

func TestDecodeFlattensLists(t *testing.T) {
	in := "---\nkind: List\napiVersion: v1\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n---\n# empty\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: c}\n"
	objs, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.GetKind()+"/"+o.GetName())
	}
	if strings.Join(names, ",") != "ConfigMap/a,ConfigMap/b,Secret/c" {
		t.Errorf("decoded %v", names)
	}
}
