package simcluster

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
)

// WaitPodReady waits until a pod is scheduled and Ready (kwok marks it so)
// and returns it.
func (c *Cluster) WaitPodReady(ctx context.Context, namespace, name string) (*corev1.Pod, error) {
	var pod *corev1.Pod
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		if err := c.processesAlive(); err != nil {
			return false, err
		}
		p, err := c.Client.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		pod = p
		return PodReady(p), nil
	})
	if err != nil {
		return pod, fmt.Errorf("waiting for pod %s/%s to be Ready: %w%s", namespace, name, err, c.schedulingEvents(namespace, name))
	}
	return pod, nil
}

// WaitUnschedulable waits until the scheduler reports a pod unschedulable
// and returns its message.
func (c *Cluster) WaitUnschedulable(ctx context.Context, namespace, name string) (string, error) {
	var msg string
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		p, err := c.Client.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		if p.Spec.NodeName != "" {
			return false, fmt.Errorf("pod %s/%s was scheduled onto %s", namespace, name, p.Spec.NodeName)
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodScheduled && cond.Reason == corev1.PodReasonUnschedulable {
				msg = cond.Message
				return true, nil
			}
		}
		return false, nil
	})
	return msg, err
}

// PodReady reports whether a pod is bound to a node and Ready.
func PodReady(p *corev1.Pod) bool {
	if p.Spec.NodeName == "" || p.DeletionTimestamp != nil {
		return false
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// schedulingEvents lists a pod's events, to explain a wait that failed.
func (c *Cluster) schedulingEvents(namespace, name string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := c.Client.CoreV1().Events(namespace).List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + name})
	if err != nil || len(evs.Items) == 0 {
		return ""
	}
	out := "; events:"
	for _, e := range evs.Items {
		out += fmt.Sprintf(" [%s %s: %s]", e.Type, e.Reason, e.Message)
	}
	return out
}
