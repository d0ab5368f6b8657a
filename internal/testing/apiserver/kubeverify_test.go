package apiserver

import (
	"context"
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

var (
	server    *Server
	startErr  error
	startTime time.Duration
	once      sync.Once
)

// TestMain stops the shared API server after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if server != nil {
		server.Stop()
	}
	os.Exit(code)
}

// apiServer starts the shared etcd + kube-apiserver once. Without the
// binaries it skips, except in CI (CI=true), where that is a failure.
func apiServer(t *testing.T) *Server {
	t.Helper()
	once.Do(func() {
		bins, err := FindBinaries()
		if err != nil {
			startErr = err
			return
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		out := io.Discard
		if os.Getenv("KUBEVERIFY_LOGS") != "" {
			out = os.Stderr
		}
		begin := time.Now()
		server, startErr = Start(context.Background(), bins, log, out)
		startTime = time.Since(begin)
	})
	if startErr != nil {
		testtools.Unavailable(t, "API server harness", startErr)
	}
	return server
}

// applyStack applies every Kubernetes object of a graph, renaming each
// namespace with suffix so that stacks and variants do not collide, and
// prepares the namespaces.
func applyStack(t *testing.T, s *Server, g *plan.Graph, suffix string) []Namespace {
	t.Helper()
	objs, err := builtinObjects(g)
	if err != nil {
		t.Fatal(err)
	}
	Rename(objs, suffix)
	results, err := s.Apply(context.Background(), objs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("the API server refused %s: %v", r.Object.URN, r.Err)
		}
	}
	nss, err := Namespaces(objs)
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range nss {
		if err := s.PrepareNamespace(context.Background(), ns.Name); err != nil {
			t.Fatal(err)
		}
	}
	return nss
}

// TestAPIServerAcceptsEveryObject applies each stack's Kubernetes layer.
func TestAPIServerAcceptsEveryObject(t *testing.T) {
	s := apiServer(t)
	t.Logf("etcd + kube-apiserver %s ready in %s", APIServerVersion, startTime.Round(time.Millisecond))
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack)
			objs, err := builtinObjects(g)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, o := range objs {
				kinds[o.GetKind()]++
			}
			t.Logf("%s: %d objects applied: %v", stack, len(objs), kinds)
			for _, want := range []string{"Namespace", "ServiceAccount", "ResourceQuota", "LimitRange", "NetworkPolicy", "PodDisruptionBudget", "StorageClass", "Ingress"} {
				if kinds[want] == 0 && !(stack == "dev" && want == "PodDisruptionBudget") {
					t.Errorf("the graph declares no %s", want)
				}
			}
			applyStack(t, s, g, "-"+stack)
		})
	}
}

// TestAdmission runs every admission case in every namespace of each stack.
func TestAdmission(t *testing.T) {
	s := apiServer(t)
	ctx := context.Background()
	for _, stack := range []string{"dev", "prod"} {
		nss := applyStack(t, s, stacktest.Graph(t, stack), "-adm-"+stack)
		for _, ns := range nss {
			t.Run(stack+"/"+ns.Name, func(t *testing.T) {
				cases := "compliant pod admitted"
				if ns.Want == "restricted" || ns.Want == "baseline" {
					cases += "; " + ns.Want + " violation rejected"
				}
				if ns.Workload() {
					cases += "; CPU pod gets no GPU; 3 CPU/8Gi model server admitted with the LimitRange defaults; over-quota pod rejected"
				}
				t.Logf("enforces %s: %s", ns.Level, cases)
				for _, err := range admissionCases(ctx, s, ns) {
					t.Error(err)
				}
			})
		}
	}
}

// admissionCases returns the failures of every case that applies to ns.
func admissionCases(ctx context.Context, s *Server, ns Namespace) []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if ns.Want == "" {
		add(fmt.Errorf("%s is not a namespace the platform knows", ns.Base))
	}
	if ns.Level != ns.Want {
		add(fmt.Errorf("%s enforces %q, the platform requires %q", ns.Name, ns.Level, ns.Want))
	}
	// Judged against the required level, so a lowered label shows up as
	// an admitted violation, not as a skipped case.
	if ns.Want == "restricted" || ns.Want == "baseline" {
		add(s.CheckViolationRejected(ctx, ns.Name, ns.Want))
	}
	add(s.CheckCompliantAdmitted(ctx, ns.Name))
	if ns.Workload() {
		add(s.CheckNoGPUInjected(ctx, ns.Name))
		add(s.CheckModelServer(ctx, ns.Name, ns.LimitRange.Default))
		add(s.CheckQuotaRejects(ctx, ns.Name, *ns.QuotaCPU, ns.LimitRange.Max.Cpu().DeepCopy()))
	}
	return errs
}

