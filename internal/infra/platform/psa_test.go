package platform_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kube"
)

func TestNamespacesCarryPSALabels(t *testing.T) {
	for _, e := range stacks(t) {
		declared := byName(e.g, tNamespace)
		for _, n := range kube.Namespaces() {
			t.Run(e.name+"/"+n.Name, func(t *testing.T) {
				r, ok := declared[n.Name]
				if !n.Managed {
					if ok {
						t.Fatalf("%s is EKS-managed but declared", n.Name)
					}
					return
				}
				if !ok {
					t.Fatalf("namespace %s not declared", n.Name)
				}
				labels := obj(r, "metadata.labels")
				for _, mode := range []string{"enforce", "warn", "audit"} {
					if got := labels[kube.PSALabelPrefix+mode]; got != n.Level {
						t.Errorf("%s: %s=%v, want %s", n.Name, mode, got, n.Level)
					}
				}
				reason, _ := obj(r, "metadata.annotations")[kube.PSAExemptionAnnotation].(string)
				switch {
				case n.Level != kube.Restricted && reason == "":
					t.Errorf("%s is %s without an annotation saying why", n.Name, n.Level)
				case n.Level == kube.Restricted && reason != "":
					t.Errorf("%s is restricted but carries an exemption", n.Name)
				}
			})
		}
	}
}

func TestWorkloadAndPlatformNamespacesAreRestricted(t *testing.T) {
	mustBeRestricted := []string{
		kube.NSServing, kube.NSTraining, kube.NSMLflow, kube.NSKServe,
		kube.NSCertManager, kube.NSMonitoring, kube.NSMetricsServer,
	}
	levels := map[string]string{}
	for _, n := range kube.Namespaces() {
		levels[n.Name] = n.Level
	}
	for _, ns := range mustBeRestricted {
		t.Run(ns, func(t *testing.T) {
			if levels[ns] != kube.Restricted {
				t.Errorf("%s is %q, want restricted", ns, levels[ns])
			}
		})
	}
	for _, ns := range kube.WorkloadNamespaces() {
		if levels[ns] != kube.Restricted {
			t.Errorf("workload namespace %s is %q", ns, levels[ns])
		}
	}
}

func TestExemptionsAreExplained(t *testing.T) {
	ex := kube.Exemptions()
	if len(ex) == 0 {
		t.Fatal("no exemptions listed: the device plugin and node-exporter need host access")
	}
	for _, e := range ex {
		if e.Level == kube.Restricted || e.Reason == "" {
			t.Errorf("exemption %+v must be below restricted and carry a reason", e)
		}
	}
	// Every release runs in a namespace the platform lists.
	known := map[string]bool{}
	for _, n := range kube.Namespaces() {
		known[n.Name] = true
	}
	for _, r := range platform.Releases() {
		if !known[r.Namespace] {
			t.Errorf("release %s runs in unlisted namespace %s", r.Name, r.Namespace)
		}
	}
}
