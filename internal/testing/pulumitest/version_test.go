package pulumitest

import (
	"os"
	"regexp"
	"testing"
)

// TestPulumiVersionPinned keeps the harness, the tools module and the main
// module's SDK on one Pulumi version.
func TestPulumiVersionPinned(t *testing.T) {
	for file, pattern := range map[string]string{
		"../../../go.mod":              `github.com/pulumi/pulumi/sdk/v3 (v\S+)`,
		"../../../tools/pulumi/go.mod": `github.com/pulumi/pulumi/pkg/v3 (v\S+)`,
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(pattern).FindSubmatch(b)
		if m == nil || string(m[1]) != PulumiVersion {
			t.Errorf("%s pins %q, the harness runs %s", file, m, PulumiVersion)
		}
	}
}
