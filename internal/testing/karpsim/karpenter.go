package karpsim

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// Karpenter's resources.
var (
	NodePoolsGVR  = schema.GroupVersionResource{Group: "karpenter.sh", Version: "v1", Resource: "nodepools"}
	NodeClaimsGVR = schema.GroupVersionResource{Group: "karpenter.sh", Version: "v1", Resource: "nodeclaims"}
)

// Karpenter is the kwok provider's controller running in a simulated
// cluster.
type Karpenter struct {
	*simcluster.Cluster
	// Dynamic reads and writes Karpenter's objects.
	Dynamic dynamic.Interface
	// Pools are the NodePools applied, as translated.
	Pools []apiserver.Object
	// Declared are the NodePools as the graph declares them.
	Declared []apiserver.Object

	stopKubelet context.CancelFunc
}

// Stop ends the capacity reports and the cluster.
func (k *Karpenter) Stop() {
	if k == nil {
		return
	}
	k.stopKubelet()
	k.Cluster.Stop()
}

// Options are what Start installs.
type Options struct {
	// RepoRoot holds third_party (the CRDs).
	RepoRoot string
	// Objects are the evaluated graph's Kubernetes objects; its NodePools
	// are translated (NodePools) and applied.
	Objects []apiserver.Object
	// InstanceTypes are written to the controller's instance-type file.
	InstanceTypes []InstanceType
	// Env adds settings to the controller's environment
	// (BATCH_IDLE_DURATION=…).
	Env []string
	// ConsolidateAfter, when set, replaces each pool's consolidateAfter:
	// tests compress time as kwok compresses a kubelet's.
	ConsolidateAfter string
}

// Start installs Karpenter's CRDs, the KWOKNodeClasses and the translated
// NodePools, runs the controller with the instance types, and returns once
// every NodePool reports Ready.
func Start(ctx context.Context, c *simcluster.Cluster, binary string, o Options, output io.Writer) (*Karpenter, error) {
	crds, err := CRDs(o.RepoRoot)
	if err != nil {
		return nil, err
	}
	if err := apply(ctx, c, crds); err != nil {
		return nil, err
	}
	if err := c.WaitEstablished(ctx, crds); err != nil {
		return nil, err
	}
	pools, err := NodePools(o.Objects)
	if err != nil {
		return nil, err
	}
	if o.ConsolidateAfter != "" {
		for _, p := range pools {
			if p.GetKind() != KindNodePool {
				continue
			}
			if err := unstructured.SetNestedField(p.Object, o.ConsolidateAfter, "spec", "disruption", "consolidateAfter"); err != nil {
				return nil, fmt.Errorf("NodePool %s: %w", p.GetName(), err)
			}
		}
	}
	if err := apply(ctx, c, pools); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "karpsim-")
	if err != nil {
		return nil, fmt.Errorf("creating the controller's directory: %w", err)
	}
	file := filepath.Join(dir, "instance-types.json")
	if err := WriteFile(file, o.InstanceTypes); err != nil {
		return nil, err
	}
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	env := append([]string{
		"INSTANCE_TYPES_FILE_PATH=" + file,
		"DISABLE_LEADER_ELECTION=true",
		"METRICS_PORT=" + strconv.Itoa(ports[0]),
		"HEALTH_PROBE_PORT=" + strconv.Itoa(ports[1]),
		"LOG_LEVEL=info",
	}, o.Env...)
	if err := c.Run("karpenter", binary, nil, env, output); err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(c.Config)
	if err != nil {
		return nil, fmt.Errorf("building dynamic client: %w", err)
	}
	kctx, cancel := context.WithCancel(context.Background())
	go reportCapacity(kctx, c, o.InstanceTypes, 100*time.Millisecond)
	k := &Karpenter{Cluster: c, Dynamic: dyn, stopKubelet: cancel}
	for _, p := range pools {
		if p.GetKind() == KindNodePool {
			k.Pools = append(k.Pools, p)
		}
	}
	for _, p := range o.Objects {
		if p.GetKind() == KindNodePool {
			k.Declared = append(k.Declared, p)
		}
	}
	if err := k.waitPoolsReady(ctx); err != nil {
		cancel()
		return nil, err
	}
	return k, nil
}

func apply(ctx context.Context, c *simcluster.Cluster, objs []apiserver.Object) error {
	res, err := c.Apply(ctx, objs)
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// waitPoolsReady waits for every NodePool's Ready condition.
func (k *Karpenter) waitPoolsReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var last string
	err := wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := k.Alive(); err != nil {
			return false, err
		}
		for _, p := range k.Pools {
			u, err := k.Dynamic.Resource(NodePoolsGVR).Get(ctx, p.GetName(), metav1.GetOptions{})
			if err != nil {
				return false, nil
			}
			if ready, msg := Condition(u, "Ready"); !ready {
				last = p.GetName() + ": " + msg
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for the NodePools to be Ready (last: %s): %w", last, err)
	}
	return nil
}

// Condition reports whether a Karpenter object's condition is True, and
// its reason and message otherwise.
func Condition(u *unstructured.Unstructured, typ string) (bool, string) {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == typ {
			return m["status"] == "True", fmt.Sprintf("%v: %v", m["reason"], m["message"])
		}
	}
	return false, "no " + typ + " condition"
}

func freePorts(n int) ([]int, error) {
	var out []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}
