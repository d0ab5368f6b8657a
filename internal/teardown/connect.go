package teardown

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/transport"

	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
)

// ClusterAccess reads what a Go client needs from the AWS layer's
// outputs: the endpoint, its certificate authority and the cluster name.
func ClusterAccess(outs map[string]any, awsStack string) (endpoint string, ca []byte, cluster string, err error) {
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

// Connect connects to the cluster the AWS layer's outputs name as the
// caller's AWS identity (an EKS token signed in Go), through proxyURL
// when it is not empty; out receives the teardown's steps.
func Connect(ctx context.Context, outs map[string]any, awsStack string, cfg aws.Config, proxyURL string, out io.Writer) (*Cluster, error) {
	endpoint, ca, cluster, err := ClusterAccess(outs, awsStack)
	if err != nil {
		return nil, err
	}
	rc := &rest.Config{Host: endpoint, TLSClientConfig: rest.TLSClientConfig{CAData: ca},
		WrapTransport: transport.TokenSourceWrapTransport(ekstoken.TokenSource(ctx, cfg, cluster))}
	if proxyURL != "" {
		u, err := url.Parse(proxyURL)
		if err != nil {
			// The URL carries the proxy's token: neither it nor the parser's
			// message (which quotes it) is printed.
			return nil, fmt.Errorf("the tunnel proxy's URL does not parse")
		}
		rc.Proxy = http.ProxyURL(u)
	}
	return New(rc, Options{Out: out})
}
