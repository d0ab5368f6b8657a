package platform

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes"
)

// TokenCommand is the exec credential plugin the kubeconfig runs: the
// mlops binary (on PATH) with its eks-token command, which signs a fresh
// token in Go each time the client needs one (tokens last 15 minutes; a
// deploy can last longer). The command name is fixed rather than this
// process's path so the kubeconfig, kept in the provider's state, does
// not change from one run to the next.
const TokenCommand = "mlops"

// Credentials select what the EKS token is signed with: the deploy's own
// profile and role, so the Kubernetes half runs as the same principal.
type Credentials struct {
	Profile string
	RoleArn string
	// ExternalID and SessionName go with the AssumeRole of RoleArn.
	ExternalID, SessionName string
}

// Kubeconfig renders a kubeconfig for the cluster that authenticates with
// `mlops eks-token` (no aws CLI), so no long-lived token is stored
// anywhere. The endpoint is the one EKS reports: from inside the VPC it
// resolves to the private endpoint. caData is the base64 certificate
// authority EKS returns.
func Kubeconfig(cluster, endpoint, caData, region string, creds Credentials) (string, error) {
	ca, err := base64.StdEncoding.DecodeString(caData)
	if err != nil {
		return "", fmt.Errorf("kubeconfig of %s: the cluster's certificate authority is not base64: %w", cluster, err)
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[cluster] = &clientcmdapi.Cluster{Server: endpoint, CertificateAuthorityData: ca}
	cfg.AuthInfos[cluster] = &clientcmdapi.AuthInfo{Exec: &clientcmdapi.ExecConfig{
		APIVersion:      "client.authentication.k8s.io/v1beta1",
		Command:         TokenCommand,
		Args:            tokenArgs(cluster, region, creds),
		InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
	}}
	cfg.Contexts[cluster] = &clientcmdapi.Context{Cluster: cluster, AuthInfo: cluster}
	cfg.CurrentContext = cluster
	out, err := clientcmd.Write(*cfg)
	if err != nil {
		return "", fmt.Errorf("rendering kubeconfig of %s: %w", cluster, err)
	}
	return string(out), nil
}

// newProvider declares the Kubernetes provider of the cluster. opts carry
// the component's DependsOn (node groups, add-ons) so that no release is
// applied to a cluster without nodes.
func newProvider(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*kubernetes.Provider, error) {
	kubeconfig := pulumi.All(args.ClusterName, args.ClusterEndpoint, args.CertificateAuthority).ApplyT(
		func(v []any) (string, error) {
			return Kubeconfig(v[0].(string), v[1].(string), v[2].(string), args.Region, args.Credentials)
		}).(pulumi.StringOutput)
	prov, err := kubernetes.NewProvider(ctx, name+"-k8s", &kubernetes.ProviderArgs{
		Kubeconfig: kubeconfig,
		// Server-side apply lets the charts' controllers own their fields.
		EnableServerSideApply: pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring Kubernetes provider: %w", err)
	}
	return prov, nil
}

// tokenArgs are the arguments of `mlops eks-token` for the cluster.
func tokenArgs(cluster, region string, creds Credentials) []string {
	args := []string{"eks-token", "--cluster", cluster, "--region", region}
	if creds.RoleArn != "" {
		args = append(args, "--role-arn", creds.RoleArn)
		if creds.ExternalID != "" {
			args = append(args, "--external-id", creds.ExternalID)
		}
		if creds.SessionName != "" {
			args = append(args, "--session-name", creds.SessionName)
		}
	}
	if creds.Profile != "" {
		args = append(args, "--profile", creds.Profile)
	}
	return args
}
