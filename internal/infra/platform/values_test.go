package platform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts"
	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// walk calls fn for every key path and leaf value of v.
func walk(prefix string, v any, fn func(path string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			walk(prefix+"."+k, c, fn)
		}
	case []any:
		for _, c := range x {
			walk(prefix+"[]", c, fn)
		}
	default:
		fn(prefix, v)
	}
}

func TestMLflowValuesHoldNoPassword(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			r := releases(t, e.g)["mlflow"]
			v := values(r)
			walk("", v, func(path string, leaf any) {
				s, _ := leaf.(string)
				if strings.Contains(strings.ToLower(path), "password") && s != "" {
					t.Errorf("values set %s", path)
				}
				if s == plan.Redacted {
					t.Errorf("values carry a secret at %s", path)
				}
			})
			db := e.g.ByType(typetoken.DBInstance)[0]
			hv, _ := lookup(v, "backendStore.postgres.host")
			host, _ := hv.(string)
			if want := db.Inputs["identifier"].(string) + "."; !strings.HasPrefix(host, want) {
				t.Errorf("backend host %v is not the RDS instance %s", host, want)
			}
			env, _ := lookup(v, "extraEnvVars")
			if m, _ := env.(map[string]any); m["PGSSLMODE"] != "verify-full" || m["PGPASSFILE"] == nil {
				t.Errorf("the backend is not reached over verified SSL with a pgpass file: %v", m)
			}
			if s3, _ := lookup(v, "artifactRoot.s3.bucket"); s3 == "" || s3 == nil {
				t.Error("no artifact bucket")
			}
			if _, ok := lookup(v, "artifactRoot.s3.awsSecretAccessKey"); ok {
				t.Error("static S3 keys set: the bucket is reached through IRSA")
			}
		})
	}
}

func TestMLflowIsHighlyAvailableInProd(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			v := values(releases(t, e.g)["mlflow"])
			_, pdb := byName(e.g, tPDB)["mlflow/mlflow"]
			want := int64(e.spec.Workloads.MLflow.Replicas)
			if e.spec.IsProd() && want < 2 {
				t.Errorf("prod runs %d MLflow replicas", want)
			}
			if v["replicaCount"] != want {
				t.Errorf("replicaCount = %v, want %d", v["replicaCount"], want)
			}
			if pdb != e.spec.Workloads.MLflow.DisruptionBudget || pdb != e.spec.IsProd() {
				t.Errorf("PodDisruptionBudget declared = %v in %s", pdb, e.spec.Profile)
			}
		})
	}
}

func TestMonitoring(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			v := values(releases(t, e.g)["kube-prometheus-stack"])
			replicas, _ := lookup(v, "prometheus.prometheusSpec.replicas")
			retention, _ := lookup(v, "prometheus.prometheusSpec.retention")
			sc, _ := lookup(v, "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName")
			if e.spec.IsProd() && (replicas != int64(2) || retention != e.spec.Workloads.Prometheus.Retention || sc != platform.StorageClassName) {
				t.Errorf("prod Prometheus: replicas %v, retention %v, storage class %v", replicas, retention, sc)
			}
			// Grafana's volume is ReadWriteOnce: a rolling update stalls
			// on it, so a persistent Grafana recreates its pod.
			persistent, _ := lookup(v, "grafana.persistence.enabled")
			strategy, _ := lookup(v, "grafana.deploymentStrategy.type")
			if persistent == true && strategy != "Recreate" {
				t.Errorf("Grafana keeps a ReadWriteOnce volume with deploymentStrategy %v, want Recreate", strategy)
			}
			if secret, _ := lookup(v, "grafana.admin.existingSecret"); secret != "grafana-admin" {
				t.Errorf("grafana.admin.existingSecret = %v", secret)
			}
			if _, ok := lookup(v, "grafana.adminPassword"); ok {
				t.Error("Grafana's password is in the values")
			}
			s, ok := byName(e.g, tSecret)["monitoring/grafana-admin"]
			if !ok {
				t.Fatal("no Grafana admin secret")
			}
			// The provider marks the whole of stringData secret, or at least the password.
			if data, _ := s.Input("stringData"); data != plan.Redacted && obj(s, "stringData")["admin-password"] != plan.Redacted {
				t.Errorf("admin password is not a secret: %v", data)
			}
		})
	}
}

// TestDevicePluginSchedulesOnGPUNodes checks the plugin's node selector,
// its toleration of the GPU taint, and that the chart's default affinity
// (which the values keep) matches the GPU group's labels.
func TestDevicePluginSchedulesOnGPUNodes(t *testing.T) {
	dir := chartstest.Dir(t)
	chart, err := charts.Load(filepath.Join(dir, "nvidia-device-plugin"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			gpu := gpuGroup(t, e.g)
			v := values(releases(t, e.g)["nvidia-device-plugin"])
			if _, overridden := v["affinity"]; overridden {
				t.Fatal("values replace the chart's affinity; this test checks the default")
			}
			sel, _ := v["nodeSelector"].(map[string]any)
			for k, want := range sel {
				if gpu.Labels[k] != want {
					t.Errorf("nodeSelector %s=%v does not match the GPU group's labels", k, want)
				}
			}
			tolerated := false
			for _, tol := range asList(v["tolerations"]) {
				m, _ := tol.(map[string]any)
				for _, taint := range gpu.Taints {
					if m["key"] == taint.Key && (m["operator"] == "Exists" || m["value"] == taint.Value) && m["effect"] == taint.Effect {
						tolerated = true
					}
				}
			}
			if !tolerated {
				t.Error("the plugin does not tolerate the GPU taint")
			}
			terms, _ := lookup(chart.Defaults, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
			if !anyTermMatches(asList(terms), gpu.Labels) {
				t.Error("the chart's default node affinity matches no GPU node")
			}
		})
	}
}

