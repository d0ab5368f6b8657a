package charts_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts"
	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
)

var (
	loadOnce sync.Once
	loaded   map[string]*charts.Chart
	loadErr  error
)

func load(t *testing.T) map[string]*charts.Chart {
	t.Helper()
	dir := chartstest.Dir(t)
	loadOnce.Do(func() {
		loaded = map[string]*charts.Chart{}
		for _, r := range platform.Releases() {
			c, err := charts.Load(filepath.Join(dir, r.Dir), charts.Rules[r.Name].Subcharts)
			if err != nil {
				loadErr = err
				return
			}
			loaded[r.Name] = c
		}
	})
	if loadErr != nil {
		t.Fatalf("loading reference charts: %v", loadErr)
	}
	return loaded
}

// variants are inputs that exercise every branch of the values functions.
func variants() map[string]platform.Inputs {
	base := platform.Inputs{
		Settings:    platform.Settings{Region: "eu-west-1", VpcCidr: "10.0.0.0/16", KserveIngressDomain: "inference.example.com"},
		ClusterName: "mlops-platform-dev", VpcID: "vpc-0123", ArtifactBucket: "mlops-artifacts",
		MLflowRole: "arn:aws:iam::123456789012:role/mlflow", LBCRole: "arn:aws:iam::123456789012:role/lbc",
		AutoscalerRole: "arn:aws:iam::123456789012:role/cas", DatabaseAddress: "db.example.internal",
	}
	dev := base
	dev.InboundCidrs = []string{"203.0.113.0/24"}
	dev.ALBScheme = "internet-facing"
	dev.StorageReclaimPolicy = "Delete"
	dev.MLflow = platform.Replicated{Replicas: 1}
	dev.CertManager, dev.MetricsServer = dev.MLflow, dev.MLflow
	dev.Prometheus = platform.Prometheus{Replicas: 1, Retention: "2d"}
	dev.Alertmanager = platform.Alertmanager{Replicas: 1}
	prod := base
	prod.ALBScheme, prod.ALBDeletionProtection = "internal", true
	prod.StorageReclaimPolicy = "Retain"
	prod.MLflow = platform.Replicated{Replicas: 2, DisruptionBudget: true}
	prod.CertManager, prod.MetricsServer = prod.MLflow, prod.MLflow
	prod.Prometheus = platform.Prometheus{Replicas: 2, Retention: "15d", RetentionSize: "45GB", StorageSize: "50Gi"}
	prod.Alertmanager = platform.Alertmanager{Replicas: 2, StorageSize: "10Gi"}
	prod.GrafanaStorageSize = "10Gi"
	tls := prod
	tls.CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	tls.AccessLogsBucket = "alb-logs"
	return map[string]platform.Inputs{"dev": dev, "prod": prod, "prod-https": tls}
}

func TestValuesKeysExistInCharts(t *testing.T) {
	cs := load(t)
	for name, in := range variants() {
		for _, r := range platform.Releases() {
			t.Run(name+"/"+r.Name, func(t *testing.T) {
				if unknown := cs[r.Name].UnknownKeys(r.Values(in), charts.Rules[r.Name].FreeForm); len(unknown) > 0 {
					t.Errorf("%s %s: keys not in %s/values.yaml nor its schema: %s", r.Chart, r.Version, r.Dir, strings.Join(unknown, ", "))
				}
			})
		}
	}
}

