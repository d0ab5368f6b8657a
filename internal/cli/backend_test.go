package cli

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// fakeAWS starts the local AWS endpoint and points the SDK's own
// configuration chain at it (AWS_ENDPOINT_URL, static test credentials,
// no profile files).
func fakeAWS(t *testing.T) *awsfake.Server {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": testSecretKey,
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	return srv
}

// testSecretKey is the fake's secret access key; no output may show it.
const testSecretKey = "fake-secret-access-key"

// TestBackendBootstrapCommand runs the command against the local S3/KMS
// endpoint through the SDK's own configuration chain (AWS_ENDPOINT_URL).
func TestBackendBootstrapCommand(t *testing.T) {
	fakeAWS(t)
	args := []string{"backend", "bootstrap", "--bucket", "acme-mlops-state", "--region", awsfake.Region}
	out, _, err := run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`s3 bucket acme-mlops-state +created`,
		`backend: +s3://acme-mlops-state/state\?region=eu-west-1`,
		`secrets provider: +awskms://alias/mlops-platform-state\?region=eu-west-1`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("first run output lacks %s:\n%s", want, out)
		}
	}
	out, _, err = run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "created") || strings.Count(out, "unchanged") != 9 {
		t.Errorf("second run is not a no-op:\n%s", out)
	}
}

func TestBackendBootstrapUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"backend", "bootstrap", "--region", "eu-west-1"},
		{"backend", "bootstrap", "--bucket", "acme-state"},
		{"backend", "bootstrap", "--bucket", "Acme", "--region", "eu-west-1"},
		{"backend", "bootstrap", "--bucket", "acme-state", "--region", "eu-west-1", "--kms-alias", "alias/aws/s3"},
		{"backend", "bootstrap", "--bucket", "acme-state", "--region", "eu-west-1", "-o", "yaml"},
	} {
		_, _, err := run(t, args...)
		var usage UsageError
		if !errors.As(err, &usage) || ExitCode(err) != ExitUsage {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}
