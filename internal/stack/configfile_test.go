package stack

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSetValues: each --set is written back under its dotted key, as the
// YAML value it reads as; a version keeps its text.
func TestSetValues(t *testing.T) {
	got, err := SetValues([]string{"nodeGroups.general.maxSize=6", "kubernetesVersion=1.30", "containerInsights=false",
		"nodeGroups.general.instanceTypes=[m6i.large, m5.large]", "tags={team: ml}"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"nodeGroups.general.maxSize": 6, "kubernetesVersion": "1.30", "containerInsights": false,
		"nodeGroups.general.instanceTypes": []any{"m6i.large", "m5.large"}, "tags": map[string]any{"team": "ml"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SetValues = %#v, want %#v", got, want)
	}
	file := filepath.Join(t.TempDir(), "Pulumi.dev.yaml")
	if err := os.WriteFile(file, []byte("# the dev stack\nconfig:\n  # sizes\n  mlops-platform:nodeGroups:\n    general:\n      maxSize: 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteConfig(file, got); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	for _, line := range []string{"# the dev stack", "  # sizes", "      maxSize: 6", `  mlops-platform:kubernetesVersion: "1.30"`, "  mlops-platform:containerInsights: false"} {
		if !strings.Contains(string(b), line+"\n") {
			t.Errorf("the file lacks %q:\n%s", line, b)
		}
	}
}
