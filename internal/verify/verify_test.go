package verify_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"github.com/mlops-platform/mlops-platform/internal/verify"
	"github.com/mlops-platform/mlops-platform/internal/verify/verifytest"
)

// TestExpectReadsTheGraph checks the expectations are the program's, and
// that changing the graph changes them.
func TestExpectReadsTheGraph(t *testing.T) {
	e, err := verify.Expect(stacktest.Graph(t, "prod"))
	if err != nil {
		t.Fatal(err)
	}
	c := e.Cluster
	if c.Name != "mlops-platform-prod" || !c.PrivateEndpoint || c.PublicEndpoint || !c.SecretsKey || len(c.LogTypes) != 5 {
		t.Errorf("cluster %+v", c)
	}
	if len(e.NodeGroups) != 1 { // general; training and GPU capacity are Karpenter NodePools
		t.Fatalf("node groups %+v", e.NodeGroups)
	}
	for _, ng := range e.NodeGroups {
		if len(ng.Zones) != 3 || ng.Version != c.Version {
			t.Errorf("node group %+v: want 3 zones at %s", ng, c.Version)
		}
	}
	if len(e.Databases) != 1 || !e.Databases[0].MultiAZ || !e.Databases[0].DeletionProtection || e.Databases[0].BackupRetention < 7 {
		t.Errorf("databases %+v", e.Databases)
	}
	var artifacts *verify.BucketWant
	for i, b := range e.Buckets {
		if b.Logical == "artifacts" {
			artifacts = &e.Buckets[i]
		}
	}
	if artifacts == nil || artifacts.Prefix != "mlops-platform-prod-artifacts-" || !artifacts.Versioning || artifacts.SSE != "aws:kms" || !artifacts.PublicAccessBlock {
		t.Errorf("artifacts bucket %+v", artifacts)
	}
	g := stacktest.Graph(t, "prod").Clone()
	for i := range g.Resources {
		if g.Resources[i].Type == typetoken.Cluster {
			g.Resources[i].Inputs["vpcConfig"].(map[string]any)["endpointPublicAccess"] = true
		}
	}
	if e2, _ := verify.Expect(g); !e2.Cluster.PublicEndpoint {
		t.Error("a public endpoint in the graph is not expected")
	}
	live := e.InAccount("999988887777")
	for i, b := range live.Buckets {
		if b.Logical == "access-logs" && (b.Name != "mlops-platform-prod-access-logs-999988887777" || e.Buckets[i].Name != "mlops-platform-prod-access-logs-"+e.Account) {
			t.Errorf("access-log bucket in the live account %q (evaluated %q)", b.Name, e.Buckets[i].Name)
		}
	}
	dev, err := verify.Expect(stacktest.Graph(t, "dev"))
	if err != nil {
		t.Fatal(err)
	}
	if dev.Databases[0].MultiAZ == e.Databases[0].MultiAZ && dev.Databases[0].DeletionProtection == e.Databases[0].DeletionProtection {
		t.Errorf("dev's database expectations equal prod's: %+v", dev.Databases[0])
	}
}

// fixture is the hand-written prod account (verifytest.ProdAccount) on the
// local endpoint, and the expectations verify reads off prod's graph.
type fixture struct {
	srv  *awsfake.Server
	wait *awsfake.Backoffs
	e    *verify.Expected
	c    verify.Clients
	logs *bytes.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e, err := verify.Expect(stacktest.Graph(t, "prod"))
	if err != nil {
		t.Fatal(err)
	}
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	e = e.InAccount(awsfake.Account)
	wait := &awsfake.Backoffs{}
	cfg := srv.Config(awsclient.Options{Backoff: wait, AttemptTimeout: 300 * time.Millisecond})
	f := &fixture{srv: srv, wait: wait, e: e, c: verify.NewClients(cfg), logs: &bytes.Buffer{}}
	verifytest.DeployProd(t, srv, f.c.S3)
	return f
}

func (f *fixture) run() *verify.Report {
	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return verify.Run(context.Background(), f.c, "prod", f.e, log)
}

