package rendercheck_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
)

// rendered is one stack's releases, rendered with the values of its graph.
type rendered struct {
	stack string
	g     *plan.Graph
	// objs are the program's own Kubernetes objects.
	objs     []apiserver.Object
	releases []rendercheck.Rendered
}

var (
	renderOnce sync.Once
	renders    []*rendered
	renderErr  error
)

// renderAll evaluates dev and prod with the local chart source (the
// repository's copy) and renders every release with Helm, once.
func renderAll(t *testing.T) []*rendered {
	t.Helper()
	helm := helmBinary(t)
	dir := chartstest.Dir(t)
	renderOnce.Do(func() {
		for _, stack := range []string{"dev", "prod"} {
			src := stacktest.Source(stack, "charts.source=local", "charts.dir="+dir)
			res, err := src.Evaluate(context.Background())
			if err != nil {
				renderErr = err
				return
			}
			objs, err := apiserver.Objects(res.Graph)
			if err != nil {
				renderErr = err
				return
			}
			rels, err := rendercheck.Releases(res.Graph)
			if err != nil {
				renderErr = err
				return
			}
			r := &rendered{stack: stack, g: res.Graph, objs: objs}
			r.releases = rendercheck.RenderAll(context.Background(), helm, rels, "v"+res.Spec.KubernetesVersion+".0")
			renders = append(renders, r)
		}
	})
	if renderErr != nil {
		t.Fatal(renderErr)
	}
	return renders
}

// TestReleasesRender: every release renders with the values the program
// computes for dev and prod.
func TestReleasesRender(t *testing.T) {
	for _, r := range renderAll(t) {
		for _, rr := range r.releases {
			t.Run(r.stack+"/"+rr.Name, func(t *testing.T) {
				if rr.Err != nil {
					t.Fatal(rr.Err)
				}
				kinds := map[string]int{}
				for _, o := range rr.Objects {
					kinds[o.GetKind()]++
				}
				t.Logf("%s %s: %d objects in %s: %v", rr.Name, rr.Version, len(rr.Objects), rr.Took.Round(time.Millisecond), kinds)
				if len(rr.Objects) == 0 {
					t.Error("rendered no objects")
				}
			})
		}
	}
}

// wrap turns rendered objects into apiserver objects named by release.
func wrap(release string, objs []*unstructured.Unstructured) []apiserver.Object {
	out := make([]apiserver.Object, len(objs))
	for i, o := range objs {
		out[i] = apiserver.Object{URN: fmt.Sprintf("%s: %s %s/%s", release, o.GetKind(), o.GetNamespace(), o.GetName()), Unstructured: o}
	}
	return out
}

// TestRenderedReleasesAreAdmitted applies the program's own objects
// (namespaces with their Pod Security labels, LimitRanges, quotas,
// service accounts), then every release's CRDs and service accounts, then
// dry-runs every other rendered object through the real API server's
// admission, and admits a pod made from every pod template (Deployments,
// StatefulSets, DaemonSets, Jobs) in its namespace.
func TestRenderedReleasesAreAdmitted(t *testing.T) {
	rs := renderAll(t)
	ctx := context.Background()
	for _, r := range rs {
		t.Run(r.stack, func(t *testing.T) {
			s := apiServer(t)
			var crds []apiserver.Object
			for _, rr := range r.releases {
				for _, o := range wrap(rr.Name, rr.Objects) {
					if o.GetKind() == "CustomResourceDefinition" {
						crds = append(crds, o)
					}
				}
			}
			// The program's custom resources (Karpenter's NodePools and
			// EC2NodeClasses) wait for their CRDs, as the deploy does.
			plain, custom := splitCustom(r.objs, crds)
			applied, err := s.Apply(ctx, plain)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range applied {
				if a.Err != nil {
					t.Errorf("the program's own object refused: %v", a.Err)
				}
			}
			nss, err := apiserver.Namespaces(r.objs)
			if err != nil {
				t.Fatal(err)
			}
			for _, ns := range append(nss, apiserver.Namespace{Name: "kube-system"}) {
				if err := s.PrepareNamespace(ctx, ns.Name); err != nil {
					t.Fatal(err)
				}
			}
			t.Run("requests without limits", func(t *testing.T) {
				checkRequestsWithoutLimits(t, s)
			})
			t.Run("default InferenceService pods", func(t *testing.T) {
				checkInferenceServicePods(t, s, r)
			})
			mustApply(t, s, crds)
			if err := s.WaitEstablished(ctx, crds); err != nil {
				t.Fatal(err)
			}
			if len(custom) == 0 {
				t.Error("no custom resource of the program was checked (NodePools, EC2NodeClasses)")
			}
			applied, err = s.Apply(ctx, custom)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range applied {
				if a.Err != nil {
					t.Errorf("the program's own custom resource refused by its CRD: %v", a.Err)
				}
			}
			for _, rr := range r.releases {
				if rr.Err != nil {
					continue
				}
				t.Run(rr.Name, func(t *testing.T) {
					begin := time.Now()
					var sas, rest []apiserver.Object
					for _, o := range wrap(rr.Name, rr.Objects) {
						switch o.GetKind() {
						case "CustomResourceDefinition":
						case "ServiceAccount":
							sas = append(sas, o)
						default:
							rest = append(rest, o)
						}
					}
					mustApply(t, s, sas)
					results, err := s.DryRun(ctx, rest)
					if err != nil {
						t.Fatal(err)
					}
					refused := 0
					for _, a := range results {
						if a.Err != nil {
							refused++
							t.Errorf("refused: %v", a.Err)
						}
					}
					tpls, err := apiserver.PodTemplates(wrap(rr.Name, rr.Objects))
					if err != nil {
						t.Fatal(err)
					}
					podsRefused := 0
					for _, tpl := range tpls {
						if err := s.CheckTemplateAdmitted(ctx, tpl); err != nil {
							podsRefused++
							t.Error(err)
						}
					}
					t.Logf("%s: %d objects, %d refused; %d pod templates, %d refused; %s", rr.Name, len(rr.Objects), refused, len(tpls), podsRefused, time.Since(begin).Round(time.Millisecond))
				})
			}
		})
	}
}

