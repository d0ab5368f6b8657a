package cli

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// TestStackKubeconfig: the kubeconfig is built from the AWS layer's
// outputs (endpoint, CA) and parses with client-go's clientcmd; its user
// runs `mlops eks-token` with the stack's region, role, external ID,
// session name and profile, as the cluster layer's provider does.
func TestStackKubeconfig(t *testing.T) {
	const endpoint = "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
	ca := []byte("-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n")
	outs := map[string]any{infra.ClusterLayerOutput: map[string]any{
		"clusterName": "mlops-platform-prod", "clusterEndpoint": endpoint,
		"certificateAuthority": base64.StdEncoding.EncodeToString(ca), "vpcId": "vpc-1",
	}}
	cases := []struct {
		name string
		sets []string
		args []string
	}{
		{"ambient credentials", nil, []string{"eks-token", "--cluster", "mlops-platform-prod", "--region", "eu-west-1"}},
		{"profile", []string{"aws.profile=platform"},
			[]string{"eks-token", "--cluster", "mlops-platform-prod", "--region", "eu-west-1", "--profile", "platform"}},
		{"role with external ID", []string{"aws.assumeRoleArn=" + prodRole, "aws.assumeRoleExternalId=" + prodExternalID},
			[]string{"eks-token", "--cluster", "mlops-platform-prod", "--region", "eu-west-1", "--role-arn", prodRole,
				"--external-id", prodExternalID, "--session-name", "mlops-platform-prod-deploy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := stack.Source{Dir: repoRoot(), Stack: "prod", Sets: c.sets, Now: testNow}.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			text, err := stackKubeconfig(r.Spec, outs)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := clientcmd.Load([]byte(text))
			if err != nil {
				t.Fatalf("clientcmd: %v\n%s", err, text)
			}
			cl := cfg.Clusters["mlops-platform-prod"]
			if cl == nil || cl.Server != endpoint || string(cl.CertificateAuthorityData) != string(ca) {
				t.Fatalf("cluster %+v", cl)
			}
			if cx := cfg.Contexts[cfg.CurrentContext]; cx == nil || cx.Cluster != "mlops-platform-prod" {
				t.Fatalf("current context %q: %+v", cfg.CurrentContext, cx)
			}
			u := cfg.AuthInfos[cfg.Contexts[cfg.CurrentContext].AuthInfo]
			if u == nil || u.Exec == nil || u.Exec.Command != "mlops" || !slices.Equal(u.Exec.Args, c.args) {
				t.Fatalf("user %+v, want exec mlops %v", u, c.args)
			}
		})
	}
}

// TestStackKubeconfigNeedsTheAWSLayer: without the AWS layer's outputs, or
// with one missing, the error names what is missing.
func TestStackKubeconfigNeedsTheAWSLayer(t *testing.T) {
	r, err := stack.Source{Dir: repoRoot(), Stack: "prod", Now: testNow}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		outs map[string]any
		want string
	}{
		{"not deployed", nil, "AWS layer is not deployed"},
		{"no endpoint", map[string]any{infra.ClusterLayerOutput: map[string]any{"clusterName": "c", "certificateAuthority": "Q0E="}}, "no clusterEndpoint"},
	}
	for _, c := range cases {
		if _, err := stackKubeconfig(r.Spec, c.outs); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
}
