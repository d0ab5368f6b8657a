package karpsim

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

var (
	shared   *Karpenter
	startErr error
	once     sync.Once
)

// TestMain stops the shared cluster after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// consolidateAfter replaces the pools' consolidateAfter in the tests: the
// simulated cluster compresses time, as kwok does for a kubelet.
const consolidateAfter = "5s"

// poolObjects returns the Kubernetes objects whose NodePools the tests
// run: the dev stack's.
var poolObjects = func(t *testing.T) []apiserver.Object {
	objs, err := apiserver.Objects(stacktest.Graph(t, "dev"))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// karpenter starts, once, the dev stack's simulated cluster with its
// general managed node group only (the training and GPU capacity is
// Karpenter's) and Karpenter's kwok provider with the stack's NodePools.
// Without the binaries it skips, except in CI (CI=true), where that is a
// failure. KUBESIM_LOGS=1 shows the programs' logs.
func karpenter(t *testing.T) *Karpenter {
	t.Helper()
	once.Do(func() { shared, startErr = start(t) })
	if startErr != nil {
		testtools.Unavailable(t, "simulated cluster with Karpenter", startErr)
	}
	return shared
}

func start(t *testing.T) (*Karpenter, error) {
	binary, err := FindBinary()
	if err != nil {
		return nil, err
	}
	bins, err := simcluster.FindBinaries()
	if err != nil {
		return nil, err
	}
	groups, err := simcluster.NodeGroups(stacktest.Graph(t, "dev"))
	if err != nil {
		return nil, err
	}
	var general []simcluster.NodeGroup
	for _, g := range groups {
		if g.Name == "general" {
			general = append(general, g)
		}
	}
	if len(general) != 1 {
		return nil, fmt.Errorf("the dev graph has %d general node groups", len(general))
	}
	zones := general[0].Zones
	region := strings.TrimRight(zones[0], "abcdefghijklmnopqrstuvwxyz")
	cat, err := cost.LoadCatalogue(region, "")
	if err != nil {
		return nil, err
	}
	usage, err := cost.LoadUsage("dev", "")
	if err != nil {
		return nil, err
	}
	types, err := InstanceTypes(cat, usage, zones)
	if err != nil {
		return nil, err
	}
	out := io.Discard
	if os.Getenv("KUBESIM_LOGS") != "" {
		out = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := simcluster.Start(ctx, bins, general, log, out)
	if err != nil {
		return nil, err
	}
	k, err := Start(ctx, c, binary, Options{
		RepoRoot: stacktest.RepoRoot(), Objects: poolObjects(t), InstanceTypes: types,
		ConsolidateAfter: consolidateAfter,
	}, out)
	if err != nil {
		c.Stop()
		return nil, err
	}
	t.Logf("simulated cluster with Karpenter %s ready: %d general nodes, NodePools %v, %d instance types", KarpenterVersion, len(c.Nodes), k.PoolNames(), len(types))
	return k, nil
}

func testContext(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// namespace creates a namespace for one test, deleted with its
// workloads when the test ends so the next test starts from empty pools.
func namespace(t *testing.T, k *Karpenter, name string) string {
	t.Helper()
	ctx := testContext(t, time.Minute)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := k.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		zero := int64(0)
		_ = k.Client.AppsV1().Deployments(name).DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{})
		_ = k.Client.CoreV1().Pods(name).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{})
		_ = k.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
		err := eventually(ctx, k, "namespace "+name+" to empty", func(ctx context.Context) (bool, error) {
			pods, err := k.Client.CoreV1().Pods(name).List(ctx, metav1.ListOptions{})
			return err == nil && len(pods.Items) == 0, nil
		})
		if err != nil {
			t.Logf("cleanup: %v", err)
		}
	})
	return name
}
