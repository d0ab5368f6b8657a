package platform_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

func TestReleaseLocation(t *testing.T) {
	dir := chartstest.Dir(t)
	byName := map[string]platform.Release{}
	for _, r := range platform.Releases() {
		byName[r.Name] = r
	}
	mlflow, crd := byName["mlflow"], byName["kserve-crd"]
	tests := []struct {
		name                string
		r                   platform.Release
		src                 platform.ChartSource
		wantChart, wantRepo string
	}{
		{"public repo", mlflow, platform.ChartSource{Source: "public"}, "mlflow", "https://community-charts.github.io/helm-charts"},
		{"public oci", crd, platform.ChartSource{Source: "public"}, "oci://ghcr.io/kserve/charts/kserve-crd", ""},
		{"oci mirror", mlflow, platform.ChartSource{Source: "mirror", Mirror: "oci://registry.example.com/charts/"}, "oci://registry.example.com/charts/mlflow", ""},
		{"helm repo mirror", crd, platform.ChartSource{Source: "mirror", Mirror: "https://charts.example.com/stable"}, "kserve-crd", "https://charts.example.com/stable"},
		{"local", mlflow, platform.ChartSource{Source: "local", Dir: dir}, filepath.Join(dir, "mlflow"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chart, repo, err := tt.r.Location(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if chart != tt.wantChart || repo != tt.wantRepo {
				t.Errorf("got chart %q repo %q, want %q %q", chart, repo, tt.wantChart, tt.wantRepo)
			}
		})
	}
}

// TestLocalChartVersionIsChecked: a local chart whose Chart.yaml differs
// from the pin, or a missing chart, fails naming charts.dir and the chart.
func TestLocalChartVersionIsChecked(t *testing.T) {
	local := t.TempDir()
	if err := os.MkdirAll(filepath.Join(local, "mlflow"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(local, "mlflow", "Chart.yaml"), []byte("apiVersion: v2\nname: mlflow\nversion: 1.9.0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var mlflow, certManager platform.Release
	for _, r := range platform.Releases() {
		switch r.Name {
		case "mlflow":
			mlflow = r
		case "cert-manager":
			certManager = r
		}
	}
	src := platform.ChartSource{Source: "local", Dir: local}
	if _, _, err := mlflow.Location(src); err == nil || !strings.Contains(err.Error(), "charts.dir") || !strings.Contains(err.Error(), "1.9.0") || !strings.Contains(err.Error(), mlflow.Version) {
		t.Errorf("a 1.9.0 chart for a %s pin: want an error naming charts.dir and both versions, got %v", mlflow.Version, err)
	}
	if _, _, err := certManager.Location(src); err == nil || !strings.Contains(err.Error(), "charts.dir") || !strings.Contains(err.Error(), "cert-manager") {
		t.Errorf("a missing chart: want an error naming charts.dir and cert-manager, got %v", err)
	}
	_, err := stacktest.Source("dev", "charts.source=local", "charts.dir="+local).Evaluate(context.Background())
	if err == nil || !strings.Contains(err.Error(), "charts.dir") {
		t.Errorf("evaluating with a wrong local chart: want an error naming charts.dir, got %v", err)
	}
}

// TestReleasesUseTheChartSource evaluates the program with each source:
// every release's chart input follows it and the pins stay.
func TestReleasesUseTheChartSource(t *testing.T) {
	dir := chartstest.Dir(t)
	for _, tt := range []struct {
		name string
		sets []string
		want func(r platform.Release) (chart, repo string)
	}{
		{"local", []string{"charts.source=local", "charts.dir=" + dir}, func(r platform.Release) (string, string) { return filepath.Join(dir, r.Dir), "" }},
		{"oci mirror", []string{"charts.source=mirror", "charts.mirror=oci://registry.example.com/charts"}, func(r platform.Release) (string, string) {
			return "oci://registry.example.com/charts/" + r.Chart, ""
		}},
		{"helm mirror", []string{"charts.source=mirror", "charts.mirror=https://charts.example.com"}, func(r platform.Release) (string, string) {
			return r.Chart, "https://charts.example.com"
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rels := releases(t, stacktest.Evaluate(t, "dev", tt.sets...))
			for _, r := range platform.Releases() {
				got, ok := rels[r.Name]
				if !ok {
					t.Fatalf("release %s not declared", r.Name)
				}
				chart, repo := tt.want(r)
				gotRepo, _ := got.Input("repositoryOpts.repo")
				if str(got, "chart") != chart || (gotRepo != nil && gotRepo != repo) || (gotRepo == nil && repo != "") || str(got, "version") != r.Version {
					t.Errorf("%s: chart %q repo %v version %q, want %q %q %q", r.Name, str(got, "chart"), gotRepo, str(got, "version"), chart, repo, r.Version)
				}
			}
		})
	}
}
