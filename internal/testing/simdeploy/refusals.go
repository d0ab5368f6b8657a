package simdeploy

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// refusalReasons are the event reasons of a controller whose pod the API
// server refused (Pod Security, quota, LimitRange, a webhook, a missing
// service account): the ReplicaSet, DaemonSet, StatefulSet and Job
// controllers all record FailedCreate.
var refusalReasons = map[string]bool{"FailedCreate": true}

// PodRefusals lists every pod creation the API server refused in the
// cluster, as "Kind namespace/name: message": the controllers' Warning
// events, and the ReplicaFailure conditions of ReplicaSets and
// Deployments and the failure conditions of StatefulSets.
func PodRefusals(ctx context.Context, client kubernetes.Interface) ([]string, error) {
	seen := map[string]bool{}
	add := func(s string) { seen[s] = true }
	evs, err := client.CoreV1().Events("").List(ctx, metav1.ListOptions{FieldSelector: "type=" + corev1.EventTypeWarning})
	if err != nil {
		return nil, fmt.Errorf("listing events: %w", err)
	}
	for _, e := range evs.Items {
		if refusalReasons[e.Reason] {
			o := e.InvolvedObject
			add(fmt.Sprintf("%s %s/%s: %s: %s", o.Kind, o.Namespace, o.Name, e.Reason, e.Message))
		}
	}
	rss, err := client.AppsV1().ReplicaSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing ReplicaSets: %w", err)
	}
	for _, rs := range rss.Items {
		for _, c := range rs.Status.Conditions {
			if c.Status == corev1.ConditionTrue {
				add(fmt.Sprintf("ReplicaSet %s/%s: %s: %s", rs.Namespace, rs.Name, c.Reason, c.Message))
			}
		}
	}
	ds, err := client.AppsV1().Deployments("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Deployments: %w", err)
	}
	for _, d := range ds.Items {
		for _, c := range d.Status.Conditions {
			if c.Type == "ReplicaFailure" && c.Status == corev1.ConditionTrue {
				add(fmt.Sprintf("Deployment %s/%s: %s: %s", d.Namespace, d.Name, c.Reason, c.Message))
			}
		}
	}
	sss, err := client.AppsV1().StatefulSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing StatefulSets: %w", err)
	}
	for _, s := range sss.Items {
		for _, c := range s.Status.Conditions {
			if c.Status == corev1.ConditionTrue {
				add(fmt.Sprintf("StatefulSet %s/%s: %s: %s", s.Namespace, s.Name, c.Reason, c.Message))
			}
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}
