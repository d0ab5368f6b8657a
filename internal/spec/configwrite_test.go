package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetStackConfigKeepsTheRest writes node group sizes into the real
// prod stack file: the spec reads them back, every other key and comment
// stays, and a second write replaces rather than repeats.
func TestSetStackConfigKeepsTheRest(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("..", "..", StackConfigFile("prod")))
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]any{"nodeGroups.general.minSize": 4, "nodeGroups.general.maxSize": 12, "nodeGroups.general.desiredSize": 5}
	out, err := SetStackConfig(orig, vals)
	if err != nil {
		t.Fatal(err)
	}
	out, err = SetStackConfig(out, map[string]any{"nodeGroups.general.maxSize": 14, "nodeGroups.gpu.maxSize": 2})
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseStackConfig(out)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := ParseStackConfig(orig)
	if o["kserveIngressDomain"] != before["kserveIngressDomain"] {
		t.Errorf("kserveIngressDomain lost: %v", o)
	}
	ng, _ := o["nodeGroups"].(map[string]any)
	general, _ := ng["general"].(map[string]any)
	gpu, _ := ng["gpu"].(map[string]any)
	if got := fmt.Sprintf("%v %v %v %v", general["minSize"], general["maxSize"], general["desiredSize"], gpu["maxSize"]); got != "4 14 5 2" {
		t.Errorf("nodeGroups read back %v", ng)
	}
	if strings.Count(string(out), "mlops-platform:nodeGroups:") != 1 || strings.Count(string(out), "maxSize") != 2 {
		t.Errorf("keys repeated:\n%s", out)
	}
	for _, comment := range []string{"# Production stack: the hardened profile.", "# Set your own inference domain."} {
		if !strings.Contains(string(out), comment) {
			t.Errorf("comment %q lost:\n%s", comment, out)
		}
	}
}

func TestSetStackConfigNewFileAndErrors(t *testing.T) {
	out, err := SetStackConfig(nil, map[string]any{"nodeGroups.training.maxSize": 3})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "config:\n  mlops-platform:nodeGroups:\n    training:\n      maxSize: 3\n" {
		t.Errorf("new file:\n%s", out)
	}
	if _, err := SetStackConfig([]byte("config:\n  mlops-platform:nodeGroups: 3\n"), map[string]any{"nodeGroups.general.minSize": 3}); err == nil ||
		!strings.Contains(err.Error(), "nodeGroups.general.minSize") {
		t.Errorf("a scalar where a mapping belongs: %v", err)
	}
	if _, err := SetStackConfig([]byte("- a\n"), map[string]any{"x": 1}); err == nil {
		t.Error("a list file was accepted")
	}
}
