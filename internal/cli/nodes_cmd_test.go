package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// operatorCidr stands for the ranges an operator sets in place of the
// dev stack file's documentation range, which preview and up refuse.
const operatorCidr = "81.2.69.0/24"

// stackDirCopy copies the repository's stack files into a temporary
// directory the test may change, with dev's public-access placeholder
// replaced by operatorCidr, as an operator does before deploying.
func stackDirCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(), name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "Pulumi.dev.yaml" {
			b = []byte(strings.ReplaceAll(string(b), "- 203.0.113.0/24", "- "+operatorCidr))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNodesScaleRefuses: usage mistakes and sizes the spec rejects are
// refused naming the flag or key, and leave the stack file as it was.
func TestNodesScaleRefuses(t *testing.T) {
	dir := stackDirCopy(t)
	before, _ := os.ReadFile(filepath.Join(dir, "Pulumi.prod.yaml"))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no group", []string{"nodes", "scale", "--stack", "prod", "--max", "4"}, ExitUsage, "one node group"},
		{"unknown group", []string{"nodes", "scale", "cpu", "--stack", "prod", "--max", "4"}, ExitUsage, "nodeGroups.cpu: no such node group (one of general, training, gpu)"},
		{"no size", []string{"nodes", "scale", "gpu", "--stack", "prod"}, ExitUsage, "at least one of --min, --max, --desired"},
		{"negative", []string{"nodes", "scale", "gpu", "--stack", "prod", "--max", "-1"}, ExitUsage, "--max must not be negative"},
		{"no stack", []string{"nodes", "scale", "gpu", "--max", "2"}, ExitUsage, "--stack is required"},
		{"min above max", []string{"nodes", "scale", "general", "--stack", "prod", "--min", "5", "--max", "4", "--config-only"}, ExitInvalidConfig,
			"nodeGroups.general: sizes must satisfy minSize <= desiredSize <= maxSize, got 5 <= 3 <= 4"},
		{"desired above max", []string{"nodes", "scale", "general", "--stack", "prod", "--desired", "11", "--config-only"}, ExitInvalidConfig,
			"nodeGroups.general: sizes must satisfy minSize <= desiredSize <= maxSize, got 3 <= 11 <= 10"},
		{"a Karpenter pool", []string{"nodes", "scale", "gpu", "--stack", "prod", "--max", "8"}, ExitUsage,
			"nodeGroups.gpu is a Karpenter NodePool"},
		{"the training pool", []string{"nodes", "scale", "training", "--stack", "prod", "--max", "8", "--config-only"}, ExitUsage,
			"cap it with nodeGroups.training.limits"},
		{"prod general below 3", []string{"nodes", "scale", "general", "--stack", "prod", "--min", "2", "--desired", "2", "--config-only"}, ExitInvalidConfig,
			"nodeGroups.general.minSize: prod needs at least 3 general nodes for HA, got 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, append(tc.args, "--dir", dir)...)
			if ExitCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("exit %d, %v; want %d and %q", ExitCode(err), err, tc.code, tc.want)
			}
		})
	}
	after, _ := os.ReadFile(filepath.Join(dir, "Pulumi.prod.yaml"))
	if string(after) != string(before) {
		t.Errorf("a refused scale changed Pulumi.prod.yaml:\n%s", after)
	}
}

// TestNodesScaleWritesConfig: the sizes land in Pulumi.prod.yaml under the
// spec's keys, the stack resolves to them with no --set, and the rest of
// the file stays.
func TestNodesScaleWritesConfig(t *testing.T) {
	dir := stackDirCopy(t)
	out, _, err := run(t, "nodes", "scale", "general", "--stack", "prod", "--min", "4", "--desired", "4", "--max", "12", "--config-only", "--dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "nodes-scale-config-only", strings.ReplaceAll(out, dir, "<dir>"))
	r, err := stack.Source{Dir: dir, Stack: "prod", Now: testNow}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if g := r.Spec.NodeGroups.General; g.MinSize != 4 || g.DesiredSize != 4 || g.MaxSize != 12 {
		t.Errorf("general resolves to %d/%d/%d", g.MinSize, g.DesiredSize, g.MaxSize)
	}
	if r.Spec.KserveIngressDomain != "inference.example.com" || r.Spec.NodeGroups.GPU.MaxSize != 4 {
		t.Errorf("other keys changed: domain %q, gpu max %d", r.Spec.KserveIngressDomain, r.Spec.NodeGroups.GPU.MaxSize)
	}
	b, _ := os.ReadFile(filepath.Join(dir, spec.StackConfigFile("prod")))
	if !strings.Contains(string(b), "# Production stack: the hardened profile.") {
		t.Errorf("comments lost:\n%s", b)
	}
	out, _, err = run(t, "nodes", "scale", "general", "--stack", "prod", "--max", "12", "--config-only", "--dir", dir)
	if err != nil || !strings.Contains(out, "nothing to change") {
		t.Errorf("repeating the sizes: %v\n%s", err, out)
	}
}

// TestNodesScaleUp: the scale runs up through the deploy machinery (the
// real engine and the fake provider): the preview updates nodes-general
// in place and the deploy completes. (Training and GPU capacity are
// Karpenter NodePools: TestNodesScaleRefuses.)
func TestNodesScaleUp(t *testing.T) {
	e := newEngineCLI(t)
	e.stackDir = stackDirCopy(t)
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	wantCode(t, "first up", err, ExitOK, stderr)
	out, stderr, err := e.run("nodes", "scale", "general", "--stack", "dev", "--max", "6")
	wantCode(t, "nodes scale", err, ExitOK, stderr)
	t.Logf("nodes scale general --max 6:\n%s\n%s", out, stderr)
	if !strings.Contains(out, "nodeGroups.general: maxSize 4 -> 6") || !strings.Contains(stderr, "nodes-general") || !strings.Contains(stderr, "1 of 1 steps done") {
		t.Errorf("nodes scale printed:\n%s\n%s", out, stderr)
	}
}

// TestNodesScaleDeployAppliesDesiredSize (review #20): scale's own deploy
// carries applyDesiredSize for the group when --min or --desired is given,
// so EKS gets desiredSize >= the new minSize; the stack file does not keep
// it, and --max alone leaves the desired size to the autoscaler.
func TestNodesScaleDeployAppliesDesiredSize(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want bool
	}{
		{"min and desired", []string{"--min", "2", "--desired", "2"}, true},
		{"max only", []string{"--max", "5"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := stackDirCopy(t)
			var got *spec.Spec
			stop := errors.New("stopped before the engine")
			env := Env{Streams: Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, Now: func() time.Time { return testNow },
				Deployment: func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
					got = r.Spec
					return deploy.Options{}, stop
				}}
			err := Run(context.Background(), env, append([]string{"nodes", "scale", "general", "--stack", "dev", "--dir", dir}, c.args...))
			if !errors.Is(err, stop) || got == nil {
				t.Fatalf("want the deploy reached, got %v", err)
			}
			if got.NodeGroups.General.ApplyDesiredSize != c.want {
				t.Errorf("applyDesiredSize = %v, want %v", got.NodeGroups.General.ApplyDesiredSize, c.want)
			}
			if got.NodeGroups.Training.ApplyDesiredSize {
				t.Error("another group applies its desired size")
			}
			file, _ := os.ReadFile(filepath.Join(dir, "Pulumi.dev.yaml"))
			if strings.Contains(string(file), "applyDesiredSize") {
				t.Errorf("the stack file keeps applyDesiredSize:\n%s", file)
			}
		})
	}
}
