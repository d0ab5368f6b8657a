package platform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// pinned are the versions of third_party/charts (README.md there).
var pinned = map[string]struct{ chart, version, namespace string }{
	"aws-load-balancer-controller": {"aws-load-balancer-controller", "1.17.1", "kube-system"},
	"cert-manager":                 {"cert-manager", "v1.19.6", "cert-manager"},
	"kserve-crd":                   {"oci://ghcr.io/kserve/charts/kserve-crd", "v0.17.1", "kserve"},
	"kserve":                       {"oci://ghcr.io/kserve/charts/kserve-resources", "v0.17.1", "kserve"},
	"kserve-runtime-configs":       {"oci://ghcr.io/kserve/charts/kserve-runtime-configs", "v0.17.1", "kserve"},
	"mlflow":                       {"mlflow", "1.8.6", "mlflow"},
	"kube-prometheus-stack":        {"kube-prometheus-stack", "81.6.9", "monitoring"},
	"cluster-autoscaler":           {"cluster-autoscaler", "9.59.0", "kube-system"},
	"nvidia-device-plugin":         {"nvidia-device-plugin", "0.18.2", "nvidia-device-plugin"},
	"metrics-server":               {"metrics-server", "3.12.2", "metrics-server"},
	"karpenter-crd":                {"oci://public.ecr.aws/karpenter/karpenter-crd", "1.14.1", "kube-system"},
	"karpenter":                    {"oci://public.ecr.aws/karpenter/karpenter", "1.14.1", "kube-system"},
	"dcgm-exporter":                {"dcgm-exporter", "4.8.2", "dcgm-exporter"},
}

func releases(t *testing.T, g *plan.Graph) map[string]plan.Resource {
	t.Helper()
	out := map[string]plan.Resource{}
	for _, r := range g.ByType(tRelease) {
		out[str(r, "name")] = r
	}
	return out
}

func values(r plan.Resource) map[string]any { return obj(r, "values") }

func TestReleasesArePinnedAndNamespaced(t *testing.T) {
	for _, e := range stacks(t) {
		rels := releases(t, e.g)
		if len(rels) != len(pinned) {
			t.Errorf("%s: %d releases, want %d", e.name, len(rels), len(pinned))
		}
		namespaces := byName(e.g, tNamespace)
		for name, want := range pinned {
			t.Run(e.name+"/"+name, func(t *testing.T) {
				r, ok := rels[name]
				if !ok {
					t.Fatalf("release %s not declared", name)
				}
				got := [3]string{str(r, "chart"), str(r, "version"), str(r, "namespace")}
				if got != [3]string{want.chart, want.version, want.namespace} {
					t.Errorf("chart/version/namespace = %v, want %v", got, want)
				}
				if _, ok := namespaces[want.namespace]; !ok && want.namespace != kubenames.NSKubeSystem {
					t.Errorf("namespace %s is not declared", want.namespace)
				}
			})
		}
	}
}

// roleArn returns the ARN of the IRSA role whose trust names sa.
func roleArn(t *testing.T, g *plan.Graph, sa identity.ServiceAccount) string {
	t.Helper()
	for _, r := range g.ByType(typetoken.Role) {
		if strings.Contains(str(r, "assumeRolePolicy"), `"`+sa.Subject()+`"`) {
			return fmt.Sprintf("arn:aws:iam::%s:role/%s", engine.AccountID, r.Name)
		}
	}
	t.Fatalf("no IAM role trusts %s", sa.Subject())
	return ""
}

