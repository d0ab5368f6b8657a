package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/drift"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/verify/verifytest"
)

// TestDriftInjected: prod's AWS layer deployed through the real engine,
// the account on the local endpoint. Without drift, exit 0. Then a
// subnet's tag changed, the cluster's log retention shortened and the
// artifact bucket's versioning suspended, outside Pulumi: the refresh
// preview finds all three (the fake provider reads them back), verify
// the two guarantees (the tag is none of its), exit 9; a table and JSON
// for a scheduled job. With verify's reads failing and no drift, exit 1.
func TestDriftInjected(t *testing.T) {
	e := newEngineCLI(t)
	_, stderr, err := e.run("up", "--stack", "prod", "--layer", "aws", "--set", offlineCert, "--yes")
	wantCode(t, "up", err, ExitOK, stderr)

	srv := fakeProd(t)
	e.stackAWS = nil // the standard chain: AWS_ENDPOINT_URL is the local endpoint
	out, stderr, err := e.run("drift", "--stack", "prod")
	wantCode(t, "drift without drift", err, ExitOK, stderr+out)
	if !strings.Contains(out, "no drift") {
		t.Errorf("drift without drift:\n%s", out)
	}

	e.vars = map[string]string{"MLOPS_FAKE_AWS_DRIFT": `{` +
		`"aws:ec2/subnet:Subnet::network-alb-eu-west-1a":{"tags":{"kubernetes.io/role/internal-elb":"0"}},` +
		`"logs-cluster":{"retentionInDays":7},` +
		`"artifacts-versioning":{"versioningConfiguration":{"status":"Suspended"}}}`}
	srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/eks/mlops-platform-prod/cluster", RetentionDays: 7, KMSKeyID: verifytest.KeyARN})
	s3c := awsclient.S3(srv.Config(awsclient.Options{}))
	if _, err := s3c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String("mlops-platform-prod-artifacts-20261129"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}}); err != nil {
		t.Fatal(err)
	}
	out, stderr, err = e.run("drift", "--stack", "prod")
	wantCode(t, "drift", err, ExitDrift, stderr)
	t.Logf("mlops drift --stack prod: exit %d\n%s", ExitCode(err), out)
	golden(t, "drift-prod-table", out)

	out, stderr, err = e.run("drift", "--stack", "prod", "-o", "json")
	wantCode(t, "drift -o json", err, ExitDrift, stderr)
	var rep drift.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if !rep.Drift || rep.Resources() != 3 || rep.Refresh[0].Drifted[2].Diffs[0].Path != `tags["kubernetes.io/role/internal-elb"]` || rep.Guarantees() != 2 || len(rep.Errors) != 0 || len(rep.Refresh) != 2 ||
		rep.Refresh[1].Status != drift.NotDeployed {
		t.Errorf("report: %s", out)
	}

	e.vars = nil
	srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/eks/mlops-platform-prod/cluster", RetentionDays: 30, KMSKeyID: verifytest.KeyARN})
	if _, err := s3c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String("mlops-platform-prod-artifacts-20261129"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	srv.Fail("DescribeDBInstances", awsfake.ServiceUnavailable, 100)
	out, stderr, err = e.run("drift", "--stack", "prod")
	wantCode(t, "drift with an unreadable database", err, ExitError, stderr+out)
	if !strings.Contains(out, "could not check: verify: rds instance mlops-platform-prod-mlflow: read") {
		t.Errorf("drift with an unreadable database:\n%s", out)
	}
}
