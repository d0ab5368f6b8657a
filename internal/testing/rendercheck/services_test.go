package rendercheck_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
)

// TestPolicedServicesKeepTheirPort: with the VPC CNI, a NetworkPolicy
// admits traffic to a Service's ClusterIP only when the Service port
// equals the container port (EKS user guide, "Restrict Pod network
// traffic with Kubernetes network policies", considerations). So every
// Service in a namespace whose pods a policy isolates, and every Service
// an Ingress sends the ALB to, has port == the container port its
// targetPort resolves to in the rendered pods.
func TestPolicedServicesKeepTheirPort(t *testing.T) {
	for _, r := range renderAll(t) {
		t.Run(r.stack, func(t *testing.T) {
			policed := map[string]bool{}
			backends := map[string]int64{}
			for _, o := range r.objs {
				switch o.GetKind() {
				case "NetworkPolicy":
					policed[o.GetNamespace()] = true
				case "Ingress":
					svc, _, _ := unstructured.NestedString(o.Object, "spec", "defaultBackend", "service", "name")
					port, _, _ := unstructured.NestedInt64(o.Object, "spec", "defaultBackend", "service", "port", "number")
					backends[o.GetNamespace()+"/"+svc] = port
				}
			}
			if len(policed) < 3 || len(backends) < 2 {
				t.Fatalf("found %d policed namespaces and %d Ingress backends in the graph", len(policed), len(backends))
			}
			var all []*unstructured.Unstructured
			for _, rr := range r.releases {
				all = append(all, rr.Objects...)
			}
			ports, err := rendercheck.ServicePorts(all)
			if err != nil {
				t.Fatal(err)
			}
			checked := map[string]bool{}
			for _, p := range ports {
				ns, _, _ := strings.Cut(p.Service, "/")
				want, isBackend := backends[p.Service]
				if !policed[ns] && !isBackend {
					continue
				}
				checked[p.Service] = true
				switch {
				case p.Target == 0:
					t.Errorf("%s port %s (%d): its targetPort resolves to no container port of %v", p.Service, p.Name, p.Port, p.Pods)
				case p.Port != p.Target:
					t.Errorf("%s port %s is %d but the container listens on %d (%v): the VPC CNI's policies miss the ClusterIP", p.Service, p.Name, p.Port, p.Target, p.Pods)
				default:
					t.Logf("%s port %s: %d = container port of %v", p.Service, p.Name, p.Port, p.Pods)
				}
				if isBackend && int64(p.Port) != want {
					t.Errorf("the Ingress sends to %s:%d, which has port %d", p.Service, want, p.Port)
				}
			}
			for svc := range backends {
				if !checked[svc] {
					t.Errorf("the Ingress backend %s is no rendered Service", svc)
				}
			}
		})
	}
}
