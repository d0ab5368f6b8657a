package simcluster

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var (
	cluster  *Cluster
	startErr error
	once     sync.Once
)

// TestMain stops the shared cluster after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	cluster.Stop()
	os.Exit(code)
}

// simCluster starts the dev stack's simulated cluster once. Without the
// binaries it skips, except in CI (CI=true), where that is a failure.
// KUBESIM_LOGS=1 shows the control plane's logs.
func simCluster(t *testing.T) *Cluster {
	t.Helper()
	once.Do(func() {
		var bins Binaries
		if bins, startErr = FindBinaries(); startErr != nil {
			return
		}
		groups, err := NodeGroups(stacktest.Graph(t, "dev"))
		if err != nil {
			startErr = err
			return
		}
		out := io.Discard
		if os.Getenv("KUBESIM_LOGS") != "" {
			out = os.Stderr
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		cluster, startErr = Start(context.Background(), bins, groups, log, out)
		if startErr == nil {
			t.Logf("simulated cluster of %d nodes ready in %s", len(cluster.Nodes), cluster.Startup.Round(time.Millisecond))
		}
	})
	if startErr != nil {
		testtools.Unavailable(t, "simulated cluster", startErr)
	}
	return cluster
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// namespace creates a namespace for one test and waits for its default
// service account.
func namespace(t *testing.T, c *Cluster, name string) string {
	t.Helper()
	ctx := testContext(t)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.waitServiceAccount(ctx, name, "default"); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestClusterHasTheGraphsNodes(t *testing.T) {
	c := simCluster(t)
	nodes, err := c.Client.CoreV1().Nodes().List(testContext(t), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	perGroup := map[string]int{}
	for i := range nodes.Items {
		n := &nodes.Items[i]
		if !NodeSchedulable(n) {
			t.Errorf("node %s is not Ready: %v", n.Name, n.Status.Conditions)
		}
		perGroup[n.Labels[LabelNodeGroup]]++
		// kwok keeps the capacity the node registered with.
		if want := c.nodeNamed(n.Name); want == nil || !n.Status.Allocatable.Cpu().Equal(*want.Status.Allocatable.Cpu()) {
			t.Errorf("node %s allocatable %v, registered %v", n.Name, n.Status.Allocatable, want)
		}
	}
	// dev: general 2 (desired); training and GPU nodes are Karpenter's
	// (internal/testing/karpsim), none at start.
	want := map[string]int{"general": 2}
	for g, n := range want {
		if perGroup[g] != n {
			t.Errorf("group %s has %d nodes, want %d (all: %v)", g, perGroup[g], n, perGroup)
		}
	}
	t.Logf("startup %s for %d nodes", c.Startup.Round(time.Millisecond), len(nodes.Items))
}

func (c *Cluster) nodeNamed(name string) *corev1.Node {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// TestKwokMarksPodsReadyPromptly: kwok marks a scheduled pod Ready within
// seconds, however long the cluster has run: rounds of pods created a
// few seconds apart are each Ready within 10 s of their creation.
func TestKwokMarksPodsReadyPromptly(t *testing.T) {
	c := simCluster(t)
	ns := namespace(t, c, "prompt")
	ctx := testContext(t)
	for round := range 4 {
		begin := time.Now()
		var names []string
		for i := range 3 {
			p, err := c.Client.CoreV1().Pods(ns).Create(ctx, pod(fmt.Sprintf("prompt-%d-%d", round, i), nil), metav1.CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, p.Name)
		}
		for _, name := range names {
			if _, err := c.WaitPodReady(ctx, ns, name); err != nil {
				t.Fatal(err)
			}
		}
		took := time.Since(begin)
		t.Logf("round %d: 3 pods Ready in %s", round, took.Round(time.Millisecond))
		if took > 10*time.Second {
			t.Errorf("round %d: 3 pods took %s to turn Ready, want under 10s", round, took.Round(time.Millisecond))
		}
		time.Sleep(3 * time.Second)
	}
}
