package infra_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Type tokens of the in-cluster resources the profile keys reach.
const (
	tRelease      = typetoken.HelmRelease
	tIngress      = typetoken.Ingress
	tPDB          = typetoken.PodDisruptionBudget
	tStorageClass = typetoken.StorageClass
	tQuota        = typetoken.ResourceQuota
)

// profileKey is one spec key that differs between the profiles (or that
// the program used to derive from the profile): what --set gives it in the
// override run, how to read it back from the declared resources, and what
// each run must declare.
type profileKey struct {
	set        string
	read       func(g *plan.Graph) (any, error)
	dev, prod  string
	overridden string
}

// profileKeys covers every key the profile decides in the program.
func profileKeys() []profileKey {
	return []profileKey{
		{"kms.deletionWindowDays=14", allInputs(tKey, "deletionWindowInDays"), "[7 7]", "[30 30]", "[14 14]"},
		{"accessLogs.expirationDays=120", named(tLifecycle, "access-logs-lifecycle", "rules[0].expiration.days"), "90", "90", "120"},
		{"ingress.scheme=internal", annotation("mlflow", "scheme"), "internet-facing", "internal", "internal"},
		{"albSubnetCidrs=[10.0.99.0/24, 10.0.100.0/24, 10.0.101.0/24]", internalLBSubnets, "[]", "[10.100.99.0/24 10.100.100.0/24 10.100.101.0/24]", "[10.0.99.0/24 10.0.100.0/24 10.0.101.0/24]"},
		{"ingress.deletionProtection=true", albAttribute("grafana", "deletion_protection.enabled"), "false", "true", "true"},
		{"workloads.mlflow.replicas=3", value("mlflow", "replicaCount"), "1", "2", "3"},
		{"workloads.mlflow.disruptionBudget=true", count(tPDB), "0", "1", "1"},
		{"workloads.certManager.replicas=3", value("cert-manager", "webhook.replicaCount"), "1", "2", "3"},
		{"workloads.certManager.disruptionBudget=true", value("cert-manager", "cainjector.podDisruptionBudget.enabled"), "false", "true", "true"},
		{"workloads.metricsServer.replicas=3", value("metrics-server", "replicas"), "1", "2", "3"},
		{"workloads.metricsServer.disruptionBudget=true", value("metrics-server", "podDisruptionBudget.enabled"), "false", "true", "true"},
		{"workloads.prometheus.replicas=3", value("kube-prometheus-stack", "prometheus.prometheusSpec.replicas"), "1", "2", "3"},
		{"workloads.prometheus.retention=7d", value("kube-prometheus-stack", "prometheus.prometheusSpec.retention"), "2d", "15d", "7d"},
		{"workloads.prometheus.retentionSize=20GB", value("kube-prometheus-stack", "prometheus.prometheusSpec.retentionSize"), "<nil>", "45GB", "20GB"},
		{"workloads.prometheus.storageSize=30Gi", value("kube-prometheus-stack", "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage"), "<nil>", "50Gi", "30Gi"},
		{"workloads.alertmanager.replicas=3", value("kube-prometheus-stack", "alertmanager.alertmanagerSpec.replicas"), "1", "2", "3"},
		{"workloads.alertmanager.storageSize=5Gi", value("kube-prometheus-stack", "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage"), "<nil>", "10Gi", "5Gi"},
		{"workloads.grafana.storageSize=2Gi", value("kube-prometheus-stack", "grafana.persistence.size"), "<nil>", "10Gi", "2Gi"},
		{"workloads.storageReclaimPolicy=Retain", allInputs(tStorageClass, "reclaimPolicy"), "[Delete]", "[Retain]", "[Retain]"},
		{"workloads.quota.requestsCpu=24", quota("requests.cpu"), "[16 16]", "[64 64]", "[24 24]"},
		{"workloads.quota.requestsMemory=96Gi", quota("requests.memory"), "[64Gi 64Gi]", "[256Gi 256Gi]", "[96Gi 96Gi]"},
		{"workloads.quota.limitsMemory=192Gi", quota("limits.memory"), "[128Gi 128Gi]", "[512Gi 512Gi]", "[192Gi 192Gi]"},
		{"workloads.quota.gpus=2", quota("requests.nvidia.com/gpu"), "[1 1]", "[4 4]", "[2 2]"},
		{"workloads.quota.persistentVolumeClaims=15", quota("persistentvolumeclaims"), "[10 10]", "[20 20]", "[15 15]"},
		{"workloads.quota.requestsStorage=1Ti", quota("requests.storage"), "[500Gi 500Gi]", "[2Ti 2Ti]", "[1Ti 1Ti]"},
		{"workloads.quota.pods=70", quota("pods"), "[50 50]", "[200 200]", "[70 70]"},
	}
}