// anyTermMatches evaluates "In" node selector terms against labels.
func anyTermMatches(terms []any, labels map[string]string) bool {
	for _, term := range terms {
		m, _ := term.(map[string]any)
		ok := true
		for _, expr := range asList(m["matchExpressions"]) {
			x, _ := expr.(map[string]any)
			key, _ := x["key"].(string)
			in := false
			for _, val := range asList(x["values"]) {
				if x["operator"] == "In" && labels[key] == val {
					in = true
				}
			}
			ok = ok && in
		}
		if ok {
			return true
		}
	}
	return false
}

func TestAutoscalerDiscoversThisCluster(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			v := values(releases(t, e.g)["cluster-autoscaler"])
			if got, _ := lookup(v, "autoDiscovery.clusterName"); got != e.spec.ClusterName {
				t.Errorf("autoDiscovery.clusterName = %v, want %s", got, e.spec.ClusterName)
			}
			if got, _ := lookup(v, "extraArgs.scale-down-enabled"); got != true {
				t.Error("scale-down is off: the general group would not shrink back to its minSize")
			}
		})
	}
}

// TestEvaluatedValuesMatchTheCharts checks the values as the evaluated
// graph holds them (not only the values functions) against the charts.
func TestEvaluatedValuesMatchTheCharts(t *testing.T) {
	dir := chartstest.Dir(t)
	loaded := map[string]*charts.Chart{}
	var err error
	for _, r := range platform.Releases() {
		if loaded[r.Name], err = charts.Load(filepath.Join(dir, r.Dir), charts.Rules[r.Name].Subcharts); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range stacks(t) {
		rels := releases(t, e.g)
		for _, r := range platform.Releases() {
			t.Run(e.name+"/"+r.Name, func(t *testing.T) {
				v := values(rels[r.Name])
				if unknown := loaded[r.Name].UnknownKeys(v, charts.Rules[r.Name].FreeForm); len(unknown) > 0 {
					t.Errorf("keys unknown to %s: %v", r.Dir, unknown)
				}
				if err := loaded[r.Name].Validate(v); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

func gpuGroup(t *testing.T, g *plan.Graph) nodegroups.Group {
	t.Helper()
	np, ok := plan.NodePool(g, "gpu")
	if !ok {
		t.Fatal("no gpu NodePool in the graph")
	}
	out := nodegroups.Group{Name: "gpu", Labels: map[string]string{}}
	labels, _ := np.Input("spec.template.metadata.labels")
	for k, v := range asMap(labels) {
		out.Labels[k] = fmt.Sprint(v)
	}
	taints, _ := np.Input("spec.template.spec.taints")
	for _, x := range asList(taints) {
		m, _ := x.(map[string]any)
		out.Taints = append(out.Taints, nodegroups.Taint{Key: fmt.Sprint(m["key"]), Value: fmt.Sprint(m["value"]), Effect: fmt.Sprint(m["effect"])})
	}
	if len(out.Labels) == 0 || len(out.Taints) == 0 {
		t.Fatalf("gpu NodePool has labels %v and taints %v", labels, taints)
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// TestEKSHiddenControlPlaneNotMonitored: the monitors of the control-plane
// components EKS keeps outside the cluster are off in every stack, and,
// per the chart's own templates, that also drops their alert rules.
func TestEKSHiddenControlPlaneNotMonitored(t *testing.T) {
	rules := filepath.Join("..", "..", "..", "third_party", "charts", "kube-prometheus-stack", "templates", "prometheus", "rules-1.14")
	gated := map[string]string{
		"kubeControllerManager": "kubernetes-system-controller-manager.yaml",
		"kubeScheduler":         "kubernetes-system-scheduler.yaml",
		"kubeEtcd":              "etcd.yaml",
	}
	for _, c := range platform.EKSHiddenComponents {
		file, ok := gated[c]
		if !ok {
			t.Fatalf("no rules file known for %s", c)
		}
		b, err := os.ReadFile(filepath.Join(rules, file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), ".Values."+c+".enabled") {
			t.Errorf("%s's rules no longer depend on %s.enabled: disabling it would leave its alerts firing", file, c)
		}
	}
	for _, e := range stacks(t) {
		v := values(releases(t, e.g)["kube-prometheus-stack"])
		for _, c := range platform.EKSHiddenComponents {
			if on, _ := lookup(v, c+".enabled"); on != false {
				t.Errorf("%s: %s.enabled = %v, want false (EKS hides it)", e.name, c, on)
			}
		}
	}
}
