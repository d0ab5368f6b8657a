package infra_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestLookupsFailBeforeCreation: what the spec names but does not create
// must exist in the account, checked by invokes at preview. The
// certificate is not among them: no invoke can read it (Cloud Control has
// no ACM read handler), so the CLI's deploy preflight reads it from ACM
// (internal/acmcheck, TestDeployChecksTheCertificateWithACM); a program
// with a certificate set makes no lookup of it.
func TestLookupsFailBeforeCreation(t *testing.T) {
	ghostCert := "arn:aws:acm:eu-west-1:" + engine.AccountID + ":certificate/11111111-2222-3333-4444-555555555555"
	cases := []struct {
		name, set, wantErr string
	}{
		{"existing certificate", "ingress.certificateArn=" + engine.CertificateArn, ""},
		{"certificate left to the CLI's preflight", "ingress.certificateArn=" + ghostCert, ""},
		{"admin role not in the account", "clusterAdminPrincipals=[arn:aws:iam::" + engine.AccountID + ":role/ghost]", "clusterAdminPrincipals[0]"},
		{"admin user not in the account", "clusterAdminPrincipals=[arn:aws:iam::" + engine.AccountID + ":user/bob]", "clusterAdminPrincipals[0]"},
		{"security group not in the region", "clusterEndpointPrivateAccessSecurityGroups=[sg-0aaaaaaaaaaaaaaaa]", "clusterEndpointPrivateAccessSecurityGroups[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacktest.Source("prod", tc.set).Evaluate(context.Background())
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
}