// TestDeclaredPodTemplatesAdmitted: the pods of every declared workload
// object (the MLflow database setup Job) pass admission in their
// namespace; a template that breaks the restricted level is refused.
func TestDeclaredPodTemplatesAdmitted(t *testing.T) {
	s := apiServer(t)
	ctx := context.Background()
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack).Clone()
			applyStack(t, s, g, "-tpl-"+stack)
			for _, broken := range []bool{false, true} {
				if broken {
					// Privilege escalation breaks the restricted level.
					for _, r := range g.ByType("kubernetes:batch/v1:Job") {
						c := r.Inputs["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0]
						c.(map[string]any)["securityContext"].(map[string]any)["allowPrivilegeEscalation"] = true
					}
				}
				objs, err := builtinObjects(g)
				if err != nil {
					t.Fatal(err)
				}
				Rename(objs, "-tpl-"+stack)
				tpls, err := PodTemplates(objs)
				if err != nil {
					t.Fatal(err)
				}
				if len(tpls) == 0 {
					t.Fatal("no pod template declared: the database setup Job is missing")
				}
				for _, tpl := range tpls {
					err := s.CheckTemplateAdmitted(ctx, tpl)
					switch {
					case !broken && err != nil:
						t.Error(err)
					case broken && (err == nil || !strings.Contains(err.Error(), "violates PodSecurity")):
						t.Errorf("%s with privilege escalation: want a Pod Security refusal, got %v", tpl.Owner, err)
					}
				}
			}
		})
	}
}

// TestHarnessSeesMutations changes the declared layer the way past
// incidents did and proves the admission cases then fail.
func TestHarnessSeesMutations(t *testing.T) {
	s := apiServer(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		ns      string
		mutate  func(g *plan.Graph)
		failure string
	}{
		{"PSA label lowered to privileged", "serving", func(g *plan.Graph) {
			setNamespaceLabel(g, "serving", PSAEnforceLabel, "privileged")
		}, "was admitted"},
		{"LimitRange default removed", "serving", func(g *plan.Graph) {
			editLimitRange(g, "serving", func(l map[string]any) { delete(l, "default") })
		}, "want the LimitRange default"},
		{"GPU max without a default", "serving", func(g *plan.Graph) {
			editLimitRange(g, "serving", func(l map[string]any) {
				l["max"].(map[string]any)["nvidia.com/gpu"] = "1"
			})
		}, "GPU"},
		{"default CPU limit of 1 under a request of 3", "training", func(g *plan.Graph) {
			editLimitRange(g, "training", func(l map[string]any) { l["default"].(map[string]any)["cpu"] = "1" })
		}, "model server was refused"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := stacktest.Graph(t, "prod").Clone()
			tc.mutate(g)
			nss := applyStack(t, s, g, fmt.Sprintf("-mut%d", i))
			var errs []error
			for _, ns := range nss {
				if ns.Name == tc.ns+fmt.Sprintf("-mut%d", i) {
					errs = admissionCases(ctx, s, ns)
				}
			}
			for _, err := range errs {
				if strings.Contains(err.Error(), tc.failure) {
					return
				}
			}
			t.Errorf("no admission case failed with %q after the mutation; got %v", tc.failure, errs)
		})
	}
}

func setNamespaceLabel(g *plan.Graph, ns, key, value string) {
	for _, r := range g.ByType("kubernetes:core/v1:Namespace") {
		md := r.Inputs["metadata"].(map[string]any)
		if md["name"] == ns {
			md["labels"].(map[string]any)[key] = value
		}
	}
}

func editLimitRange(g *plan.Graph, ns string, edit func(limit map[string]any)) {
	for _, r := range g.ByType("kubernetes:core/v1:LimitRange") {
		if r.Inputs["metadata"].(map[string]any)["namespace"] != ns {
			continue
		}
		for _, l := range r.Inputs["spec"].(map[string]any)["limits"].([]any) {
			if m := l.(map[string]any); m["type"] == "Container" {
				edit(m)
			}
		}
	}
}

// builtinObjects are the graph's objects of built-in kinds. The custom
// resources (Karpenter's NodePools and EC2NodeClasses) need their CRDs,
// which a release installs: rendercheck admits them after those CRDs.
func builtinObjects(g *plan.Graph) ([]Object, error) {
	objs, err := Objects(g)
	if err != nil {
		return nil, err
	}
	out := objs[:0]
	for _, o := range objs {
		if g := o.GroupVersionKind().Group; g != "karpenter.sh" && g != "karpenter.k8s.aws" {
			out = append(out, o)
		}
	}
	return out, nil
}
