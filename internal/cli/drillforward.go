package cli

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/drill"
	infrabastion "github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/tunnel"
)

// drillForward is the drill's Forwarder through the bastion: a second
// Session Manager port-forwarding session to the restored instance's
// endpoint, carried by session-manager-plugin on a loopback port. It runs
// the platform's drill document, which forwards only to the database port
// of a restored drill instance (review N11).
func drillForward(cfg aws.Config, sp *spec.Spec, bastion string, log *slog.Logger) drill.Forwarder {
	return func(ctx context.Context, host string, port int) (string, func(), error) {
		tun, err := tunnel.Open(ctx, ssm.NewFromConfig(awsclient.Apply(cfg, awsclient.Options{})), tunnel.Options{
			Target: bastion, Host: host, Port: port, Region: sp.Region, Profile: sp.AWS.Profile,
			Document: infrabastion.DrillDocumentName(sp.ClusterName), HostParameter: true,
			Log: log.With("component", "drill-forward"),
		})
		if err != nil {
			return "", nil, err
		}
		return tun.Local, func() { _ = tun.Close() }, nil
	}
}
