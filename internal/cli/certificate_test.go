package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// offlineCertArn is offlineCert's ARN.
var offlineCertArn = strings.TrimPrefix(offlineCert, "ingress.certificateArn=")

// fakeACM is a fake AWS endpoint holding offlineCert with status and
// names, and an Env.StackAWS that points the commands at it.
func fakeACM(t *testing.T, status string, names ...string) (*awsfake.Server, func(context.Context, ekstoken.Options) (aws.Config, error)) {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	srv.PutCertificate(awsfake.Certificate{Arn: offlineCertArn, DomainName: names[0], SubjectAlternativeNames: names,
		Status: status, NotAfter: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)})
	srv.OfferAddonPins(spec.AddonVersions) // the add-on preflight's answers
	return srv, func(context.Context, ekstoken.Options) (aws.Config, error) {
		return srv.Config(awsclient.Options{}), nil
	}
}

// TestDeployChecksTheCertificateWithACM: preview and up read the
// certificate with DescribeCertificate before any engine runs, and refuse
// one that is not issued or does not cover *.<kserveIngressDomain>.
func TestDeployChecksTheCertificateWithACM(t *testing.T) {
	cases := []struct {
		name, status string
		names        []string
		want         string // in the error; "" when the check passes
	}{
		{"issued and covering", "ISSUED", []string{"inference.example.com", "*.inference.example.com"}, ""},
		{"pending validation", "PENDING_VALIDATION", []string{"*.inference.example.com"}, "PENDING_VALIDATION"},
		{"another domain", "ISSUED", []string{"*.example.org"}, "does not cover *.inference.example.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, load := fakeACM(t, c.status, c.names...)
			var out, errOut bytes.Buffer
			dir := t.TempDir()
			env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return testNow },
				StackAWS: load,
				Deployment: func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
					// No Pulumi CLI: a passing check ends at deploy.New.
					return deploy.Options{Env: r.Stack, Backend: "file://" + filepath.Join(dir, "state"),
						Pulumi: filepath.Join(dir, "bin", "pulumi"), WorkDir: filepath.Join(dir, "work")}, nil
				}}
			err := Run(context.Background(), env, []string{"preview", "--stack", "prod", "--set", offlineCert, "--dir", repoRoot()})
			if n := srv.Calls("DescribeCertificate"); n != 1 {
				t.Fatalf("DescribeCertificate called %d times, want 1 (err %v)", n, err)
			}
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("want a refusal containing %q, got %v", c.want, err)
				}
				return
			}
			if !strings.Contains(errOut.String(), "certificate: "+offlineCertArn+" is issued") {
				t.Errorf("no passing certificate line:\n%s", errOut.String())
			}
			if err == nil || !strings.Contains(err.Error(), "pulumi CLI") {
				t.Errorf("want the run to reach deploy.New, got %v", err)
			}
		})
	}
}
