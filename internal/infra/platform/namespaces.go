package platform

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kube"
)

// Names of the platform's own objects.
const (
	mlflowDBSecret   = "mlflow-database"
	grafanaAdminName = "grafana-admin"
)

// namespaces declares the managed namespaces.
func (b *builder) namespaces() error {
	b.ns = map[string]pulumi.Resource{}
	for _, n := range kube.Namespaces() {
		if !n.Managed {
			continue
		}
		labels := kube.PSALabels(n.Level)
		labels["app.kubernetes.io/managed-by"] = "pulumi"
		annotations := map[string]string{}
		if n.Reason != "" {
			annotations[kube.PSAExemptionAnnotation] = n.Reason
		}
		ns, err := corev1.NewNamespace(b.ctx, b.name+"-ns-"+n.Name, &corev1.NamespaceArgs{
			Metadata: &metav1.ObjectMetaArgs{
				Name:        pulumi.String(n.Name),
				Labels:      pulumi.ToStringMap(labels),
				Annotations: pulumi.ToStringMap(annotations),
			},
		}, b.with()...)
		if err != nil {
			return fmt.Errorf("declaring namespace %s: %w", n.Name, err)
		}
		b.ns[n.Name] = ns
	}
	return nil
}
