package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/tunnel"
)

// openTunnel opens, once per command, the SSM tunnel through the bastion
// to the cluster's endpoint and a local proxy into it, and points the
// engine's processes (the Kubernetes provider, `mlops eks-token`) at the
// proxy; it returns the tunnel's local address for the endpoint check.
// The kubeconfig is unchanged: clients dial the endpoint by its name.
func (s *session) openTunnel(ctx context.Context, outs map[string]any, endpoint string) (string, error) {
	if s.tun != nil {
		return s.tun.Local, nil
	}
	target, _ := outs["bastionInstanceId"].(string)
	if target == "" {
		return "", fmt.Errorf("--tunnel goes through the bastion, and stack %s exports no bastionInstanceId: set bastion.enabled=true "+
			"and run %s, or run the cluster layer from inside the VPC", s.d.StackName(layer.AWS), s.command("up", layer.AWS))
	}
	document, _ := outs["bastionTunnelDocument"].(string)
	if document == "" {
		return "", fmt.Errorf("--tunnel runs the platform's session document, and stack %s exports no bastionTunnelDocument: run %s "+
			"to create it (stacks deployed before it existed lack it)", s.d.StackName(layer.AWS), s.command("up", layer.AWS))
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("cluster endpoint %q is not a URL", endpoint)
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	sp := s.r.Spec
	cfg, err := s.env.stackAWSConfig(ctx, sp)
	if err != nil {
		return "", err
	}
	portNum, err := strconv.Atoi(port)
	if err != nil {
		return "", fmt.Errorf("cluster endpoint %q: port %q is not a number", endpoint, port)
	}
	tun, err := tunnel.Open(ctx, ssm.NewFromConfig(awsclient.Apply(cfg, awsclient.Options{})), tunnel.Options{
		Target: target, Host: u.Hostname(), Port: portNum, Document: document, Region: sp.Region, Profile: sp.AWS.Profile,
		Log: slog.Default().With("component", "tunnel"),
	})
	if err != nil {
		return "", err
	}
	proxy, err := tunnel.NewProxy(map[string]string{net.JoinHostPort(u.Hostname(), port): tun.Local})
	if err != nil {
		_ = tun.Close()
		return "", err
	}
	s.tun, s.proxy = tun, proxy
	s.d.SetVars(map[string]string{"HTTPS_PROXY": proxy.URL, "https_proxy": proxy.URL})
	fmt.Fprintf(s.env.Err, "tunnel: SSM session %s through bastion %s to %s; the cluster layer connects through %s\n",
		tun.SessionID, target, u.Host, proxy.Addr)
	return tun.Local, nil
}

// close ends the tunnel and its proxy, if any.
func (s *session) close() {
	if s.proxy != nil {
		_ = s.proxy.Close()
	}
	if s.tun != nil {
		if err := s.tun.Close(); err != nil {
			fmt.Fprintln(s.env.Err, "warning:", err)
		}
	}
}
