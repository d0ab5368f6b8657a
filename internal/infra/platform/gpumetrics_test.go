package platform

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	vendoredDashboard = filepath.Join("..", "..", "..", "third_party", "reference", "grafana", "dcgm-exporter-dashboard.json")
	countersTemplate  = filepath.Join("..", "..", "..", "third_party", "charts", "dcgm-exporter", "templates", "metrics-configmap.yaml")
	dcgmMetric        = regexp.MustCompile(`\bDCGM_FI_[A-Z0-9_]+\b`)
)

// defaultCounters reads the metric names dcgm-exporter's default counters
// file exports: the chart's ConfigMap when customMetrics is unset, one
// "FIELD, type, help" line each ('#' lines are comments).
func defaultCounters(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(countersTemplate)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	inDefault := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "{{- else }}"):
			inDefault = true
		case strings.HasPrefix(line, "{{- end }}"):
			inDefault = false
		case inDefault && strings.HasPrefix(line, "DCGM_FI_"):
			name, _, _ := strings.Cut(line, ",")
			out[strings.TrimSpace(name)] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 15 {
		t.Fatalf("read %d counters from %s: the template changed shape", len(out), countersTemplate)
	}
	return out
}

// dashboardQueries lists every query of a dashboard: each panel's
// targets (rows' nested panels too) and the templating variables'.
func dashboardQueries(t *testing.T, raw string) map[string][]string {
	t.Helper()
	type panel struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
		Panels []panel `json:"panels"`
	}
	var d struct {
		Panels     []panel `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				out["panel "+p.Title] = append(out["panel "+p.Title], tg.Expr)
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	for _, v := range d.Templating.List {
		if q, ok := v.Query.(string); ok && strings.Contains(q, "(") {
			out["variable "+v.Name] = append(out["variable "+v.Name], q)
		}
	}
	return out
}

// unexported names each query's metrics the counters do not export.
func unexported(queries map[string][]string, counters map[string]bool) []string {
	var out []string
	for where, qs := range queries {
		for _, q := range qs {
			for _, m := range dcgmMetric.FindAllString(q, -1) {
				if !counters[m] {
					out = append(out, where+": "+m)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestDashboardIsNVIDIAs(t *testing.T) {
	raw, err := os.ReadFile(vendoredDashboard)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != DCGMDashboard {
		t.Error("dashboards/dcgm-exporter-dashboard.json differs from third_party/reference/grafana's copy")
	}
}

// TestDashboardQueriesUseExportedMetrics checks every panel's query, and
// the alerts', against the metric names of the default counters file.
func TestDashboardQueriesUseExportedMetrics(t *testing.T) {
	counters := defaultCounters(t)
	queries := dashboardQueries(t, DCGMDashboard)
	n := 0
	for where, qs := range queries {
		for _, q := range qs {
			n++
			t.Logf("%-40s %s", where, q)
		}
	}
	if n < 8 {
		t.Fatalf("only %d queries read from the dashboard", n)
	}
	for _, m := range unexported(queries, counters) {
		t.Errorf("dashboard %s is not in dcgm-exporter's default counters", m)
	}
	alerts := map[string][]string{}
	rules := gpuAlertRules()["groups"].([]any)[0].(map[string]any)["rules"].([]any)
	for _, r := range rules {
		m := r.(map[string]any)
		alerts["alert "+m["alert"].(string)] = []string{m["expr"].(string)}
	}
	for _, m := range unexported(alerts, counters) {
		t.Errorf("%s is not in dcgm-exporter's default counters", m)
	}
	// The check fails on a metric the counters lack.
	bad := map[string][]string{"panel injected": {`DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{gpu="0"}`}}
	if got := unexported(bad, counters); len(got) != 1 {
		t.Errorf("an unexported metric was not reported: %v", got)
	}
}

func TestGPUAlertsCoverXIDThermalMemory(t *testing.T) {
	rules := gpuAlertRules()["groups"].([]any)[0].(map[string]any)["rules"].([]any)
	want := map[string]string{"GPUXidError": "DCGM_FI_DEV_XID_ERRORS", "GPUThermalThrottling": "DCGM_FI_DEV_GPU_TEMP", "GPUMemoryNearFull": "DCGM_FI_DEV_FB_USED"}
	for _, r := range rules {
		m := r.(map[string]any)
		if metric, ok := want[m["alert"].(string)]; ok && strings.Contains(m["expr"].(string), metric) {
			delete(want, m["alert"].(string))
		}
	}
	if len(want) > 0 {
		t.Errorf("missing GPU alerts: %v", want)
	}
}
