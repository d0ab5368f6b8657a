package deploy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/mlops-platform/mlops-platform/internal/provider"
)

// SDKVersion is the Pulumi Go SDK the program is built with (go.mod); the
// CLI must be at least this version.
const SDKVersion = "3.274.1"

// Plugins are the resource plugins the program needs, at the provider SDK
// versions go.mod pins: the program's resources ask the engine for exactly
// these versions.
var Plugins = map[string]string{
	"aws":        provider.AWSVersion,
	"kubernetes": provider.KubernetesVersion,
}

// pluginsOf are the plugins each layer loads.
var pluginsOf = map[string][]string{
	"aws":     {"aws"},
	"cluster": {"aws", "kubernetes"},
}

// checkPlugins verifies the layer's plugins are available at the pinned
// versions, installed in the workspace or as pulumi-resource-<name> on the
// CLI's PATH, and otherwise says how to install them (nothing is
// downloaded behind the user's back).
func checkPlugins(ctx context.Context, ws auto.Workspace, layer string, env map[string]string) error {
	installed, err := ws.ListPlugins(ctx)
	if err != nil {
		return fmt.Errorf("listing Pulumi plugins: %w", err)
	}
	for _, name := range pluginsOf[layer] {
		want := Plugins[name]
		ok := false
		for _, p := range installed {
			if p.Name == name && string(p.Kind) == "resource" && p.Version != nil && p.Version.String() == want {
				ok = true
			}
		}
		if !ok && onPath("pulumi-resource-"+name, env) {
			ok = true
		}
		if !ok {
			return fmt.Errorf("pulumi plugin %s v%s (the version go.mod pins) is not installed: run `pulumi plugin install resource %s v%s`",
				name, want, name, want)
		}
	}
	return nil
}

// onPath reports whether an executable is on the PATH the CLI runs with.
func onPath(name string, env map[string]string) bool {
	path := os.Getenv("PATH")
	if p, ok := env["PATH"]; ok {
		path = p
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}
