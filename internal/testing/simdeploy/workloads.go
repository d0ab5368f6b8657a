package simdeploy

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// Workload is a Deployment, StatefulSet or DaemonSet and how much of it
// runs.
type Workload struct {
	Kind, Namespace, Name string
	// Desired is the replicas (DaemonSet: the nodes it should run on);
	// Ready and Updated count the available and up-to-date pods.
	Desired, Ready, Updated int32
	// Observed is whether the controller has seen the latest generation
	// (until then the status counts nothing).
	Observed bool
	// Err is why the workload could not be read.
	Err error
}

// Available reports whether the controller has seen the workload and
// every desired pod is up to date and available.
func (w Workload) Available() bool {
	return w.Err == nil && w.Observed && w.Ready == w.Desired && w.Updated == w.Desired
}

func (w Workload) String() string {
	s := fmt.Sprintf("%s %s/%s %d/%d ready, %d updated", w.Kind, w.Namespace, w.Name, w.Ready, w.Desired, w.Updated)
	if !w.Observed {
		s += ", latest generation not yet observed"
	}
	if w.Err != nil {
		s += ": " + w.Err.Error()
	}
	return s
}

// workloadRefs are the Deployments, StatefulSets and DaemonSets among objs.
func workloadRefs(objs []*unstructured.Unstructured) []Workload {
	var out []Workload
	for _, o := range objs {
		switch o.GetKind() {
		case "Deployment", "StatefulSet", "DaemonSet":
			out = append(out, Workload{Kind: o.GetKind(), Namespace: o.GetNamespace(), Name: o.GetName()})
		}
	}
	return out
}

// Status reads a workload's status.
func Status(ctx context.Context, client kubernetes.Interface, w Workload) Workload {
	w.Desired, w.Ready, w.Updated, w.Observed, w.Err = 0, 0, 0, false, nil
	get := metav1.GetOptions{}
	switch w.Kind {
	case "Deployment":
		d, err := client.AppsV1().Deployments(w.Namespace).Get(ctx, w.Name, get)
		if w.Err = err; err == nil {
			w.Desired, w.Ready = replicas(d.Spec.Replicas), d.Status.AvailableReplicas
			w.Observed, w.Updated = d.Status.ObservedGeneration >= d.Generation, d.Status.UpdatedReplicas
		}
	case "StatefulSet":
		s, err := client.AppsV1().StatefulSets(w.Namespace).Get(ctx, w.Name, get)
		if w.Err = err; err == nil {
			w.Desired, w.Ready = replicas(s.Spec.Replicas), s.Status.AvailableReplicas
			w.Observed, w.Updated = s.Status.ObservedGeneration >= s.Generation, s.Status.UpdatedReplicas
		}
	case "DaemonSet":
		d, err := client.AppsV1().DaemonSets(w.Namespace).Get(ctx, w.Name, get)
		if w.Err = err; err == nil {
			w.Desired, w.Ready = d.Status.DesiredNumberScheduled, d.Status.NumberAvailable
			w.Observed, w.Updated = d.Status.ObservedGeneration >= d.Generation, d.Status.UpdatedNumberScheduled
		}
	default:
		w.Err = fmt.Errorf("not a workload kind")
	}
	return w
}

func replicas(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// WaitAvailable waits up to timeout for every workload to be available
// and returns their last status.
func WaitAvailable(ctx context.Context, client kubernetes.Interface, ws []Workload, timeout time.Duration) []Workload {
	return WaitSettled(ctx, client, ws, timeout, 0)
}

// WaitSettled is WaitAvailable where every workload must have stayed
// available for settle: after a disruption (a drain), a controller's
// status still shows the pods it had until it has seen them go, so a
// first reading can be stale.
func WaitSettled(ctx context.Context, client kubernetes.Interface, ws []Workload, timeout, settle time.Duration) []Workload {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out := make([]Workload, len(ws))
	var since time.Time
	_ = wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		all := true
		for i, w := range ws {
			out[i] = Status(ctx, client, w)
			all = all && out[i].Available()
		}
		switch {
		case !all:
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		}
		return all && time.Since(since) >= settle, nil
	})
	// The last round may have been cut short by the deadline.
	for i, w := range ws {
		out[i] = Status(context.Background(), client, w)
	}
	return out
}

// waitJobs waits up to timeout for the Jobs among objs to complete, as
// Helm waits for hook Jobs (kwok completes a Job's pods).
func waitJobs(ctx context.Context, c *simcluster.Cluster, objs []apiserver.Object, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, o := range objs {
		if o.GetKind() != "Job" {
			continue
		}
		var last *batchv1.Job
		err := wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			j, err := c.Client.BatchV1().Jobs(o.GetNamespace()).Get(ctx, o.GetName(), metav1.GetOptions{})
			if err != nil {
				return false, nil
			}
			last = j
			return jobCondition(j, batchv1.JobComplete), nil
		})
		if err != nil {
			return fmt.Errorf("%s: the Job did not complete: %v (status %+v)", o.URN, err, jobStatus(last))
		}
	}
	return nil
}

func jobCondition(j *batchv1.Job, t batchv1.JobConditionType) bool {
	for _, c := range j.Status.Conditions {
		if c.Type == t && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func jobStatus(j *batchv1.Job) any {
	if j == nil {
		return "not found"
	}
	return j.Status
}
