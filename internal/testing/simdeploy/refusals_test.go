package simdeploy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/simdeploy"
)

// checkRefusalsAreSeen: a Deployment whose pod breaks the restricted Pod
// Security level of a platform namespace shows up in PodRefusals, named
// and with the admission message (the check above can fail). The
// Deployment is deleted again.
func checkRefusalsAreSeen(t *testing.T, c *simcluster.Cluster, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	labels := map[string]string{"app": "violates-restricted"}
	pod := apiserver.ViolatingPod("", "restricted")
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "violates-restricted", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: pod.Spec},
		},
	}
	if _, err := c.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = c.Client.AppsV1().Deployments(ns).Delete(context.Background(), d.Name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)})
	}()
	var seen []string
	err := wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		refusals, err := simdeploy.PodRefusals(ctx, c.Client)
		if err != nil {
			return false, err
		}
		seen = refusals
		for _, r := range refusals {
			if strings.HasPrefix(r, "ReplicaSet "+ns+"/violates-restricted-") && strings.Contains(r, "violates PodSecurity") {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("the refused pod of Deployment %s/%s never showed in PodRefusals (%v): %v", ns, d.Name, err, seen)
	}
}