// TestDeployedAsDeclaredPasses: the account prod should be, written by
// hand, passes every check verify derives from prod's graph.
func TestDeployedAsDeclaredPasses(t *testing.T) {
	f := newFixture(t)
	rep := f.run()
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	// cluster 5 + node groups 3 each + add-ons 2 each + database 5 + log groups 2 each + a check per declared bucket setting.
	want := 5 + 3*len(f.e.NodeGroups) + 2*len(f.e.Addons) + 5 + 2*len(f.e.LogGroups)
	for _, b := range f.e.Buckets {
		want += btoi(b.Versioning) + btoi(b.SSE != "") + btoi(b.PublicAccessBlock)
	}
	if len(rep.Checks) != want {
		t.Errorf("%d checks, want %d", len(rep.Checks), want)
	}
	if strings.Contains(f.logs.String(), "fake-secret") || strings.Contains(f.logs.String(), "AKIDFAKE") {
		t.Errorf("credentials in the log:\n%s", f.logs)
	}
}

// TestAMisreadExpectationFails: were verify.Expect to misread the graph
// (a wrong field, a wrong default), the hand-written account would no
// longer pass, and the check names the resource.
func TestAMisreadExpectationFails(t *testing.T) {
	for _, tc := range []struct {
		name, resource string
		misread        func(e *verify.Expected)
	}{
		{"backup retention", "rds instance mlops-platform-prod-mlflow", func(e *verify.Expected) { e.Databases[0].BackupRetention = 1 }},
		{"node group maximum", "node group general-20261129000000", func(e *verify.Expected) { e.NodeGroups[0].Max = 12 }},
		{"log retention", "log group /aws/eks/mlops-platform-prod/cluster", func(e *verify.Expected) {
			for i := range e.LogGroups {
				if e.LogGroups[i].Name == "/aws/eks/mlops-platform-prod/cluster" {
					e.LogGroups[i].RetentionDays = 7
				}
			}
		}},
		{"public endpoint", "eks cluster mlops-platform-prod", func(e *verify.Expected) { e.Cluster.PublicEndpoint = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.misread(f.e)
			failed := f.run().Failed()
			if len(failed) != 1 || failed[0].Resource != tc.resource {
				t.Fatalf("failed checks %+v, want one on %s", failed, tc.resource)
			}
		})
	}
}

