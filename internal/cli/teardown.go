package cli

import (
	"context"

	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/teardown"
)

// teardownNotice is said before a destroy of the cluster layer is
// approved: what goes first, and why.
const teardownNotice = "Before the cluster layer, the destroy deletes every InferenceService, Ingress and LoadBalancer Service " +
	"(their load balancers would keep the VPC in use), and after it waits for the EBS CSI driver to delete the volumes."

// teardown connects to the cluster as the deployer (an EKS token signed in
// Go, through the tunnel's proxy when there is one).
func (s *session) teardown(ctx context.Context) (*teardown.Cluster, error) {
	outs, err := s.d.Outputs(ctx, layer.AWS)
	if err != nil {
		return nil, err
	}
	cfg, err := s.env.stackAWSConfig(ctx, s.r.Spec)
	if err != nil {
		return nil, err
	}
	proxy := ""
	if s.proxy != nil {
		proxy = s.proxy.URL
	}
	return teardown.Connect(ctx, outs, s.d.StackName(layer.AWS), cfg, proxy, s.env.Err)
}