func mustApply(t *testing.T, s *apiserver.Server, objs []apiserver.Object) {
	t.Helper()
	results, err := s.Apply(context.Background(), objs)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range results {
		if a.Err != nil && !strings.Contains(a.Err.Error(), "AlreadyExists") {
			t.Errorf("refused: %v", a.Err)
		}
	}
}

// checkRequestsWithoutLimits: ordinary pods that set requests but no
// limits, as most training jobs and model servers do, are admitted by the
// LimitRange (whose default limit must not fall below their requests).
func checkRequestsWithoutLimits(t *testing.T, s *apiserver.Server) {
	for _, c := range []struct {
		ns, name, cpu, mem string
	}{
		{kubenames.NSTraining, "training-job", "8", "16Gi"},
		{kubenames.NSServing, "model-server", "2", "12Gi"},
		{kubenames.NSServing, "small-model-server", "500m", "1Gi"},
	} {
		pod := apiserver.RestrictedPod(c.name, apiserver.Resources(c.cpu, c.mem, "", ""), 1)
		tpl := apiserver.PodTemplate{Owner: fmt.Sprintf("a %s CPU / %s %s", c.cpu, c.mem, c.name), Namespace: c.ns, Spec: pod.Spec}
		if err := s.CheckTemplateAdmitted(context.Background(), tpl); err != nil {
			t.Error(err)
		}
	}
}

// TestNoReleaseNeedsItsOwnWebhook: no release renders an object that a
// fail-closed webhook of the same release must admit.
func TestNoReleaseNeedsItsOwnWebhook(t *testing.T) {
	for _, r := range renderAll(t) {
		var all []*unstructured.Unstructured
		for _, rr := range r.releases {
			all = append(all, rr.Objects...)
		}
		plurals := rendercheck.Plurals(all)
		nsLabels := map[string]map[string]string{}
		for _, o := range r.objs {
			if o.GetKind() == "Namespace" {
				l := map[string]string{"kubernetes.io/metadata.name": o.GetName()}
				for k, v := range o.GetLabels() {
					l[k] = v
				}
				nsLabels[o.GetName()] = l
			}
		}
		nsLabels["kube-system"] = map[string]string{"kubernetes.io/metadata.name": "kube-system"}
		for _, rr := range r.releases {
			t.Run(r.stack+"/"+rr.Name, func(t *testing.T) {
				found, err := rendercheck.SelfAdmitted(rr.Objects, plurals, nsLabels)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range found {
					t.Error(f)
				}
			})
		}
	}
}

// checkInferenceServicePods: the pod KServe makes for an InferenceService
// on each rendered ClusterServingRuntime (its containers, with the
// default ClusterStorageContainer as the storage initializer) is admitted
// in the serving namespace with the model service account.
func checkInferenceServicePods(t *testing.T, s *apiserver.Server, r *rendered) {
	var initializer *corev1.Container
	var runtimes []*unstructured.Unstructured
	for _, rr := range r.releases {
		for _, o := range rr.Objects {
			switch {
			case o.GetKind() == "ClusterStorageContainer" && o.GetName() == "default":
				raw, _, _ := unstructured.NestedMap(o.Object, "spec", "container")
				var c corev1.Container
				if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, &c); err != nil {
					t.Fatal(err)
				}
				c.Name = "storage-initializer"
				initializer = &c
			case o.GetKind() == "ClusterServingRuntime":
				runtimes = append(runtimes, o)
			}
		}
	}
	if initializer == nil || len(runtimes) < 5 {
		t.Fatalf("rendered %d ClusterServingRuntimes and storage initializer %v", len(runtimes), initializer != nil)
	}
	for _, rt := range runtimes {
		// The runtime's spec holds the pod's fields (containers, volumes,
		// hostIPC, ...) beside its own, which a PodSpec ignores.
		raw, _, _ := unstructured.NestedMap(rt.Object, "spec")
		var spec corev1.PodSpec
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, &spec); err != nil {
			t.Fatalf("%s: %v", rt.GetName(), err)
		}
		spec.InitContainers = []corev1.Container{*initializer}
		spec.ServiceAccountName = identity.KServeServiceAccount.Name
		tpl := apiserver.PodTemplate{Owner: "InferenceService on ClusterServingRuntime " + rt.GetName(), Namespace: identity.KServeServiceAccount.Namespace, Spec: spec}
		if err := s.CheckTemplateAdmitted(context.Background(), tpl); err != nil {
			t.Error(err)
		}
	}
}

// splitCustom separates the program's objects whose kind a release's CRD
// defines from the others.
func splitCustom(objs, crds []apiserver.Object) (plain, custom []apiserver.Object) {
	defined := map[string]bool{}
	for _, c := range crds {
		group, _, _ := unstructured.NestedString(c.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(c.Object, "spec", "names", "kind")
		defined[group+"/"+kind] = true
	}
	for _, o := range objs {
		if defined[o.GroupVersionKind().Group+"/"+o.GetKind()] {
			custom = append(custom, o)
		} else {
			plain = append(plain, o)
		}
	}
	return plain, custom
}
