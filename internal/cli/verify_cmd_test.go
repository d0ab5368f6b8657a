package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/verify"
	"github.com/mlops-platform/mlops-platform/internal/verify/verifytest"
)

// fakeProd starts the local endpoint with the hand-written prod account
// (verifytest.ProdAccount).
func fakeProd(t *testing.T) *awsfake.Server {
	t.Helper()
	srv := fakeAWS(t)
	verifytest.DeployProd(t, srv, awsclient.S3(srv.Config(awsclient.Options{})))
	return srv
}

// runAWS runs mlops with a millisecond retry backoff and a short attempt
// timeout.
func runAWS(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return testNow },
		AWS: awsclient.Options{Backoff: &awsfake.Backoffs{}, AttemptTimeout: 500 * time.Millisecond}}
	err := Run(context.Background(), env, append(args, "--dir", repoRoot()))
	if strings.Contains(out.String()+errOut.String(), testSecretKey) {
		t.Errorf("the secret access key is in the output")
	}
	return out.String(), errOut.String(), err
}

// TestVerifyGolden pins verify's table and JSON against the local
// endpoint: as deployed, drifted, and with injected faults.
func TestVerifyGolden(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		setup func(srv *awsfake.Server)
		code  int
	}{
		{"verify-prod-table", nil, nil, ExitOK},
		{"verify-prod-json", []string{"-o", "json"}, nil, ExitOK},
		{"verify-prod-drift-table", nil, func(srv *awsfake.Server) {
			srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) {
				c.EndpointPublicAccess = true
				c.Nodegroups["general-20261129000000"].Version = "1.34"
			})
			srv.EditDBInstance("mlops-platform-prod-mlflow", func(d *awsfake.DBInstance) { d.MultiAZ, d.DeletionProtection = false, false })
		}, ExitDrift},
		{"verify-prod-faults-table", nil, func(srv *awsfake.Server) {
			srv.Fail("DescribeCluster", awsfake.TooManyRequests, 3)
			srv.Fail("DescribeLogGroups", awsfake.ThrottlingException, 2)
			srv.Fail("DescribeNodegroup", awsfake.Fault{Delay: 3 * time.Second}, 1)
			srv.Fail("DescribeDBInstances", awsfake.ServiceUnavailable, awsclient.MaxAttempts)
		}, ExitDrift},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeProd(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			out, _, err := runAWS(t, append([]string{"verify", "--stack", "prod"}, tc.args...)...)
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d", code, err, tc.code)
			}
			golden(t, tc.name, out)
		})
	}
}

func TestVerifyErrorNamesEachDrift(t *testing.T) {
	srv := fakeProd(t)
	srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.SecretsKeyARN = "" })
	srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/eks/mlops-platform-prod/cluster", RetentionDays: 7, KMSKeyID: verifytest.KeyARN})
	_, _, err := runAWS(t, "verify", "--stack", "prod")
	var drift *verify.DriftError
	if !errors.As(err, &drift) || len(drift.Checks) != 2 {
		t.Fatalf("error %v, want a drift error with 2 checks", err)
	}
	for _, want := range []string{
		"DRIFT eks cluster mlops-platform-prod: secrets encryption: want KMS key, got none",
		"DRIFT log group /aws/eks/mlops-platform-prod/cluster: retention days: want 30, got 7",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestVerifyUsageAndTimeout(t *testing.T) {
	for _, args := range [][]string{{"verify"}, {"verify", "--stack", "prod", "-o", "yaml"}, {"verify", "--stack", "prod", "--timeout", "0s"}} {
		if _, _, err := run(t, args...); ExitCode(err) != ExitUsage {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	srv := fakeProd(t)
	srv.Fail("DescribeCluster", awsfake.Fault{Delay: 10 * time.Second}, awsclient.MaxAttempts)
	_, _, err := runAWS(t, "verify", "--stack", "prod", "--timeout", "1s")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "raise --timeout") {
		t.Errorf("a hung endpoint: %v, want the deadline named", err)
	}
}
