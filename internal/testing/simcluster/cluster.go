package simcluster

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
)

//go:embed stages/*.yaml
var stages embed.FS

// Cluster is a running simulated cluster.
type Cluster struct {
	*apiserver.Server
	// Kubeconfig is a file reaching the API server as a cluster-admin.
	Kubeconfig string
	// Nodes are the nodes materialised from the node groups.
	Nodes []*corev1.Node
	// Startup is how long Start took, until a probe pod ran.
	Startup time.Duration

	dir   string
	procs []*process
	log   *slog.Logger
}

// Start runs etcd and kube-apiserver, registers a node per Nodes() of each
// group, then runs kube-controller-manager, kube-scheduler and kwok, and
// returns once every node is Ready and a probe pod was scheduled and marked
// Ready. output receives the programs' logs. Stop ends everything.
func Start(ctx context.Context, bins Binaries, groups []NodeGroup, log *slog.Logger, output io.Writer) (c *Cluster, err error) {
	start := time.Now()
	srv, err := apiserver.Start(ctx, bins.Binaries, log, output)
	if err != nil {
		return nil, err
	}
	c = &Cluster{Server: srv, log: log}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()
	if c.dir, err = os.MkdirTemp("", "simcluster-"); err != nil {
		return nil, fmt.Errorf("creating the cluster's directory: %w", err)
	}
	c.Kubeconfig = filepath.Join(c.dir, "kubeconfig")
	if err := writeKubeconfig(srv.Config, c.Kubeconfig); err != nil {
		return nil, err
	}
	stageFile := filepath.Join(c.dir, "kwok-stages.yaml")
	if err := writeStages(stageFile); err != nil {
		return nil, err
	}
	if err := c.registerNodes(ctx, groups); err != nil {
		return nil, err
	}
	common := []string{"--kubeconfig=" + c.Kubeconfig, "--leader-elect=false", "--secure-port=0", "--v=0"}
	for _, p := range []struct {
		name, path string
		args       []string
	}{
		// kwok renews no node lease (see stages/README.md) and heartbeats
		// the node status every 20-45s; the grace period leaves room for
		// a late heartbeat on busy cores before a node turns NotReady.
		{"kube-controller-manager", bins.ControllerManager, append(common, "--controllers=*", "--node-monitor-grace-period=5m",
			"--concurrent-deployment-syncs=10", "--concurrent-replicaset-syncs=10")},
		{"kube-scheduler", bins.Scheduler, common},
		{"kwok", bins.Kwok, []string{"--kubeconfig=" + c.Kubeconfig, "--config=" + stageFile, "--manage-all-nodes=true",
			"--node-lease-duration-seconds=0", "--cidr=10.64.0.0/16"}},
	} {
		proc, err := startProcess(p.name, p.path, p.args, nil, output)
		if err != nil {
			return nil, err
		}
		c.procs = append(c.procs, proc)
	}
	if err := c.waitReady(ctx); err != nil {
		return nil, err
	}
	c.Startup = time.Since(start)
	log.Info("simulated cluster ready", "nodes", len(c.Nodes), "elapsed", c.Startup.Round(time.Millisecond))
	return c, nil
}

// Run starts one more program against the cluster, with KUBECONFIG set to
// the cluster's kubeconfig and env added to its environment. The cluster
// watches it like its control plane (a wait fails once it exits) and stops
// it first.
func (c *Cluster) Run(name, path string, args, env []string, output io.Writer) error {
	proc, err := startProcess(name, path, args, append([]string{"KUBECONFIG=" + c.Kubeconfig}, env...), output)
	if err != nil {
		return err
	}
	c.procs = append(c.procs, proc)
	return nil
}

// Alive returns an error naming the first of the cluster's programs that
// has exited.
func (c *Cluster) Alive() error { return c.processesAlive() }

func writeStages(path string) error {
	files, err := stages.ReadDir("stages")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, f := range files {
		b, err := stages.ReadFile("stages/" + f.Name())
		if err != nil {
			return err
		}
		buf.WriteString("---\n")
		buf.Write(b)
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// registerNodes creates the nodes with their capacity before kwok starts,
// so its first status update keeps that capacity.
func (c *Cluster) registerNodes(ctx context.Context, groups []NodeGroup) error {
	nodes := c.Client.CoreV1().Nodes()
	for _, g := range groups {
		for i := range g.Nodes() {
			want := g.Node(i)
			n, err := nodes.Create(ctx, want, metav1.CreateOptions{})
			if err != nil {
				return fmt.Errorf("creating node %s: %w", want.Name, err)
			}
			n.Status = want.Status
			if n, err = nodes.UpdateStatus(ctx, n, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("setting the capacity of node %s: %w", want.Name, err)
			}
			c.Nodes = append(c.Nodes, n)
		}
	}
	return nil
}

// waitReady waits until every node is Ready and untainted by the node
// lifecycle controller, then runs a probe pod to its Ready condition: the
// scheduler, the controllers' service accounts and kwok all work.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	err := wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := c.processesAlive(); err != nil {
			return false, err
		}
		list, err := c.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil
		}
		for i := range list.Items {
			if !NodeSchedulable(&list.Items[i]) {
				return false, nil
			}
		}
		return len(list.Items) == len(c.Nodes), nil
	})
	if err != nil {
		return fmt.Errorf("waiting for %d nodes to be Ready: %w", len(c.Nodes), err)
	}
	probe := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "simcluster-probe-", Namespace: metav1.NamespaceDefault},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "probe", Image: "registry.k8s.io/pause:3.10"}}},
	}
	if err := c.waitServiceAccount(ctx, metav1.NamespaceDefault, "default"); err != nil {
		return err
	}
	p, err := c.Client.CoreV1().Pods(probe.Namespace).Create(ctx, probe, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("creating the probe pod: %w", err)
	}
	if _, err := c.WaitPodReady(ctx, p.Namespace, p.Name); err != nil {
		return fmt.Errorf("probe pod: %w", err)
	}
	zero := int64(0)
	return c.Client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
}

// waitServiceAccount waits for a service account (the controller manager
// creates "default" in every namespace).
func (c *Cluster) waitServiceAccount(ctx context.Context, namespace, name string) error {
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := c.processesAlive(); err != nil {
			return false, err
		}
		_, err := c.Client.CoreV1().ServiceAccounts(namespace).Get(ctx, name, metav1.GetOptions{})
		return err == nil, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for service account %s/%s: %w", namespace, name, err)
	}
	return nil
}

func (c *Cluster) processesAlive() error {
	for _, p := range c.procs {
		if err, ok := p.exited(); ok {
			return fmt.Errorf("%s exited: %v", p.name, err)
		}
	}
	return nil
}

// NodeSchedulable reports whether a node is Ready and carries none of the
// taints the node lifecycle controller sets while it is not.
func NodeSchedulable(n *corev1.Node) bool {
	for _, t := range n.Spec.Taints {
		if t.Key == corev1.TaintNodeNotReady || t.Key == corev1.TaintNodeUnreachable {
			return false
		}
	}
	for _, cond := range n.Status.Conditions {
		if cond.Type == corev1.NodeReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// Stop ends kwok, the scheduler, the controller manager, the API server and
// etcd, and removes the cluster's files.
func (c *Cluster) Stop() {
	if c == nil {
		return
	}
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].stop()
	}
	c.procs = nil
	c.Server.Stop()
	if c.dir != "" {
		if err := os.RemoveAll(c.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
			c.log.Warn("removing the cluster's directory", "dir", c.dir, "error", err)
		}
	}
}