func TestServiceAccountsCarryIRSARoles(t *testing.T) {
	cases := []struct {
		release, path string
		sa            identity.ServiceAccount
	}{
		{"aws-load-balancer-controller", "serviceAccount", identity.LoadBalancerControllerAccount},
		{"cluster-autoscaler", "rbac.serviceAccount", identity.ClusterAutoscalerServiceAccount},
		{"mlflow", "serviceAccount", identity.MLflowServiceAccount},
	}
	for _, e := range stacks(t) {
		rels := releases(t, e.g)
		for _, c := range cases {
			t.Run(e.name+"/"+c.release, func(t *testing.T) {
				r := rels[c.release]
				if str(r, "namespace") != c.sa.Namespace {
					t.Errorf("release in %s, but the role trusts namespace %s", str(r, "namespace"), c.sa.Namespace)
				}
				v := values(r)
				name, _ := lookup(v, c.path+".name")
				create, _ := lookup(v, c.path+".create")
				annotations, _ := lookup(v, c.path+".annotations")
				am, _ := annotations.(map[string]any)
				arn, _ := am[platform.IRSAAnnotation].(string)
				if name != c.sa.Name || create != true {
					t.Errorf("service account %v (create %v), want %s created", name, create, c.sa.Name)
				}
				if want := roleArn(t, e.g, c.sa); arn != want {
					t.Errorf("role-arn annotation %q, want %q", arn, want)
				}
			})
		}
		t.Run(e.name+"/kserve-models", func(t *testing.T) {
			sa := identity.KServeServiceAccount
			r, ok := byName(e.g, tSA)[sa.Namespace+"/"+sa.Name]
			if !ok {
				t.Fatalf("service account %s not declared", sa.Subject())
			}
			if got := obj(r, "metadata.annotations")[platform.IRSAAnnotation]; got != roleArn(t, e.g, sa) {
				t.Errorf("role-arn annotation %v, want %s", got, roleArn(t, e.g, sa))
			}
		})
	}
}

// wantWaits is what each release must wait for, stated here apart from
// waits.go: a release waits for exactly these releases (directly or
// through another: the runtime configs wait for KServe, which waits for
// its CRDs and cert-manager)
// and no other, so adding an unneeded wait or dropping a needed one fails.
var wantWaits = map[string][]string{
	"kserve":                 {"kserve-crd", "cert-manager"},
	"kserve-runtime-configs": {"kserve", "kserve-crd", "cert-manager"},
	"karpenter":              {"karpenter-crd"},
	"dcgm-exporter":          {"kube-prometheus-stack"},
}

// TestReleaseWaits: each release waits only for the releases it needs,
// each wait has a reason, the Ingresses wait for the load balancer
// controller only, and only the charts that claim volumes wait for the
// StorageClass. The autoscaler, for one, needs nothing from cert-manager.
func TestReleaseWaits(t *testing.T) {
	for _, r := range platform.Releases() {
		for _, w := range platform.Waits(r) {
			if w.Reason == "" {
				t.Errorf("%s waits for %s without a reason in waits.go", r.Name, w.Release)
			}
		}
	}
	for _, e := range stacks(t) {
		rels := releases(t, e.g)
		for name, r := range rels {
			want := map[string]bool{}
			for _, w := range wantWaits[name] {
				want[w] = true
			}
			for other, o := range rels {
				if other == name {
					continue
				}
				if got := e.g.DependsOn(r.URN, o.URN); got != want[other] {
					t.Errorf("%s: %s waits for %s: %v, want %v", e.name, name, other, got, want[other])
				}
			}
		}
		lbc, cm := rels[platform.LoadBalancerControllerRelease].URN, rels["cert-manager"].URN
		for _, ing := range e.g.ByType(tIngress) {
			if !e.g.DependsOn(ing.URN, lbc) || e.g.DependsOn(ing.URN, cm) {
				t.Errorf("%s: ingress %s must wait for the load balancer controller and not for cert-manager", e.name, ing.Name)
			}
		}
		// Each UI's Ingress waits for the release behind its Service: the
		// provider's Ingress await needs the Service and its endpoints.
		for _, ui := range platform.UIs() {
			var found bool
			for _, ing := range e.g.ByType(tIngress) {
				if str(ing, "metadata.name") != ui.Name {
					continue
				}
				found = true
				if !e.g.DependsOn(ing.URN, rels[ui.Release].URN) {
					t.Errorf("%s: ingress %s does not wait for release %s, which creates its Service", e.name, ui.Name, ui.Release)
				}
			}
			if !found {
				t.Errorf("%s: no ingress %s", e.name, ui.Name)
			}
		}
		sc := e.g.ByType("kubernetes:storage.k8s.io/v1:StorageClass")
		if len(sc) != 1 {
			t.Fatalf("%s: %d StorageClasses", e.name, len(sc))
		}
		for name, r := range rels {
			want := platform.StorageReason(name) != ""
			for _, w := range wantWaits[name] {
				want = want || platform.StorageReason(w) != "" // through a release that waits for it
			}
			if got := e.g.DependsOn(r.URN, sc[0].URN); got != want {
				t.Errorf("%s: %s waits for the StorageClass: %v, want %v", e.name, name, got, want)
			}
		}
	}
}

