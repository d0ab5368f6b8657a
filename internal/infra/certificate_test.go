package infra_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestCertificateIsNotReadThroughCloudControl: prod with a certificate
// evaluates, although the offline engine, like AWS, refuses a Cloud
// Control read of an ACM certificate (UnsupportedActionException). The
// certificate is checked by the CLI's preflight with ACM instead
// (internal/acmcheck); the listeners still carry it.
func TestCertificateIsNotReadThroughCloudControl(t *testing.T) {
	g := stacktest.Evaluate(t, "prod", "ingress.certificateArn="+engine.CertificateArn)
	found := false
	for _, r := range g.ByType(typetoken.Ingress) {
		if a, ok := r.Input("metadata.annotations"); ok {
			if m, _ := a.(map[string]any); m["alb.ingress.kubernetes.io/certificate-arn"] == engine.CertificateArn {
				found = true
			}
		}
	}
	if !found {
		t.Error("no ALB Ingress carries the certificate")
	}
}
