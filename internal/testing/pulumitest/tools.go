// Package pulumitest runs Pulumi programs through the real engine against a
// fake cloud: the Pulumi CLI built from tools/pulumi and the fake AWS
// provider built from tools/fake-aws-provider (both by .ci/build-tools.sh),
// with a file:// backend and a passphrase secrets provider in a temporary
// directory.
package pulumitest

import (
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
	"os"
	"path/filepath"
	"testing"
)

// PulumiVersion is the Pulumi CLI the tests run: the sdk/v3 version of the
// main module, which tools/pulumi pins for pkg/v3.
const PulumiVersion = "v3.274.1"

// Environment variables that point the harness at its tools.
const (
	// EnvPulumi is the pulumi binary, in a directory named bin.
	EnvPulumi = "MLOPS_PULUMI"
	// EnvFakeAWSPluginDir is a directory holding pulumi-resource-aws.
	EnvFakeAWSPluginDir = "MLOPS_FAKE_AWS_PLUGIN_DIR"
	// EnvKubernetesPluginDir is a directory holding the real
	// pulumi-resource-kubernetes (built from tools/pulumi-kubernetes).
	EnvKubernetesPluginDir = "MLOPS_KUBERNETES_PLUGIN_DIR"
	// EnvFakeAWSAccount is the directory the fake provider keeps the
	// account's physical names in (tools/fake-aws-provider, account.go).
	EnvFakeAWSAccount = "MLOPS_FAKE_AWS_ACCOUNT"
)

// ErrMissingTool means the Pulumi CLI or the fake provider is not built.
var ErrMissingTool = testtools.ErrMissing

// Tools are the programs a real-engine test runs.
type Tools struct {
	// Pulumi is the CLI binary; its directory is named bin.
	Pulumi string
	// PluginDir holds the fake pulumi-resource-aws.
	PluginDir string
	// KubernetesPluginDir holds the real pulumi-resource-kubernetes; set
	// by RequireKubernetes only.
	KubernetesPluginDir string
}

// PulumiRoot is the directory the Automation API looks for bin/pulumi in.
func (t Tools) PulumiRoot() string { return filepath.Dir(filepath.Dir(t.Pulumi)) }

// CachedPulumi is where .ci/build-tools.sh builds the CLI.
func CachedPulumi() string {
	return filepath.Join(testtools.CacheDir(), "pulumi-"+PulumiVersion, "bin", "pulumi")
}

// FindTools locates the CLI (EnvPulumi, the build cache, then PATH) and
// the fake provider (EnvFakeAWSPluginDir).
func FindTools() (Tools, error) {
	var t Tools
	t.Pulumi, _ = testtools.Find(EnvPulumi, CachedPulumi(), "pulumi")
	if t.Pulumi == "" || filepath.Base(filepath.Dir(t.Pulumi)) != "bin" {
		return t, fmt.Errorf("pulumi %s: %w (build it with: .ci/build-tools.sh, or set %s to a .../bin/pulumi)", PulumiVersion, ErrMissingTool, EnvPulumi)
	}
	t.PluginDir = os.Getenv(EnvFakeAWSPluginDir)
	if !testtools.IsFile(filepath.Join(t.PluginDir, "pulumi-resource-aws")) {
		return t, fmt.Errorf("fake aws provider: %w in %s=%q (build it with: source .ci/build-tools.sh)", ErrMissingTool, EnvFakeAWSPluginDir, t.PluginDir)
	}
	return t, nil
}

// Require returns the tools. Without them it skips t, except in CI
// (CI=true), where a missing tool fails the test.
func Require(t testing.TB) Tools {
	t.Helper()
	tools, err := FindTools()
	if err != nil {
		testtools.Unavailable(t, "real-engine test tools", err)
	}
	return tools
}

// RequireKubernetes is Require plus the real Kubernetes provider plugin
// (EnvKubernetesPluginDir), which the workspace's PATH then offers first.
func RequireKubernetes(t testing.TB) Tools {
	t.Helper()
	tools := Require(t)
	dir := os.Getenv(EnvKubernetesPluginDir)
	if !testtools.IsFile(filepath.Join(dir, "pulumi-resource-kubernetes")) {
		testtools.Unavailable(t, "the Kubernetes provider plugin",
			fmt.Errorf("%w in %s=%q (build it with: source .ci/build-tools.sh)", ErrMissingTool, EnvKubernetesPluginDir, dir))
	}
	tools.KubernetesPluginDir = dir
	return tools
}
