package plan_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestReleasesAndPSALevels: the views list every release the platform
// declares and every namespace's level, EKS's own namespaces included.
func TestReleasesAndPSALevels(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack)
			rows := plan.Releases(g)
			want := map[string]string{}
			for _, r := range platform.Releases() {
				want[r.Name] = r.Version
			}
			if len(rows) != len(want) {
				t.Errorf("%d release rows, want %d", len(rows), len(want))
			}
			for _, r := range rows {
				if want[r.Release] != r.Version {
					t.Errorf("release %s version %q, want %q", r.Release, r.Version, want[r.Release])
				}
			}
			levels, reasons := map[string]string{}, map[string]string{}
			for _, n := range plan.NamespaceLevels(g) {
				levels[n.Namespace], reasons[n.Namespace] = n.Enforce, n.Reason
			}
			if levels[kubenames.NSServing] != kubenames.Restricted || levels[kubenames.NSDevicePlugin] != kubenames.Privileged {
				t.Errorf("namespace levels %v", levels)
			}
			for _, e := range kubenames.Exemptions() {
				name := e.Name
				if !e.Managed {
					name += " (EKS)"
				}
				if reasons[name] != e.Reason {
					t.Errorf("exemption of %s: %q, want %q", name, reasons[name], e.Reason)
				}
			}
		})
	}
}

// TestReleaseSources: the view says where each chart comes from.
func TestReleaseSources(t *testing.T) {
	for _, tt := range []struct {
		name string
		sets []string
		want map[string][2]string // release → chart, source
	}{
		{"public", nil, map[string][2]string{
			"mlflow":     {"mlflow", "https://community-charts.github.io/helm-charts"},
			"kserve-crd": {"oci://ghcr.io/kserve/charts/kserve-crd", "oci://ghcr.io/kserve/charts"},
		}},
		{"oci mirror", []string{"charts.source=mirror", "charts.mirror=oci://registry.example.com/charts"}, map[string][2]string{
			"mlflow": {"oci://registry.example.com/charts/mlflow", "oci://registry.example.com/charts"},
		}},
		{"local", []string{"charts.source=local", "charts.dir=" + stacktest.RepoRoot() + "/third_party/charts"}, map[string][2]string{
			"mlflow": {stacktest.RepoRoot() + "/third_party/charts/mlflow", "local"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string][2]string{}
			for _, r := range plan.Releases(stacktest.Evaluate(t, "dev", tt.sets...)) {
				got[r.Release] = [2]string{r.Chart, r.Source}
			}
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s: chart, source = %v, want %v", name, got[name], want)
				}
			}
		})
	}
}
