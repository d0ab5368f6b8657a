package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
		var ns provider.Resource
		if err := provider.KubernetesObject(b.ctx, typetoken.Namespace, b.name+"-ns-"+n.Name, pulumi.Map{
			"metadata": pulumi.Map{
				"name":        pulumi.String(n.Name),
				"labels":      pulumi.ToStringMap(labels),
				"annotations": pulumi.ToStringMap(annotations),
			},
		}, &ns, b.with()...); err != nil {
			return fmt.Errorf("declaring namespace %s: %w", n.Name, err)
		}
		b.ns[n.Name] = &ns
	}
	return nil
}

// objectMeta is the metadata of a namespaced object.
func objectMeta(name, namespace string) pulumi.Map {
	return pulumi.Map{"name": pulumi.String(name), "namespace": pulumi.String(namespace)}
}