func TestValuesValidateAgainstSchema(t *testing.T) {
	cs := load(t)
	for name, in := range variants() {
		for _, r := range platform.Releases() {
			if !charts.Rules[r.Name].Schema {
				continue
			}
			t.Run(name+"/"+r.Name, func(t *testing.T) {
				if cs[r.Name].Schema == nil {
					t.Fatalf("%s has no values.schema.json", r.Dir)
				}
				if err := cs[r.Name].Validate(r.Values(in)); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// TestBogusKeysAreCaught proves the checks can fail: a key injected at each
// level is reported, and a value of the wrong type fails the schema.
func TestBogusKeysAreCaught(t *testing.T) {
	cs := load(t)
	in := variants()["prod"]
	tests := []struct {
		release, inject, want string
	}{
		{"aws-load-balancer-controller", "serviceAcount", "serviceAcount"},
		{"cluster-autoscaler", "autoDiscovery.clusterNames", "autoDiscovery.clusterNames"},
		{"kserve", "kserve.controller.deploymentMod", "kserve.controller.deploymentMod"},
		{"kube-prometheus-stack", "grafana.admin.existingSecrets", "grafana.admin.existingSecrets"},
		{"kube-prometheus-stack", "prometheus-node-exporter.hostNetwrk", "prometheus-node-exporter.hostNetwrk"},
		{"mlflow", "backendStore.postgres.sslmode", "backendStore.postgres.sslmode"},
		{"cert-manager", "crds.enable", "crds.enable"},
		{"metrics-server", "podDisruptionBudget.minAvailible", "podDisruptionBudget.minAvailible"},
		{"nvidia-device-plugin", "gfd.enable", "gfd.enable"},
	}
	for _, tt := range tests {
		t.Run(tt.release+"/"+tt.inject, func(t *testing.T) {
			r := release(t, tt.release)
			vals := inject(r.Values(in), tt.inject, "bogus")
			unknown := cs[r.Name].UnknownKeys(vals, charts.Rules[r.Name].FreeForm)
			if !contains(unknown, tt.want) {
				t.Errorf("injected %s was not reported (unknown keys: %v)", tt.inject, unknown)
			}
		})
	}
	for _, name := range []string{"mlflow", "cert-manager"} {
		t.Run("schema/"+name, func(t *testing.T) {
			r := release(t, name)
			vals := inject(r.Values(in), "replicaCount", "two")
			if err := cs[name].Validate(vals); err == nil {
				t.Errorf("a string replicaCount passed %s's schema", name)
			}
		})
	}
}

func release(t *testing.T, name string) platform.Release {
	t.Helper()
	for _, r := range platform.Releases() {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no release %s", name)
	return platform.Release{}
}

// inject sets a dotted path in a copy of values.
func inject(values map[string]any, path string, v any) map[string]any {
	keys := strings.Split(path, ".")
	patch := map[string]any{keys[len(keys)-1]: v}
	for i := len(keys) - 2; i >= 0; i-- {
		patch = map[string]any{keys[i]: patch}
	}
	return charts.Merge(values, patch)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestReleasesPinTheChartVersions fails when a release's pinned version
// differs from the version in its chart's Chart.yaml under third_party/charts.
func TestReleasesPinTheChartVersions(t *testing.T) {
	dir := chartstest.Dir(t)
	for _, r := range platform.Releases() {
		t.Run(r.Name, func(t *testing.T) {
			got, err := charts.Version(filepath.Join(dir, r.Dir))
			if err != nil {
				t.Fatal(err)
			}
			if got != r.Version {
				t.Errorf("third_party/charts/%s/Chart.yaml says %s, release pins %s", r.Dir, got, r.Version)
			}
		})
	}
}

func TestVersionReadsChartYAML(t *testing.T) {
	dir := t.TempDir()
	if _, err := charts.Version(dir); err == nil || !strings.Contains(err.Error(), "Chart.yaml") {
		t.Errorf("missing Chart.yaml: want an error naming it, got %v", err)
	}
	for content, want := range map[string]string{"name: x\nversion: 1.2.3\n": "1.2.3", "name: x\nversion: \"0.18.2\"\n": "0.18.2", "name: x\n": ""} {
		if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := charts.Version(dir)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%q: got %q, %v; want %q", content, got, err, want)
		}
	}
}

func TestFindFailsClearly(t *testing.T) {
	if _, err := charts.Find(t.TempDir()); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("want an error naming the missing repository root, got %v", err)
	}
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := charts.Find(root); err == nil || !strings.Contains(err.Error(), charts.Dir) {
		t.Errorf("want an error naming %s, got %v", charts.Dir, err)
	}
}
