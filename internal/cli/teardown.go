package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/transport"

	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/teardown"
)

// teardownNotice is said before a destroy of the cluster layer is
// approved: what goes first, and why.
const teardownNotice = "Before the cluster layer, the destroy deletes every InferenceService, Ingress and LoadBalancer Service " +
	"(their load balancers would keep the VPC in use), and after it waits for the EBS CSI driver to delete the volumes."

// clusterAccess reads what a Go client needs from the AWS layer's
// outputs: the endpoint, its certificate authority and the cluster name.
func clusterAccess(outs map[string]any, awsStack string) (endpoint string, ca []byte, cluster string, err error) {
	m, _ := outs["clusterLayer"].(map[string]any)
	endpoint, _ = m["clusterEndpoint"].(string)
	caData, _ := m["certificateAuthority"].(string)
	cluster, _ = m["clusterName"].(string)
	if endpoint == "" || caData == "" || cluster == "" {
		return "", nil, "", fmt.Errorf("stack %s lacks clusterLayer.clusterEndpoint, certificateAuthority or clusterName: "+
			"re-run the AWS layer (mlops up --layer aws)", awsStack)
	}
	ca, err = base64.StdEncoding.DecodeString(caData)
	if err != nil {
		return "", nil, "", fmt.Errorf("stack %s: clusterLayer.certificateAuthority is not base64: %w", awsStack, err)
	}
	return endpoint, ca, cluster, nil
}

// teardown connects to the cluster as the deployer (an EKS token signed in
// Go, through the tunnel's proxy when there is one).
func (s *session) teardown(ctx context.Context) (*teardown.Cluster, error) {
	outs, err := s.d.Outputs(ctx, layer.AWS)
	if err != nil {
		return nil, err
	}
	endpoint, ca, cluster, err := clusterAccess(outs, s.d.StackName(layer.AWS))
	if err != nil {
		return nil, err
	}
	sp := s.r.Spec
	cfg, err := s.env.stackAWSConfig(ctx, sp)
	if err != nil {
		return nil, err
	}
	rc := &rest.Config{Host: endpoint, TLSClientConfig: rest.TLSClientConfig{CAData: ca},
		WrapTransport: transport.TokenSourceWrapTransport(ekstoken.TokenSource(ctx, cfg, cluster))}
	if s.proxy != nil {
		u, err := url.Parse(s.proxy.URL)
		if err != nil {
			return nil, fmt.Errorf("tunnel proxy %q: %w", s.proxy.Addr, err)
		}
		rc.Proxy = http.ProxyURL(u)
	}
	return teardown.New(rc, teardown.Options{Out: s.env.Err})
}
