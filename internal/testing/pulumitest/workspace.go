package pulumitest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Passphrase encrypts the test stacks' secrets.
const Passphrase = "correct horse battery staple"

// Env is the environment of a test workspace: an isolated PULUMI_HOME, the
// fake provider (and the real Kubernetes provider, when required) first
// on PATH, no plugin downloads, no update checks, and the fake account
// (EnvFakeAWSAccount) in dir, so that the fake refuses a physical name
// the workspace's runs already hold, as AWS does.
func (t Tools) Env(dir string) map[string]string {
	path := []string{t.PluginDir, filepath.Dir(t.Pulumi), os.Getenv("PATH")}
	if t.KubernetesPluginDir != "" {
		path = append([]string{t.KubernetesPluginDir}, path...)
	}
	return map[string]string{
		"PULUMI_HOME":                                 filepath.Join(dir, "home"),
		"PULUMI_CONFIG_PASSPHRASE":                    Passphrase,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		EnvFakeAWSAccount:                             filepath.Join(dir, "aws-account"),
		"PATH":                                        strings.Join(path, string(os.PathListSeparator)),
	}
}

// Stack is an inline program's stack in a fresh file:// backend, the
// directory state of its workspace's WorkDir, created or selected.
func Stack(ctx context.Context, t testing.TB, tools Tools, project, stack string, program pulumi.RunFunc, env map[string]string) auto.Stack {
	t.Helper()
	dir := t.TempDir()
	return stackAt(ctx, t, tools, dir, filepath.Join(dir, "state"), project, stack, program, env)
}

// StackIn is Stack in the file:// backend at backend, which stacks of one
// test share when one reads another's outputs (a StackReference).
func StackIn(ctx context.Context, t testing.TB, tools Tools, backend, project, stack string, program pulumi.RunFunc, env map[string]string) auto.Stack {
	t.Helper()
	return stackAt(ctx, t, tools, t.TempDir(), backend, project, stack, program, env)
}

// stackAt creates or selects the stack with its workspace in dir.
func stackAt(ctx context.Context, t testing.TB, tools Tools, dir, backend, project, stack string, program pulumi.RunFunc, env map[string]string) auto.Stack {
	t.Helper()
	if err := os.MkdirAll(backend, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{
		Root: tools.PulumiRoot(), Version: semver.MustParse(PulumiVersion[1:]),
	})
	if err != nil {
		t.Fatalf("pulumi CLI %s: %v", tools.Pulumi, err)
	}
	vars := tools.Env(dir)
	// The stacks of one backend are of one AWS account.
	vars[EnvFakeAWSAccount] = filepath.Join(filepath.Dir(backend), "aws-account")
	for k, v := range env {
		vars[k] = v
	}
	s, err := auto.UpsertStackInlineSource(ctx, stack, project, program,
		auto.Pulumi(cmd),
		auto.WorkDir(dir),
		auto.EnvVars(vars),
		auto.SecretsProvider("passphrase"),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + backend},
		}),
	)
	if err != nil {
		t.Fatalf("creating stack %s: %v", stack, err)
	}
	return s
}
