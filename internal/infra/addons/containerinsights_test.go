package addons_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/addons"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/fluentbitconf"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// chartDir holds the chart the pinned amazon-cloudwatch-observability add-on
// is built from (provenance in its README.md).
const chartDir = "third_party/amazon-cloudwatch-observability"

// journalPath is where AL2023 keeps the systemd journal: its systemd
// package creates /var/log/journal in the AMI, /run/log/journal only
// buffers before the flush there (Amazon Linux maintainers,
// amazonlinux/amazon-linux-2023 issue #616). It is the only node log source
// the dataplane and host pipelines may read besides container log files:
// AL2023 installs no rsyslog, so the text files AL2 had (/var/log/messages,
// /var/log/secure, /var/log/dmesg) are never written (AL2023 User Guide,
// "Comparing AL2 and AL2023", journald; CloudWatch User Guide, "Quick start
// with the Amazon CloudWatch Observability EKS add-on", note on Amazon Linux
// 2023; upstream chart pull request #247).
const journalPath = "/var/log/journal"

// containerLogs is where containerd writes the pods' log files on AL2023,
// as on AL2; the dataplane pipeline tails aws-node and kube-proxy there.
const containerLogs = "/var/log/containers/"

// dataplaneUnits are the systemd units of an AL2023 EKS node's data plane
// (amazon-eks-ami's log collector reads them with journalctl --unit).
var dataplaneUnits = []string{"_SYSTEMD_UNIT=kubelet.service", "_SYSTEMD_UNIT=containerd.service"}

// TestContainerInsightsNodeLogsReadTheJournal checks that what prod's
// amazon-cloudwatch-observability add-on runs on its AL2023 nodes fills the
// dataplane and host log groups: the chart at the pinned version, with the
// add-on's configurationValues merged over its defaults as Helm merges
// values, reads both pipelines from the journal.
func TestContainerInsightsNodeLogsReadTheJournal(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	addon := cloudWatchAddon(t, g)
	for _, p := range notAL2023(g) {
		t.Errorf("%s: this test judges the pipelines against AL2023's logging", p)
	}
	facts := readChartFacts(t)
	if want := strings.TrimPrefix(strings.SplitN(addon.Version, "-", 2)[0], "v"); facts.Version != want {
		t.Fatalf("%s records chart %s, the add-on is pinned at %s: record chart %s (see its README)", chartDir, facts.Version, addon.Version, want)
	}
	values := facts.values()
	if cv := addon.Resource.String("configurationValues"); cv != "" {
		var overrides map[string]any
		if err := json.Unmarshal([]byte(cv), &overrides); err != nil {
			t.Fatalf("configurationValues of %s is not JSON: %v", addon.Name, err)
		}
		values = mergeValues(values, overrides)
	}
	if region := stacktest.Spec(t, "prod").Region; slices.Contains(facts.IsolatedRegions, region) {
		t.Fatalf("%s takes the chart's adcRegionExtraFiles, which this test does not read", region)
	}
	for _, p := range nodeLogProblems(values) {
		t.Error(p)
	}
	if !slices.Contains(facts.DaemonSetHostPaths, "/var/log") {
		t.Errorf("the Fluent Bit DaemonSet does not mount the node's /var/log, so %s is not visible to it", journalPath)
	}
}

