package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	corev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/core/v1"
	metav1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/meta/v1"
)

// Names of the platform's own objects.
const (
	mlflowDBSecret   = "mlflow-database"
	grafanaAdminName = "grafana-admin"
)

// namespaces declares the managed namespaces.
func (b *builder) namespaces() error {
	b.ns = map[string]pulumi.Resource{}
	for _, n := range kubenames.Namespaces() {
		if !n.Managed {
			continue
		}
		labels := kubenames.PSALabels(n.Level)
		labels["app.kubernetes.io/managed-by"] = "pulumi"
		annotations := map[string]string{}
		if n.Reason != "" {
			annotations[kubenames.PSAExemptionAnnotation] = n.Reason
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

// objectMeta is the metadata of a namespaced object.
func objectMeta(name, namespace string) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: pulumi.String(namespace)}
}
