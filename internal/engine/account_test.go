package engine

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestCloudControlCannotReadCertificates: AWS answers a Cloud Control read
// of an ACM certificate with UnsupportedActionException, whatever the
// certificate; so does the offline engine, so a program that reads one
// this way fails offline as it would on AWS.
func TestCloudControlCannotReadCertificates(t *testing.T) {
	_, ok, err := (&recorder{}).callAccount(pulumi.MockCallArgs{Token: typetoken.GetResource, Args: resource.NewPropertyMapFromMap(map[string]any{
		"typeName": "AWS::CertificateManager::Certificate", "identifier": CertificateArn,
	})})
	if !ok || err == nil || !strings.Contains(err.Error(), "UnsupportedActionException") {
		t.Fatalf("callAccount = ok %v, err %v; want UnsupportedActionException", ok, err)
	}
}
