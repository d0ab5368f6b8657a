package deploy

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"
)

// UnreachableError means the cluster's API endpoint did not answer from
// here, so the cluster layer cannot be deployed from this machine.
type UnreachableError struct {
	Endpoint string
	Env      string
	// Private is true when the endpoint is private only (prod).
	Private bool
	Err     error
}

func (e *UnreachableError) Error() string {
	how := "check that this network is admitted by clusterEndpointPublicAccessCidrs"
	if e.Private {
		how = "the endpoint is private: run `mlops up --stack " + e.Env + " --layer cluster` from inside the VPC " +
			"(the bastion: aws ssm start-session --target <bastionInstanceId from mlops outputs>), from a network in " +
			"clusterEndpointPrivateAccessCidrs, or from a runner in a security group of clusterEndpointPrivateAccessSecurityGroups"
	}
	return fmt.Sprintf("the cluster API endpoint %s is not reachable from here (%v): %s; the AWS layer is deployed, "+
		"so only the cluster layer is left", e.Endpoint, e.Err, how)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// CheckEndpoint dials the cluster's API endpoint (host:443) within
// timeout, so that an unreachable private endpoint fails at once with the
// way to reach it instead of hanging in the Kubernetes provider.
func CheckEndpoint(ctx context.Context, endpoint, env string, private bool, timeout time.Duration) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("cluster endpoint %q is not a URL", endpoint)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", host)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{Endpoint: endpoint, Env: env, Private: private, Err: err}
	}
	return conn.Close()
}
