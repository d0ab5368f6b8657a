package cost

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// TestAllocatable checks the kube-reserved formula of the EKS AMI against
// figures worked by hand: 4 vCPU reserve 80m, 2 vCPU 70m; 16 GiB with 58
// pods reserve 255+638 MiB plus the 100 MiB eviction threshold.
func TestAllocatable(t *testing.T) {
	cases := []struct {
		vcpu, mem, pods int
		cpu, memGiB     float64
	}{
		{4, 16, 58, 3.92, (16384.0 - 893 - 100) / 1024},
		{2, 8, 29, 1.93, (8192.0 - 574 - 100) / 1024},
		{8, 32, 58, 7.91, (32768.0 - 893 - 100) / 1024},
	}
	for _, c := range cases {
		cpu, mem := Allocatable(c.vcpu, c.mem, c.pods)
		if math.Abs(cpu-c.cpu) > 0.001 || math.Abs(mem-c.memGiB) > 0.001 {
			t.Errorf("Allocatable(%d, %d, %d) = %v CPU, %v GiB; want %v, %v", c.vcpu, c.mem, c.pods, cpu, mem, c.cpu, c.memGiB)
		}
	}
}

func TestQuantities(t *testing.T) {
	for q, want := range map[string]float64{"100m": 0.1, "1": 1, "0.5": 0.5, "2500m": 2.5} {
		if got, err := ParseCPU(q); err != nil || got != want {
			t.Errorf("ParseCPU(%q) = %v, %v", q, got, err)
		}
	}
	for q, want := range map[string]float64{"512Mi": 0.5, "2Gi": 2, "0": 0, "1048576Ki": 1} {
		if got, err := ParseMemoryGiB(q); err != nil || got != want {
			t.Errorf("ParseMemoryGiB(%q) = %v, %v", q, got, err)
		}
	}
	for _, bad := range []string{"1G", "lots", ""} {
		if _, err := ParseMemoryGiB(bad); err == nil {
			t.Errorf("ParseMemoryGiB(%q) accepted", bad)
		}
	}
}

// TestRightSizeProd: the platform's pods are read off prod's graph (our
// values' replicas and requests win over the table), 2-vCPU nodes are
// refused for CPU, and the cheapest 4-vCPU type is chosen.
func TestRightSizeProd(t *testing.T) {
	g := stackGraph(t, "prod")
	cat, u := defaults(t, "eu-west-1", "prod")
	rs, err := RightSize(g, cat, u)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Current != "m5.xlarge" || rs.Nodes != 3 {
		t.Fatalf("current %dx %s", rs.Nodes, rs.Current)
	}
	var mlflow *PodRequest
	for i, p := range rs.Pods {
		if p.Owner == "mlflow" {
			mlflow = &rs.Pods[i]
		}
		if p.Owner == "nvidia-device-plugin" {
			t.Errorf("the device plugin runs on GPU nodes only, counted on general")
		}
	}
	prod, _ := spec.Defaults(spec.ProfileProd, "prod")
	if mlflow == nil || mlflow.Replicas != prod.Workloads.MLflow.Replicas || mlflow.CPU != 0.25 || mlflow.Source != "our values" {
		t.Fatalf("mlflow %+v, want the values' replicas and 250m", mlflow)
	}
	if rs.Choice != "m6g.xlarge" {
		t.Errorf("choice %q, want m6g.xlarge", rs.Choice)
	}
	for _, f := range rs.Fits {
		if strings.HasSuffix(f.Type, ".large") && (f.Fits || !strings.Contains(f.Why, "exceed allocatable")) {
			t.Errorf("%s: fits %v (%s); the platform's CPU needs more than 2 vCPU nodes", f.Type, f.Fits, f.Why)
		}
	}
	// With no headroom and the platform on 3 nodes only, nothing changes for
	// the zone-loss rule: .large still fails it.
	u.GeneralHeadroom = Headroom{}
	if rs, _ = RightSize(g, cat, u); rs.Choice == "m6g.large" {
		t.Errorf("m6g.large chosen although the platform does not fit on 2 of them")
	}
	// A headroom no candidate holds leaves no choice and no change.
	u.GeneralHeadroom = Headroom{CPU: 100}
	if rs, _ = RightSize(g, cat, u); rs.Choice != "" || rs.Change() != nil {
		t.Errorf("choice %q with 100 CPU of headroom", rs.Choice)
	}
}

// TestPlatformPodsAgainstCharts: a request the table calls the chart's
// default is the chart's values.yaml; one it assumes is where the chart
// sets none (so an upstream default would replace the assumption).
func TestPlatformPodsAgainstCharts(t *testing.T) {
	for _, p := range PlatformPods {
		ref := p.ChartDefault + p.ChartNone
		if ref == "" {
			continue
		}
		chart, path, _ := strings.Cut(ref, ":")
		content, err := os.ReadFile(filepath.Join("..", "..", "third_party", "charts", chart, "values.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := yaml.Unmarshal(content, &v); err != nil {
			t.Fatal(err)
		}
		for _, k := range strings.Split(path, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		res, _ := v.(map[string]any)
		req, _ := res["requests"].(map[string]any)
		if p.ChartNone != "" {
			if len(req) != 0 {
				t.Errorf("%s %s: the chart now requests %v at %s; use it", p.Release, p.Name, req, path)
			}
			continue
		}
		if req["cpu"] != p.CPU || req["memory"] != p.Memory {
			t.Errorf("%s %s: chart requests %v at %s, table says %s/%s", p.Release, p.Name, req, path, p.CPU, p.Memory)
		}
	}
}