// TestNodeLogProblemsRefuse shows the check failing for each way the
// pipelines could go back to reading nothing on AL2023.
func TestNodeLogProblemsRefuse(t *testing.T) {
	hostTail := "[INPUT]\n    Name tail\n    Tag host.messages\n    Path /var/log/messages\n[OUTPUT]\n    Name cloudwatch_logs\n" +
		"    log_group_name /aws/containerinsights/${CLUSTER_NAME}/host\n"
	tests := []struct {
		name      string
		overrides string
		want      string
	}{
		{"host tails the rsyslog file", `{"containerLogs":{"fluentBit":{"config":{"extraFiles":{"host-log.conf":` + quote(hostTail) + `}}}}}`,
			"host: tail reads /var/log/messages"},
		{"journal read where AL2023 does not keep it", `{"containerLogs":{"fluentBit":{"config":{"extraFiles":{"dataplane-log.conf":` +
			quote("[INPUT]\n Name systemd\n Systemd_Filter _SYSTEMD_UNIT=kubelet.service\n Systemd_Filter _SYSTEMD_UNIT=containerd.service\n Path /run/log/journal\n"+
				"[OUTPUT]\n Name cloudwatch_logs\n log_group_name /aws/containerinsights/${CLUSTER_NAME}/dataplane\n") + `}}}}}`,
			"dataplane: systemd reads /run/log/journal"},
		{"kubelet left out", `{"containerLogs":{"fluentBit":{"config":{"extraFiles":{"dataplane-log.conf":` +
			quote("[INPUT]\n Name systemd\n Systemd_Filter _SYSTEMD_UNIT=containerd.service\n Path /var/log/journal\n"+
				"[OUTPUT]\n Name cloudwatch_logs\n log_group_name /aws/containerinsights/${CLUSTER_NAME}/dataplane\n") + `}}}}}`,
			"dataplane: no input reads _SYSTEMD_UNIT=kubelet.service"},
		{"sent elsewhere", `{"containerLogs":{"fluentBit":{"config":{"extraFiles":{"host-log.conf":` +
			quote("[INPUT]\n Name systemd\n Path /var/log/journal\n[OUTPUT]\n Name cloudwatch_logs\n log_group_name /elsewhere\n") + `}}}}}`,
			"host: no cloudwatch_logs output to /aws/containerinsights/${CLUSTER_NAME}/host"},
		{"Fluent Bit off", `{"containerLogs":{"enabled":false}}`, "containerLogs.enabled is false"},
	}
	facts := readChartFacts(t)
	if p := nodeLogProblems(facts.values()); len(p) != 0 {
		t.Fatalf("the chart's defaults already fail: %q", p)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var overrides map[string]any
			if err := json.Unmarshal([]byte(tc.overrides), &overrides); err != nil {
				t.Fatal(err)
			}
			got := nodeLogProblems(mergeValues(facts.values(), overrides))
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// nodeLogProblems lists why the dataplane and host pipelines of a chart's
// values would leave their log groups empty on AL2023.
func nodeLogProblems(values map[string]any) []string {
	if enabled, _ := lookup(values, "containerLogs", "enabled").(bool); !enabled {
		return []string{"containerLogs.enabled is false: no Fluent Bit runs"}
	}
	var out []string
	for _, pipeline := range []string{"dataplane", "host"} {
		sections, err := pipelineSections(lookup(values, "containerLogs", "fluentBit", "config", "extraFiles", pipeline+"-log.conf"))
		if err != nil || len(fluentbitconf.Of(sections, "INPUT")) == 0 {
			out = append(out, fmt.Sprintf("%s: %s-log.conf declares no input (%v)", pipeline, pipeline, err))
			continue
		}
		out = append(out, pipelineProblems(pipeline, sections)...)
	}
	return out
}

func pipelineProblems(pipeline string, sections []fluentbitconf.Section) []string {
	var out, filters []string
	for _, in := range fluentbitconf.Of(sections, "INPUT") {
		switch name := strings.ToLower(in.Get("Name")); name {
		case "systemd":
			if p := in.Get("Path"); p != journalPath {
				out = append(out, fmt.Sprintf("%s: systemd reads %s, AL2023 keeps the journal in %s", pipeline, p, journalPath))
			}
			filters = append(filters, in.All("Systemd_Filter")...)
		case "tail":
			for _, p := range strings.Split(in.Get("Path"), ",") {
				if p = strings.TrimSpace(p); !strings.HasPrefix(p, containerLogs) {
					out = append(out, fmt.Sprintf("%s: tail reads %s, which AL2023 does not write (no rsyslog; read %s)", pipeline, p, journalPath))
				}
			}
		default:
			out = append(out, fmt.Sprintf("%s: input %q is neither the journal nor container logs", pipeline, name))
		}
	}
	if pipeline == "dataplane" {
		for _, unit := range dataplaneUnits {
			if !slices.Contains(filters, unit) {
				out = append(out, fmt.Sprintf("dataplane: no input reads %s from the journal", unit))
			}
		}
	}
	group := "/aws/containerinsights/${CLUSTER_NAME}/" + pipeline
	if !slices.ContainsFunc(fluentbitconf.Of(sections, "OUTPUT"), func(o fluentbitconf.Section) bool {
		return o.Get("Name") == "cloudwatch_logs" && o.Get("log_group_name") == group
	}) {
		out = append(out, fmt.Sprintf("%s: no cloudwatch_logs output to %s", pipeline, group))
	}
	return out
}

// notAL2023 lists the graph's node groups and Karpenter EC2NodeClasses
// that launch anything but AL2023.
func notAL2023(g *plan.Graph) []string {
	var out []string
	for _, ng := range g.ManagedNodeGroups() {
		if !strings.HasPrefix(ng.AmiType, "AL2023_") {
			out = append(out, fmt.Sprintf("node group %s runs %s", ng.Name, ng.AmiType))
		}
	}
	for _, nc := range g.ByType(typetoken.EC2NodeClass) {
		spec, _ := nc.Input("spec")
		terms, _ := lookup(map[string]any{"spec": spec}, "spec", "amiSelectorTerms").([]any)
		if len(terms) == 0 {
			out = append(out, fmt.Sprintf("EC2NodeClass %s selects no AMI alias", nc.Name))
		}
		for _, term := range terms {
			if alias, _ := lookup(map[string]any{"t": term}, "t", "alias").(string); !strings.HasPrefix(alias, "al2023@") {
				out = append(out, fmt.Sprintf("EC2NodeClass %s selects %v", nc.Name, term))
			}
		}
	}
	return out
}

func cloudWatchAddon(t *testing.T, g *plan.Graph) plan.Addon {
	t.Helper()
	for _, a := range g.Addons() {
		if a.Name == addons.CloudWatchObservability {
			return a
		}
	}
	t.Fatalf("prod declares no %s add-on", addons.CloudWatchObservability)
	return plan.Addon{}
}

// chartFacts is node-logs.json: what the chart the pinned add-on is built
// from says of its node log pipelines (see the folder's README).
type chartFacts struct {
	Version              string   `json:"version"`
	ContainerLogsEnabled bool     `json:"containerLogsEnabled"`
	IsolatedRegions      []string `json:"isolatedRegions"`
	DaemonSetHostPaths   []string `json:"daemonSetHostPaths"`
	Pipelines            map[string][]struct {
		Kind    string      `json:"kind"`
		Entries [][2]string `json:"entries"`
	} `json:"pipelines"`
}

func readChartFacts(t *testing.T) chartFacts {
	t.Helper()
	var f chartFacts
	raw, err := os.ReadFile(filepath.Join(stacktest.RepoRoot(), chartDir, "node-logs.json"))
	if err == nil {
		err = json.Unmarshal(raw, &f)
	}
	if err != nil {
		t.Fatalf("reading %s/node-logs.json: %v", chartDir, err)
	}
	return f
}

// values are the chart's defaults the check reads, in the shape of its
// values.yaml: an override of an extraFiles entry (Fluent Bit text)
// replaces the recorded pipeline.
func (f chartFacts) values() map[string]any {
	files := map[string]any{}
	for name, recorded := range f.Pipelines {
		var sections []fluentbitconf.Section
		for _, r := range recorded {
			s := fluentbitconf.Section{Kind: r.Kind}
			for _, e := range r.Entries {
				s.Entries = append(s.Entries, fluentbitconf.Entry{Key: e[0], Value: e[1]})
			}
			sections = append(sections, s)
		}
		files[name+"-log.conf"] = sections
	}
	return map[string]any{"containerLogs": map[string]any{
		"enabled":   f.ContainerLogsEnabled,
		"fluentBit": map[string]any{"config": map[string]any{"extraFiles": files}},
	}}
}

// pipelineSections reads an extraFiles entry: recorded sections, or the
// Fluent Bit text an override gives.
func pipelineSections(v any) ([]fluentbitconf.Section, error) {
	switch v := v.(type) {
	case []fluentbitconf.Section:
		return v, nil
	case string:
		return fluentbitconf.Parse(v)
	default:
		return nil, fmt.Errorf("not Fluent Bit text: %T", v)
	}
}

// mergeValues merges overrides over base as Helm merges user values over a
// chart's defaults: maps merge key by key, anything else replaces.
func mergeValues(base, overrides map[string]any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overrides {
		b, bok := out[k].(map[string]any)
		o, ook := v.(map[string]any)
		if bok && ook {
			out[k] = mergeValues(b, o)
			continue
		}
		out[k] = v
	}
	return out
}

func lookup(values map[string]any, path ...string) any {
	var cur any = values
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestReadmeSaysWhereNodeLogsGo keeps the README's containerInsights row in
// step with the pipelines TestContainerInsightsNodeLogsReadTheJournal
// checks: it names the journal as the source of the dataplane and host
// groups and does not call them empty.
func TestReadmeSaysWhereNodeLogsGo(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(stacktest.RepoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| `containerInsights` |") {
			row = line
		}
	}
	if row == "" {
		t.Fatal("README.md has no containerInsights row")
	}
	for _, want := range []string{"`dataplane`", "`host`", journalPath, chartDir} {
		if !strings.Contains(row, want) {
			t.Errorf("the README's containerInsights row does not mention %s", want)
		}
	}
	for _, stale := range []string{"stay empty", "are not in CloudWatch", "no evidence of node logging"} {
		if strings.Contains(row, stale) {
			t.Errorf("the README's containerInsights row says %q, but the pinned add-on reads both pipelines from %s", stale, journalPath)
		}
	}
}