// TestDriftIsNamed changes one live setting behind the program's back;
// exactly the check of that guarantee fails, naming the resource.
func TestDriftIsNamed(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, resource, check, got string
		drift                      func(f *fixture)
	}{
		{"public endpoint", "eks cluster mlops-platform-prod", "endpoint public access", "true", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.EndpointPublicAccess = true })
		}},
		{"secrets unencrypted", "eks cluster mlops-platform-prod", "secrets encryption", "none", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.SecretsKeyARN = "" })
		}},
		{"audit log off", "eks cluster mlops-platform-prod", "control-plane logs", "api,authenticator,controllerManager,scheduler", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) {
				c.LogTypes = []string{"api", "authenticator", "controllerManager", "scheduler"}
			})
		}},
		{"node group in two zones", "node group general-20261129000000", "availability zones", "eu-west-1a,eu-west-1b", func(f *fixture) {
			f.srv.PutAutoScalingGroup(awsfake.AutoScalingGroup{Name: "eks-general-20261129000000", Min: 3, Max: 10, AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}})
		}},
		{"node group behind", "node group general-20261129000000", "kubernetes version", "1.34", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.Nodegroups["general-20261129000000"].Version = "1.34" })
		}},
		{"node group gone", "node group general", "exists", "not found", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { delete(c.Nodegroups, "general-20261129000000") })
		}},
		{"add-on version", "eks add-on coredns", "version", "v1.11.1-eksbuild.1", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.Addons["coredns"].Version = "v1.11.1-eksbuild.1" })
		}},
		{"container insights degraded", "eks add-on amazon-cloudwatch-observability", "Container Insights status", "DEGRADED", func(f *fixture) {
			f.srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.Addons[verify.ContainerInsightsAddon].Status = "DEGRADED" })
		}},
		{"single-AZ database", "rds instance mlops-platform-prod-mlflow", "multi-AZ", "false", func(f *fixture) {
			f.srv.EditDBInstance("mlops-platform-prod-mlflow", func(d *awsfake.DBInstance) { d.MultiAZ = false })
		}},
		{"backups shortened", "rds instance mlops-platform-prod-mlflow", "backup retention days", "1", func(f *fixture) {
			f.srv.EditDBInstance("mlops-platform-prod-mlflow", func(d *awsfake.DBInstance) { d.BackupRetention = 1 })
		}},
		{"deletion protection off", "rds instance mlops-platform-prod-mlflow", "deletion protection", "false", func(f *fixture) {
			f.srv.EditDBInstance("mlops-platform-prod-mlflow", func(d *awsfake.DBInstance) { d.DeletionProtection = false })
		}},
		{"database unencrypted", "rds instance mlops-platform-prod-mlflow", "storage encrypted", "false", func(f *fixture) {
			f.srv.EditDBInstance("mlops-platform-prod-mlflow", func(d *awsfake.DBInstance) { d.StorageEncrypted = false })
		}},
		{"versioning suspended", "s3 bucket mlops-platform-prod-artifacts-20261129", "versioning", "Suspended", func(f *fixture) {
			f.c.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("mlops-platform-prod-artifacts-20261129"),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}})
		}},
		{"public access unblocked", "s3 bucket mlops-platform-prod-artifacts-20261129", "public access block", "not blocked", func(f *fixture) {
			f.c.S3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("mlops-platform-prod-artifacts-20261129"),
				PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true)}})
		}},
		{"encryption downgraded", "s3 bucket mlops-platform-prod-artifacts-20261129", "default encryption", "AES256", func(f *fixture) {
			f.c.S3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("mlops-platform-prod-artifacts-20261129"),
				ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
		}},
		{"log retention", "log group /aws/eks/mlops-platform-prod/cluster", "retention days", "never expire", func(f *fixture) {
			f.srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/eks/mlops-platform-prod/cluster", KMSKeyID: verifytest.KeyARN})
		}},
		{"log group without key", "log group /aws/containerinsights/mlops-platform-prod/performance", "KMS key", "none", func(f *fixture) {
			f.srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/containerinsights/mlops-platform-prod/performance", RetentionDays: 30})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.drift(f)
			failed := f.run().Failed()
			if len(failed) != 1 {
				t.Fatalf("%d failed checks, want 1: %+v", len(failed), failed)
			}
			c := failed[0]
			if c.Status != verify.StatusDrift || c.Resource != tc.resource || c.Check != tc.check || c.Got != tc.got {
				t.Errorf("failed check %+v, want DRIFT %s %s got %s", c, tc.resource, tc.check, tc.got)
			}
		})
	}
}

// TestFaultInjectedRun throttles and breaks reads: throttling and 5xx are
// retried to a clean report; a read that keeps failing is an ERROR check
// naming the operation while every other guarantee is still checked.
func TestFaultInjectedRun(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail("DescribeCluster", awsfake.TooManyRequests, 3)
	f.srv.Fail("DescribeNodegroup", awsfake.ServiceUnavailable, 2)
	f.srv.Fail("DescribeDBInstances", awsfake.Throttling, 2)
	f.srv.Fail("DescribeLogGroups", awsfake.ThrottlingException, 4)
	f.srv.Fail("GetBucketEncryption", awsfake.S3SlowDown, 2)
	f.srv.Fail("DescribeAddon", awsfake.Fault{Delay: 2 * time.Second}, 1)
	if err := f.run().Err(); err != nil {
		t.Fatalf("retryable faults: %v", err)
	}
	if f.wait.Count() != 3+2+2+4+2+1 {
		t.Errorf("%d retries, want 14", f.wait.Count())
	}
	f.srv.Fail("DescribeDBInstances", awsfake.ServiceUnavailable, awsclient.MaxAttempts)
	rep := f.run()
	failed := rep.Failed()
	if len(failed) != 1 || failed[0].Status != verify.StatusError || failed[0].Resource != "rds instance mlops-platform-prod-mlflow" ||
		!strings.Contains(failed[0].Got, "DescribeDBInstances") || !strings.Contains(failed[0].Got, "ServiceUnavailableException") {
		t.Fatalf("failed checks %+v", failed)
	}
	if n := len(rep.Checks); n < 40 {
		t.Errorf("only %d checks after one failed read", n)
	}
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), "ERROR rds instance mlops-platform-prod-mlflow: read") {
		t.Errorf("error %v does not name the failed read", err)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
