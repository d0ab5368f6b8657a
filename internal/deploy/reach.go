package deploy

import (
	"context"
	"crypto/tls"
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
	// Via is the tunnel's local address, when the check went through one.
	Via string
	Err error
}

func (e *UnreachableError) Error() string {
	how := "check that this network is admitted by clusterEndpointPublicAccessCidrs"
	if e.Private {
		how = "the endpoint is private; reach it one of two ways: add --tunnel (mlops opens an SSM port-forwarding " +
			"session through the bastion, bastion.enabled=true, and needs AWS's session-manager-plugin on PATH), or run " +
			"`mlops up --stack " + e.Env + " --layer cluster` from inside the VPC: a runner in a network of " +
			"clusterEndpointPrivateAccessCidrs or a security group of clusterEndpointPrivateAccessSecurityGroups"
	}
	if e.Via != "" {
		how = "the SSM tunnel through the bastion (" + e.Via + ") is open but the endpoint did not answer through it: " +
			"check that the bastion's security group is admitted to the endpoint and that its SSM agent is online " +
			"(aws ssm describe-instance-information)"
	}
	return fmt.Sprintf("the cluster API endpoint %s is not reachable from here (%v): %s; the AWS layer is deployed, "+
		"so only the cluster layer is left", e.Endpoint, e.Err, how)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// CheckEndpoint dials the cluster's API endpoint (host:443) within
// timeout, so that an unreachable private endpoint fails at once with the
// way to reach it instead of hanging in the Kubernetes provider.
func CheckEndpoint(ctx context.Context, endpoint, env string, private bool, timeout time.Duration) error {
	return CheckEndpointVia(ctx, endpoint, "", env, private, timeout)
}

// CheckEndpointVia checks the endpoint through a tunnel's local address
// via (empty: directly). Through a tunnel a TCP connection proves only the
// local end, so it completes a TLS handshake naming the endpoint's host,
// which needs the far end: the bastion's session to the endpoint.
func CheckEndpointVia(ctx context.Context, endpoint, via, env string, private bool, timeout time.Duration) error {
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
	addr := host
	if via != "" {
		addr = via
	}
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err == nil && via != "" {
		// The certificate is the cluster's own CA's; the handshake is the
		// check, the kubeconfig's client verifies it.
		tc := tls.Client(conn, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true}) //nolint:gosec
		err = tc.HandshakeContext(dctx)
		conn = tc
	}
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{Endpoint: endpoint, Env: env, Private: private, Via: via, Err: err}
	}
	return conn.Close()
}
