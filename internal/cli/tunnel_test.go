package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
)

// TestTunnelNeedsTheSessionDocument (review N11): --tunnel runs only the
// stack's own session document, so a stack deployed before it existed
// (a bastion but no bastionTunnelDocument output) is told to run the AWS
// layer first, before any AWS call; it never falls back to AWS's
// any-host document.
func TestTunnelNeedsTheSessionDocument(t *testing.T) {
	s := &session{d: &deploy.Deployer{}, o: DeployOptions{StackOptions: StackOptions{Stack: "prod"}, Tunnel: true}}
	_, err := s.openTunnel(context.Background(), map[string]any{"bastionInstanceId": "i-0123456789abcdef0"},
		"https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com")
	if err == nil || !strings.Contains(err.Error(), "exports no bastionTunnelDocument") ||
		!strings.Contains(err.Error(), "mlops up --stack prod --layer aws") {
		t.Errorf("--tunnel on a stack without the document: %v", err)
	}
}
