package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// TestDeployChecksTheAddonPinsWithEKS: preview asks EKS, before any
// engine runs, which versions of each add-on it offers for the stack's
// minor, and refuses a pin it does not list, naming the add-on, the pin
// and what EKS offers.
func TestDeployChecksTheAddonPinsWithEKS(t *testing.T) {
	for _, withdrawn := range []bool{false, true} {
		t.Run(map[bool]string{false: "all offered", true: "CloudWatch build withdrawn"}[withdrawn], func(t *testing.T) {
			srv, load := fakeACM(t, "ISSUED", "*.inference.example.com")
			if withdrawn {
				srv.SetAddonVersions("amazon-cloudwatch-observability", awsfake.AddonVersion{Version: "v9.9.9-eksbuild.1", ClusterVersions: []string{spec.DefaultKubernetesVersion}})
			}
			var out, errOut bytes.Buffer
			dir := t.TempDir()
			env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return testNow },
				StackAWS: load,
				Deployment: func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
					// No Pulumi CLI: a passing check ends at deploy.New.
					return deploy.Options{Env: r.Stack, Backend: "file://" + filepath.Join(dir, "state"),
						Pulumi: filepath.Join(dir, "bin", "pulumi"), WorkDir: filepath.Join(dir, "work")}, nil
				}}
			err := Run(context.Background(), env, []string{"preview", "--stack", "prod", "--set", offlineCert, "--dir", repoRoot()})
			if n, want := srv.Calls("DescribeAddonVersions"), len(spec.AddonVersions[spec.DefaultKubernetesVersion]); n != want {
				t.Errorf("DescribeAddonVersions called %d times, want %d (err %v)", n, want, err)
			}
			if !withdrawn {
				if err == nil || !strings.Contains(err.Error(), "pulumi CLI") || !strings.Contains(errOut.String(), "add-ons: EKS offers all") {
					t.Errorf("want the run to pass the preflight and reach deploy.New, got %v\n%s", err, errOut.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "amazon-cloudwatch-observability v6.0.1-eksbuild.1 (EKS offers for") || !strings.Contains(err.Error(), "v9.9.9-eksbuild.1") {
				t.Errorf("want a refusal naming the add-on, its pin and the offer, got %v", err)
			}
		})
	}
}
