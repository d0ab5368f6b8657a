package rotate_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

var (
	server   *apiserver.Server
	startErr error
	once     sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if server != nil {
		server.Stop()
	}
	os.Exit(code)
}

// apiServer starts a real etcd + kube-apiserver once (skips without the
// binaries, fails in CI).
func apiServer(t *testing.T) kubernetes.Interface {
	t.Helper()
	once.Do(func() {
		bins, err := apiserver.FindBinaries()
		if err != nil {
			startErr = err
			return
		}
		server, startErr = apiserver.Start(context.Background(), bins, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	})
	if startErr != nil {
		testtools.Unavailable(t, "API server harness", startErr)
	}
	return server.Client
}

func create[T any](t *testing.T, f func(context.Context, T, metav1.CreateOptions) (T, error), obj T) T {
	t.Helper()
	out, err := f(context.Background(), obj, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pod creates a pod bound to node, Ready or not.
func pod(t *testing.T, kube kubernetes.Interface, ns, name, node, app string, isReady bool) {
	t.Helper()
	p := create(t, kube.CoreV1().Pods(ns).Create, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app": app}},
		Spec:       corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c", Image: apiserver.PauseImage}}},
	})
	st := corev1.ConditionFalse
	if isReady {
		st = corev1.ConditionTrue
	}
	p.Status.Phase = corev1.PodRunning
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: st}}
	if _, err := kube.CoreV1().Pods(ns).UpdateStatus(context.Background(), p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func pdb(t *testing.T, kube kubernetes.Interface, ns, name, app string, minAvailable, maxUnavailable *intstr.IntOrString) {
	t.Helper()
	create(t, kube.PolicyV1().PodDisruptionBudgets(ns).Create, &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: policyv1.PodDisruptionBudgetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": app}},
			MinAvailable: minAvailable, MaxUnavailable: maxUnavailable},
	})
}

// TestCheckPDBsNamesBlockedPods builds, in a real API server, a group's
// nodes, pods and PDBs: a budget with no disruption left blocks its pods
// on the group (and only there), a budget with room does not.
func TestCheckPDBsNamesBlockedPods(t *testing.T) {
	kube := apiServer(t)
	for _, n := range []struct{ name, group string }{{"node-g1", "general-1"}, {"node-g2", "general-1"}, {"node-t1", "training-1"}} {
		create(t, kube.CoreV1().Nodes().Create, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.name, Labels: map[string]string{rotate.NodegroupLabel: n.group}}})
	}
	for _, ns := range []string{"mlflow", "kserve"} {
		create(t, kube.CoreV1().Namespaces().Create, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		// No controller manager runs: the service account pods need is made here.
		create(t, kube.CoreV1().ServiceAccounts(ns).Create, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	}
	one, two := intstr.FromInt32(1), intstr.FromInt32(2)
	half := intstr.FromString("50%")
	// mlflow: 2 pods, minAvailable 2: no disruption allowed.
	pod(t, kube, "mlflow", "mlflow-a", "node-g1", "mlflow", true)
	pod(t, kube, "mlflow", "mlflow-b", "node-t1", "mlflow", true)
	pdb(t, kube, "mlflow", "mlflow", "mlflow", &two, nil)
	// kserve controller: 2 pods, maxUnavailable 1, one not ready: none left.
	pod(t, kube, "kserve", "controller-a", "node-g2", "controller", true)
	pod(t, kube, "kserve", "controller-b", "node-t1", "controller", false)
	pdb(t, kube, "kserve", "controller", "controller", nil, &one)
	// kserve webhook: 4 ready pods, minAvailable 50%: 2 disruptions allowed.
	for _, n := range []string{"webhook-a", "webhook-b", "webhook-c", "webhook-d"} {
		pod(t, kube, "kserve", n, "node-g1", "webhook", true)
	}
	pdb(t, kube, "kserve", "webhook", "webhook", &half, nil)

	// The pre-check reads through the dynamic client, as the CLI does.
	dyn := dynamic.NewForConfigOrDie(server.Config)
	err := rotate.CheckPDBs(context.Background(), dyn, "general-1")
	var blocked *rotate.BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("%v, want blocked pods", err)
	}
	want := "rotating node group general-1 would block on 2 pod(s):\n" +
		"  kserve/controller-a on node-g2: PodDisruptionBudget controller allows 0 disruptions\n" +
		"  mlflow/mlflow-a on node-g1: PodDisruptionBudget mlflow allows 0 disruptions"
	if err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	// training-1 holds mlflow-b and controller-b: blocked by the same budgets.
	err = rotate.CheckPDBs(context.Background(), dyn, "training-1")
	if err == nil || !strings.Contains(err.Error(), "mlflow/mlflow-b on node-t1") || !strings.Contains(err.Error(), "kserve/controller-b on node-t1") {
		t.Errorf("training-1: %v", err)
	}
	if err := rotate.CheckPDBs(context.Background(), dyn, "gpu-1"); err != nil {
		t.Errorf("a group without nodes: %v", err)
	}
}
