package karpsim

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestVersionMatchesTheToolModule: the harness looks for the binary
// .ci/build-tools.sh caches under the version tools/karpenter-kwok pins.
func TestVersionMatchesTheToolModule(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "tools", "karpenter-kwok", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^require sigs\.k8s\.io/karpenter (v[0-9.]+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("tools/karpenter-kwok/go.mod requires no sigs.k8s.io/karpenter on its require line")
	}
	if string(m[1]) != KarpenterVersion {
		t.Errorf("tools/karpenter-kwok pins %s, the harness looks for %s", m[1], KarpenterVersion)
	}
}
