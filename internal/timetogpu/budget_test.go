package timetogpu

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/testing/golden"
)

var update = flag.Bool("update", false, "rewrite the golden file")

func TestBudgetTable(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fams, err := Budget(d, []string{"g5", "g6"}, []string{"g5.xlarge", "g6.xlarge"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Render(&out, "dev", d, fams); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "time-to-gpu.golden"), out.Bytes(), *update, "go test ./internal/timetogpu -update")
}

func TestTheImagePullDominates(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fams, err := Budget(d, []string{"g5"}, []string{"g5.xlarge"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fams[0].Paths {
		if p.Dominant != StagePull {
			t.Errorf("%s: dominant stage %s, want the image pull", p.Runtime.Name, p.Dominant)
		}
		pull, _ := p.stage(StagePull)
		// 12.6 GB at 24 MB/s is 525 s; at 17 MB/s 741 s.
		if want := p.Runtime.SizeGB * 1000 / d.PullRate.Low; pull.High != want {
			t.Errorf("%s: pull high %g s, want %g", p.Runtime.Name, pull.High, want)
		}
		if p.PrepulledHigh >= p.High-pull.High+pull.Low {
			t.Errorf("%s: a pre-pulled volume (%g s) saves less than the pull", p.Runtime.Name, p.PrepulledHigh)
		}
	}
}

// TestRuntimesMatchTheChart checks each runtime's image against the
// vendored kserve-runtime-configs chart the platform installs: its values
// name the image, and the tag (or the chart's KServe version) with the
// "-gpu" suffix the chart's patch adds for the GPU huggingfaceserver.
func TestRuntimesMatchTheChart(t *testing.T) {
	dir := filepath.Join("..", "..", "third_party", "charts", "kserve-runtime-configs")
	b, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Kserve struct {
			Version        string         `yaml:"version"`
			Servingruntime map[string]any `yaml:"servingruntime"`
		} `yaml:"kserve"`
	}
	if err := yaml.Unmarshal(b, &values); err != nil {
		t.Fatal(err)
	}
	patch, err := os.ReadFile(filepath.Join(dir, "files", "runtimes", "clusterservingruntimes-patch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Runtimes {
		key, _, _ := strings.Cut(r.Name, " ")
		v, ok := values.Kserve.Servingruntime[key].(map[string]any)
		if !ok {
			t.Errorf("runtime %s: the chart's values have no kserve.servingruntime.%s", r.Name, key)
			continue
		}
		tag, _ := v["tag"].(string)
		if tag == "" {
			tag = values.Kserve.Version
		}
		want := fmt.Sprint(v["image"]) + ":" + tag
		if strings.Contains(string(patch), "servingruntime."+key+".tag | default .Values.kserve.version }}-gpu") {
			want += "-gpu"
		}
		if r.Image != want {
			t.Errorf("runtime %s: budget prices image %s, the chart installs %s", r.Name, r.Image, want)
		}
	}
}