// TestProfileKeysReachTheGraph checks, for every profile key, the value
// dev and prod declare by default, and that a --set on dev changes the
// declared resource.
func TestProfileKeysReachTheGraph(t *testing.T) {
	keys := profileKeys()
	sets := make([]string, len(keys))
	for i, k := range keys {
		sets[i] = k.set
	}
	graphs := map[string]*plan.Graph{
		"dev":       stacktest.Graph(t, "dev"),
		"prod":      stacktest.Graph(t, "prod"),
		"dev --set": stacktest.Evaluate(t, "dev", sets...),
	}
	for _, k := range keys {
		key, _, _ := strings.Cut(k.set, "=")
		for run, want := range map[string]string{"dev": k.dev, "prod": k.prod, "dev --set": k.overridden} {
			t.Run(key+"/"+run, func(t *testing.T) {
				got, err := k.read(graphs[run])
				if err != nil {
					t.Fatal(err)
				}
				if s := fmt.Sprint(got); s != want {
					t.Errorf("%s declares %s, want %s", key, s, want)
				}
			})
		}
	}
}

// internalLBSubnets reads the blocks of the subnets tagged for internal
// load balancers.
func internalLBSubnets(g *plan.Graph) (any, error) {
	out := []any{}
	for _, r := range g.ByType(typetoken.Subnet) {
		if tags, _ := r.Inputs["tags"].(map[string]any); tags["kubernetes.io/role/internal-elb"] == "1" {
			out = append(out, r.Inputs["cidrBlock"])
		}
	}
	return out, nil
}

func allInputs(typ, path string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) {
		var out []any
		for _, r := range g.ByType(typ) {
			v, ok := r.Input(path)
			if !ok {
				return nil, fmt.Errorf("%s has no %s", r.Name, path)
			}
			out = append(out, v)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no %s declared", typ)
		}
		return out, nil
	}
}

func named(typ, name, path string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) {
		r, err := stacktest.Named(g, typ, name)
		if err != nil {
			return nil, err
		}
		v, _ := r.Input(path)
		return v, nil
	}
}

func value(release, path string) func(*plan.Graph) (any, error) {
	return named(tRelease, "platform-"+release, "values."+path)
}

func annotation(ui, name string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) {
		r, err := stacktest.Named(g, tIngress, "platform-ingress-"+ui)
		if err != nil {
			return nil, err
		}
		a, _ := r.Input("metadata.annotations")
		m, _ := a.(map[string]any)
		return m["alb.ingress.kubernetes.io/"+name], nil
	}
}

// albAttribute reads one load balancer attribute of a UI's Ingress.
func albAttribute(ui, attr string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) {
		list, err := annotation(ui, "load-balancer-attributes")(g)
		if err != nil {
			return nil, err
		}
		text, _ := list.(string)
		for _, kv := range strings.Split(text, ",") {
			if k, v, _ := strings.Cut(kv, "="); k == attr {
				return v, nil
			}
		}
		return nil, nil
	}
}

func count(typ string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) { return len(g.ByType(typ)), nil }
}

// quota reads one hard limit of every workload namespace's quota (the
// limits' names hold dots, so they are read from the map).
func quota(limit string) func(*plan.Graph) (any, error) {
	return func(g *plan.Graph) (any, error) {
		var out []any
		for _, r := range g.ByType(tQuota) {
			h, _ := r.Input("spec.hard")
			m, _ := h.(map[string]any)
			out = append(out, m[limit])
		}
		return out, nil
	}
}
