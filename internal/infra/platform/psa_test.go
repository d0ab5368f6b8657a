package platform_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

func TestNamespacesCarryPSALabels(t *testing.T) {
	for _, e := range stacks(t) {
		declared := byName(e.g, tNamespace)
		for _, n := range kubenames.Namespaces() {
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
					if got := labels[kubenames.PSALabelPrefix+mode]; got != n.Level {
						t.Errorf("%s: %s=%v, want %s", n.Name, mode, got, n.Level)
					}
				}
				reason, _ := obj(r, "metadata.annotations")[kubenames.PSAExemptionAnnotation].(string)
				switch {
				case n.Level != kubenames.Restricted && reason == "":
					t.Errorf("%s is %s without an annotation saying why", n.Name, n.Level)
				case n.Level == kubenames.Restricted && reason != "":
					t.Errorf("%s is restricted but carries an exemption", n.Name)
				}
			})
		}
	}
}

func TestWorkloadAndPlatformNamespacesAreRestricted(t *testing.T) {
	mustBeRestricted := []string{
		kubenames.NSServing, kubenames.NSTraining, kubenames.NSMLflow, kubenames.NSKServe,
		kubenames.NSCertManager, kubenames.NSMonitoring, kubenames.NSMetricsServer,
	}
	levels := map[string]string{}
	for _, n := range kubenames.Namespaces() {
		levels[n.Name] = n.Level
	}
	for _, ns := range mustBeRestricted {
		t.Run(ns, func(t *testing.T) {
			if levels[ns] != kubenames.Restricted {
				t.Errorf("%s is %q, want restricted", ns, levels[ns])
			}
		})
	}
	for _, ns := range kubenames.WorkloadNamespaces() {
		if levels[ns] != kubenames.Restricted {
			t.Errorf("workload namespace %s is %q", ns, levels[ns])
		}
	}
}

func TestExemptionsAreExplained(t *testing.T) {
	ex := kubenames.Exemptions()
	if len(ex) == 0 {
		t.Fatal("no exemptions listed: the device plugin and node-exporter need host access")
	}
	for _, e := range ex {
		if e.Level == kubenames.Restricted || e.Reason == "" {
			t.Errorf("exemption %+v must be below restricted and carry a reason", e)
		}
	}
	// Every release runs in a namespace the platform lists.
	known := map[string]bool{}
	for _, n := range kubenames.Namespaces() {
		known[n.Name] = true
	}
	for _, r := range platform.Releases() {
		if !known[r.Namespace] {
			t.Errorf("release %s runs in unlisted namespace %s", r.Name, r.Namespace)
		}
	}
}
