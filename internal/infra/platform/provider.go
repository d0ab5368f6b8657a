package platform

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Kubeconfig renders a kubeconfig for the cluster that authenticates with
// `aws eks get-token`, so no long-lived token is stored anywhere. The
// endpoint is the one EKS reports: from inside the VPC it resolves to the
// private endpoint.
func Kubeconfig(cluster, endpoint, caData, region string) (string, error) {
	cfg := map[string]any{
		"apiVersion":      "v1",
		"kind":            "Config",
		"current-context": cluster,
		"clusters": []any{map[string]any{
			"name":    cluster,
			"cluster": map[string]any{"server": endpoint, "certificate-authority-data": caData},
		}},
		"contexts": []any{map[string]any{
			"name":    cluster,
			"context": map[string]any{"cluster": cluster, "user": cluster},
		}},
		"users": []any{map[string]any{
			"name": cluster,
			"user": map[string]any{"exec": map[string]any{
				"apiVersion":      "client.authentication.k8s.io/v1beta1",
				"command":         "aws",
				"args":            []string{"eks", "get-token", "--cluster-name", cluster, "--region", region, "--output", "json"},
				"interactiveMode": "Never",
			}},
		}},
	}
	out, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("rendering kubeconfig of %s: %w", cluster, err)
	}
	return string(out), nil
}

// newProvider declares the Kubernetes provider of the cluster. It waits for
// args.DependsOn (node groups, add-ons) so that no release is applied to a
// cluster without nodes.
func newProvider(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) (*kubernetes.Provider, error) {
	kubeconfig := pulumi.All(args.ClusterName, args.ClusterEndpoint, args.CertificateAuthority).ApplyT(
		func(v []any) (string, error) {
			return Kubeconfig(v[0].(string), v[1].(string), v[2].(string), args.Region)
		}).(pulumi.StringOutput)
	prov, err := kubernetes.NewProvider(ctx, name+"-k8s", &kubernetes.ProviderArgs{
		Kubeconfig: kubeconfig,
		// Server-side apply lets the charts' controllers own their fields.
		EnableServerSideApply: pulumi.Bool(true),
	}, parent, pulumi.DependsOn(args.DependsOn))
	if err != nil {
		return nil, fmt.Errorf("declaring Kubernetes provider: %w", err)
	}
	return prov, nil
}
