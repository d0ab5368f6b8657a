//go:build kubeprovider

package kubesim

import (
	"os"
	"testing"
	"time"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	k8smeta "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/pulumitest"
)

// TestRealProviderAwaitsARolloutInTheSimulatedCluster runs the real Pulumi
// engine and the real Kubernetes provider against the simulated cluster:
// the provider's normal await logic waits for the Deployment's rollout,
// which only completes because the scheduler places the pods and kwok
// marks them Ready.
func TestRealProviderAwaitsARolloutInTheSimulatedCluster(t *testing.T) {
	tools := pulumitest.RequireKubernetes(t)
	c := simCluster(t)
	kubeconfig, err := os.ReadFile(c.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	program := func(ctx *pulumi.Context) error {
		prov, err := kubernetes.NewProvider(ctx, "sim", &kubernetes.ProviderArgs{
			Kubeconfig: pulumi.ToSecret(pulumi.String(string(kubeconfig))).(pulumi.StringOutput), EnableServerSideApply: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		ns, err := corev1.NewNamespace(ctx, "engine", &corev1.NamespaceArgs{
			Metadata: metav1.ObjectMetaArgs{Name: pulumi.String("engine")},
		}, pulumi.Provider(prov))
		if err != nil {
			return err
		}
		labels := pulumi.StringMap{"app": pulumi.String("api")}
		_, err = appsv1.NewDeployment(ctx, "api", &appsv1.DeploymentArgs{
			Metadata: metav1.ObjectMetaArgs{Name: pulumi.String("api"), Namespace: ns.Metadata.Name()},
			Spec: appsv1.DeploymentSpecArgs{
				Replicas: pulumi.Int(3),
				Selector: metav1.LabelSelectorArgs{MatchLabels: labels},
				Template: corev1.PodTemplateSpecArgs{
					Metadata: metav1.ObjectMetaArgs{Labels: labels},
					Spec: corev1.PodSpecArgs{
						NodeSelector: pulumi.StringMap{"mlops-platform/workload": pulumi.String("general")},
						Containers: corev1.ContainerArray{corev1.ContainerArgs{
							Name: pulumi.String("api"), Image: pulumi.String("registry.k8s.io/pause:3.10"),
							Resources: corev1.ResourceRequirementsArgs{Requests: pulumi.StringMap{"cpu": pulumi.String("10m"), "memory": pulumi.String("32Mi")}},
						}},
					},
				},
			},
		}, pulumi.Provider(prov))
		return err
	}
	ctx := testContext(t)
	s := pulumitest.Stack(ctx, t, tools, "kubesim", "engine", program, nil)
	start := time.Now()
	res, err := s.Up(ctx, optup.ErrorProgressStreams(os.Stderr))
	if err != nil {
		t.Fatalf("pulumi up: %v", err)
	}
	t.Logf("up in %s: %v", time.Since(start).Round(time.Millisecond), res.Summary.ResourceChanges)
	d, err := c.Client.AppsV1().Deployments("engine").Get(ctx, "api", k8smeta.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status.ReadyReplicas != 3 {
		t.Errorf("up returned with %d of 3 replicas ready", d.Status.ReadyReplicas)
	}
	if _, err := s.Destroy(ctx, optdestroy.ErrorProgressStreams(os.Stderr)); err != nil {
		t.Fatalf("pulumi destroy: %v", err)
	}
}