// TestWaitsMatchTheCharts grounds the waits in the charts: KServe's chart
// creates cert-manager objects (so it waits for cert-manager), and no
// namespace of ours carries a label that lets the load balancer
// controller's pod webhooks see its pods (so no release waits for it).
func TestWaitsMatchTheCharts(t *testing.T) {
	cert, err := os.ReadFile(filepath.Join("..", "..", "..", "third_party", "charts", "kserve-resources", "files", "common", "certmanager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cert), "apiVersion: cert-manager.io/") {
		t.Error("kserve's chart no longer creates cert-manager objects: drop its wait for cert-manager")
	}
	webhook, err := os.ReadFile(filepath.Join("..", "..", "..", "third_party", "charts", "aws-load-balancer-controller", "templates", "webhook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"elbv2.k8s.aws/pod-readiness-gate-inject", "elbv2.k8s.aws/quic-server-id-inject", "elbv2.k8s.aws/alb-target-control-agent-injection"}
	for _, l := range labels {
		if !strings.Contains(string(webhook), l) {
			t.Errorf("the controller's pod webhooks no longer select namespaces by %s: re-check which releases need it", l)
		}
	}
	for _, e := range stacks(t) {
		for _, ns := range e.g.ByType("kubernetes:core/v1:Namespace") {
			for _, l := range labels {
				if _, ok := ns.Input("metadata.labels." + l); ok {
					t.Errorf("%s: namespace %s has %s: its pods need the load balancer controller's webhook", e.name, ns.Name, l)
				}
			}
		}
	}
}

// TestOnlyMLflowWaitsOnTheDatabase: of the Kubernetes layer, only MLflow's
// release and its database setup (the Job, which connects to RDS, and its
// service account, whose role reads the master secret) wait for RDS.
func TestOnlyMLflowWaitsOnTheDatabase(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			dbs := e.g.ByType(typetoken.DBInstance)
			if len(dbs) != 1 {
				t.Fatalf("%d RDS instances", len(dbs))
			}
			db := dbs[0].URN
			mlflow := releases(t, e.g)["mlflow"].URN
			if !e.g.DependsOn(mlflow, db) {
				t.Error("the MLflow release does not wait on RDS, yet its values name it")
			}
			setup := map[string]bool{"mlflow/" + platform.DBSetupJobName(): true, "mlflow/mlflow-db-setup": true}
			for _, r := range e.g.Resources {
				if setup[str(r, "metadata.namespace")+"/"+str(r, "metadata.name")] {
					continue
				}
				if r.Type == tIngress && str(r, "metadata.name") == "mlflow" {
					continue // it waits for the MLflow release, its Service
				}
				if strings.HasPrefix(r.Type, "kubernetes:") && r.URN != mlflow && e.g.DependsOn(r.URN, db) {
					t.Errorf("%s waits on RDS", r.URN)
				}
			}
		})
	}
}
