package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// kubeconfigCommand is the command `mlops outputs` suggests for a
// kubeconfig of the stack's cluster.
func kubeconfigCommand(stackName string) string {
	return "mlops kubeconfig --stack " + stackName + " --file ~/.kube/config-" + stackName
}

// runKubeconfig writes (--file) or prints the kubeconfig of the stack's
// cluster, read from the AWS layer's outputs.
func runKubeconfig(ctx context.Context, s *session) error {
	outs, err := s.d.Outputs(ctx, layer.AWS)
	if errors.Is(err, deploy.ErrNoStack) {
		outs, err = nil, nil
	}
	if err != nil {
		return err
	}
	text, err := stackKubeconfig(s.r.Spec, outs)
	if err != nil {
		return fmt.Errorf("stack %s: %w (run mlops up --stack %s --layer aws)", s.o.Stack, err, s.o.Stack)
	}
	if s.o.File == "" {
		_, err := fmt.Fprint(s.env.Out, text)
		return err
	}
	// 0600: the file names the role and external ID the token assumes.
	if err := os.WriteFile(s.o.File, []byte(text), 0o600); err != nil {
		return fmt.Errorf("writing the kubeconfig: %w", err)
	}
	fmt.Fprintf(s.env.Err, "kubeconfig: wrote %s (context %s; tokens from mlops eks-token)\n", s.o.File, s.r.Spec.ClusterName)
	return nil
}

// stackKubeconfig renders the kubeconfig the cluster layer's Kubernetes
// provider uses (platform.Kubeconfig: `mlops eks-token` with the stack's
// profile, role, external ID and session name) from the AWS layer's
// outputs outs (infra.ClusterLayerOutput's endpoint and CA).
func stackKubeconfig(sp *spec.Spec, outs map[string]any) (string, error) {
	in, ok := outs[infra.ClusterLayerOutput].(map[string]any)
	if !ok {
		return "", fmt.Errorf("the AWS layer is not deployed (no %s output)", infra.ClusterLayerOutput)
	}
	vals := map[string]string{}
	for _, k := range []string{"clusterName", "clusterEndpoint", "certificateAuthority"} {
		v, _ := in[k].(string)
		if v == "" {
			return "", fmt.Errorf("the AWS layer's %s output has no %s", infra.ClusterLayerOutput, k)
		}
		vals[k] = v
	}
	o := stackAWSOptions(sp)
	creds := platform.Credentials{Profile: o.Profile, RoleArn: o.RoleArn, ExternalID: o.ExternalID, SessionName: o.SessionName}
	return platform.Kubeconfig(vals["clusterName"], vals["clusterEndpoint"], vals["certificateAuthority"], sp.Region, creds)
}
