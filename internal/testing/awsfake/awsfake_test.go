package awsfake_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

type clients struct {
	srv  *awsfake.Server
	wait *awsfake.Backoffs
	eks  *eks.Client
	rds  *rds.Client
	asg  *autoscaling.Client
	logs *cloudwatchlogs.Client
	s3   *s3.Client
}

func newClients(t *testing.T, attempt time.Duration) *clients {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	wait := &awsfake.Backoffs{}
	cfg := srv.Config(awsclient.Options{Backoff: wait, AttemptTimeout: attempt})
	srv.PutCluster(awsfake.Cluster{
		Name: "c1", Version: "1.35", EndpointPrivateAccess: true, SecretsKeyARN: "arn:aws:kms:eu-west-1:111122223333:key/k",
		LogTypes: []string{"api", "audit"},
		Nodegroups: map[string]*awsfake.Nodegroup{"general-1": {
			Name: "general-1", Version: "1.34", ReleaseVersion: "1.34.1-20260101", Min: 3, Max: 10, Desired: 3,
			Subnets: []string{"subnet-a", "subnet-b"}, AutoScalingGroup: "eks-general-1",
		}},
		Addons:   map[string]*awsfake.Addon{"coredns": {Name: "coredns", Version: "v1.13.2-eksbuild.4"}},
		Insights: []awsfake.Insight{{ID: "i-1", Name: "Deprecated APIs", KubernetesVersion: "1.36", Status: "ERROR", Reason: "uses v1beta1", Recommendation: "migrate"}},
	})
	srv.PutDBInstance(awsfake.DBInstance{ID: "db1", Class: "db.t3.medium", Engine: "postgres", EngineVersion: "17.4",
		MultiAZ: true, BackupRetention: 7, DeletionProtection: true, StorageEncrypted: true, KMSKeyID: "arn:k",
		LatestRestorableTime: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), SubnetGroup: "sg1", Address: "db1.local", Port: 5432})
	srv.PutAutoScalingGroup(awsfake.AutoScalingGroup{Name: "eks-general-1", Min: 3, Max: 10, Desired: 3, AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"}})
	srv.PutLogGroup(awsfake.LogGroup{Name: "/aws/eks/c1/cluster", RetentionDays: 30, KMSKeyID: "arn:k"})
	srv.PutLogGroup(awsfake.LogGroup{Name: "/other"})
	return &clients{srv: srv, wait: wait, eks: eks.NewFromConfig(cfg), rds: rds.NewFromConfig(cfg),
		asg: autoscaling.NewFromConfig(cfg), logs: cloudwatchlogs.NewFromConfig(cfg), s3: awsclient.S3(cfg)}
}

// TestSDKParsesEveryAnswer calls each operation through the real SDK
// clients and checks the decoded values: a wrong path, member name or
// envelope fails here.
func TestSDKParsesEveryAnswer(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	cl, err := c.eks.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("c1")})
	if err != nil {
		t.Fatal(err)
	}
	if v := cl.Cluster; aws.ToString(v.Version) != "1.35" || !v.ResourcesVpcConfig.EndpointPrivateAccess || v.ResourcesVpcConfig.EndpointPublicAccess ||
		v.Status != ekstypes.ClusterStatusActive || len(v.EncryptionConfig) != 1 || aws.ToString(v.EncryptionConfig[0].Provider.KeyArn) == "" ||
		!slices.Equal(v.Logging.ClusterLogging[0].Types, []ekstypes.LogType{"api", "audit"}) {
		t.Errorf("cluster %+v", v)
	}
	ngs, err := c.eks.ListNodegroups(ctx, &eks.ListNodegroupsInput{ClusterName: aws.String("c1")})
	if err != nil || !slices.Equal(ngs.Nodegroups, []string{"general-1"}) {
		t.Fatalf("node groups %v %v", ngs, err)
	}
	ng, err := c.eks.DescribeNodegroup(ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String("c1"), NodegroupName: aws.String("general-1")})
	if err != nil {
		t.Fatal(err)
	}
	if v := ng.Nodegroup; aws.ToString(v.Version) != "1.34" || aws.ToInt32(v.ScalingConfig.MinSize) != 3 ||
		aws.ToString(v.Resources.AutoScalingGroups[0].Name) != "eks-general-1" || len(v.Subnets) != 2 {
		t.Errorf("node group %+v", v)
	}
	ad, err := c.eks.DescribeAddon(ctx, &eks.DescribeAddonInput{ClusterName: aws.String("c1"), AddonName: aws.String("coredns")})
	if err != nil || aws.ToString(ad.Addon.AddonVersion) != "v1.13.2-eksbuild.4" || ad.Addon.Status != ekstypes.AddonStatusActive {
		t.Errorf("addon %+v %v", ad, err)
	}
	ads, err := c.eks.ListAddons(ctx, &eks.ListAddonsInput{ClusterName: aws.String("c1")})
	if err != nil || !slices.Equal(ads.Addons, []string{"coredns"}) {
		t.Errorf("addons %+v %v", ads, err)
	}
	ins, err := c.eks.ListInsights(ctx, &eks.ListInsightsInput{ClusterName: aws.String("c1")})
	if err != nil || len(ins.Insights) != 1 || ins.Insights[0].InsightStatus.Status != ekstypes.InsightStatusValueError {
		t.Fatalf("insights %+v %v", ins, err)
	}
	in, err := c.eks.DescribeInsight(ctx, &eks.DescribeInsightInput{ClusterName: aws.String("c1"), Id: aws.String("i-1")})
	if err != nil || aws.ToString(in.Insight.Recommendation) != "migrate" {
		t.Errorf("insight %+v %v", in, err)
	}
	db, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("db1")})
	if err != nil {
		t.Fatal(err)
	}
	if v := db.DBInstances[0]; !aws.ToBool(v.MultiAZ) || aws.ToInt32(v.BackupRetentionPeriod) != 7 || !aws.ToBool(v.DeletionProtection) ||
		!aws.ToBool(v.StorageEncrypted) || aws.ToString(v.DBSubnetGroup.DBSubnetGroupName) != "sg1" ||
		!aws.ToTime(v.LatestRestorableTime).Equal(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)) || aws.ToInt32(v.Endpoint.Port) != 5432 {
		t.Errorf("db instance %+v", v)
	}
	asg, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"eks-general-1"}})
	if err != nil || len(asg.AutoScalingGroups) != 1 || !slices.Equal(asg.AutoScalingGroups[0].AvailabilityZones, []string{"eu-west-1a", "eu-west-1b"}) {
		t.Errorf("auto scaling groups %+v %v", asg, err)
	}
	lg, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/eks/")})
	if err != nil || len(lg.LogGroups) != 1 || aws.ToInt32(lg.LogGroups[0].RetentionInDays) != 30 || aws.ToString(lg.LogGroups[0].KmsKeyId) != "arn:k" {
		t.Errorf("log groups %+v %v", lg, err)
	}
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mlops-artifacts-x")}); err != nil {
		t.Fatal(err)
	}
	id, err := sts.NewFromConfig(c.srv.Config(awsclient.Options{})).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != awsfake.Account {
		t.Errorf("caller identity %+v %v", id, err)
	}
	lb, err := c.s3.ListBuckets(ctx, &s3.ListBucketsInput{Prefix: aws.String("mlops-")})
	if err != nil || len(lb.Buckets) != 1 || aws.ToString(lb.Buckets[0].Name) != "mlops-artifacts-x" {
		t.Errorf("buckets %+v %v", lb, err)
	}
}

// TestModelledErrors checks that not-found answers decode as the SDK's
// typed errors.
func TestModelledErrors(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	_, err := c.eks.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("nope")})
	var rnf *ekstypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("eks: %v, want ResourceNotFoundException", err)
	}
	_, err = c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("nope")})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "DBInstanceNotFound" {
		t.Errorf("rds: %v, want DBInstanceNotFound", err)
	}
}

// TestFaultsAreRetried injects each service's throttle or server error
// and checks the SDK's standard retryer (awsclient) waits it out.
func TestFaultsAreRetried(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		op    string
		fault awsfake.Fault
		call  func(c *clients) error
	}{
		{"DescribeCluster", awsfake.TooManyRequests, func(c *clients) error {
			_, err := c.eks.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("c1")})
			return err
		}},
		{"DescribeNodegroup", awsfake.ServiceUnavailable, func(c *clients) error {
			_, err := c.eks.DescribeNodegroup(ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String("c1"), NodegroupName: aws.String("general-1")})
			return err
		}},
		{"DescribeDBInstances", awsfake.Throttling, func(c *clients) error {
			_, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
			return err
		}},
		{"DescribeAutoScalingGroups", awsfake.Fault{Status: http.StatusInternalServerError, Code: "InternalFailure"}, func(c *clients) error {
			_, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
			return err
		}},
		{"DescribeLogGroups", awsfake.ThrottlingException, func(c *clients) error {
			_, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
			return err
		}},
		{"ListBuckets", awsfake.S3SlowDown, func(c *clients) error {
			_, err := c.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			c := newClients(t, 0)
			c.srv.Fail(tc.op, tc.fault, 3)
			if err := tc.call(c); err != nil {
				t.Fatalf("after 3 faults: %v", err)
			}
			if c.srv.Calls(tc.op) != 4 || c.wait.Count() != 3 {
				t.Errorf("%d calls, %d retries; want 4 and 3", c.srv.Calls(tc.op), c.wait.Count())
			}
			// The record says which answers were injected (an IAM replay
			// skips those).
			var injected []string
			for _, r := range c.srv.Requests() {
				if r.Op == tc.op {
					injected = append(injected, r.Injected)
				}
			}
			if want := []string{tc.fault.Code, tc.fault.Code, tc.fault.Code, ""}; !slices.Equal(injected, want) {
				t.Errorf("recorded injected faults %q, want %q", injected, want)
			}
			c.srv.Fail(tc.op, tc.fault, awsclient.MaxAttempts)
			err := tc.call(c)
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tc.fault.Code {
				t.Errorf("after %d faults: %v, want %s", awsclient.MaxAttempts, err, tc.fault.Code)
			}
		})
	}
}

// TestSlowAnswerIsRetriedAfterAttemptTimeout: an attempt that outlasts
// the attempt timeout is abandoned and retried; a context deadline stops
// the whole call.
func TestSlowAnswerIsRetriedAfterAttemptTimeout(t *testing.T) {
	c := newClients(t, 200*time.Millisecond)
	c.srv.Fail("DescribeCluster", awsfake.Fault{Delay: 5 * time.Second}, 1)
	start := time.Now()
	if _, err := c.eks.DescribeCluster(context.Background(), &eks.DescribeClusterInput{Name: aws.String("c1")}); err != nil {
		t.Fatal(err)
	}
	if c.srv.Calls("DescribeCluster") != 2 || time.Since(start) > 3*time.Second {
		t.Errorf("%d calls in %v; want the slow one abandoned and one retry", c.srv.Calls("DescribeCluster"), time.Since(start))
	}
	c.srv.Fail("DescribeCluster", awsfake.Fault{Delay: 5 * time.Second}, awsclient.MaxAttempts)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := c.eks.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("c1")}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow endpoint under a deadline: %v, want context.DeadlineExceeded", err)
	}
}

// TestNodegroupUpdateFailsHalfWay: an update polls InProgress, then
// Failed with the injected error, and leaves the group's version alone;
// without a failure it applies the version.
func TestNodegroupUpdateFailsHalfWay(t *testing.T) {
	for _, fail := range []string{"", "NodeCreationFailure"} {
		c := newClients(t, 0)
		ctx := context.Background()
		c.srv.EditCluster("c1", func(cl *awsfake.Cluster) {
			cl.Nodegroups["general-1"].FailUpdate = fail
			cl.Nodegroups["general-1"].UpdatePolls = 4
		})
		up, err := c.eks.UpdateNodegroupVersion(ctx, &eks.UpdateNodegroupVersionInput{ClusterName: aws.String("c1"), NodegroupName: aws.String("general-1"), Version: aws.String("1.35")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.eks.UpdateNodegroupVersion(ctx, &eks.UpdateNodegroupVersionInput{ClusterName: aws.String("c1"), NodegroupName: aws.String("general-1"), Version: aws.String("1.35")}); err == nil {
			t.Error("a second update while one is in progress was accepted")
		}
		var statuses []ekstypes.UpdateStatus
		var last *ekstypes.Update
		for range 6 {
			d, err := c.eks.DescribeUpdate(ctx, &eks.DescribeUpdateInput{Name: aws.String("c1"), NodegroupName: aws.String("general-1"), UpdateId: up.Update.Id})
			if err != nil {
				t.Fatal(err)
			}
			statuses, last = append(statuses, d.Update.Status), d.Update
		}
		ng, _ := c.eks.DescribeNodegroup(ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String("c1"), NodegroupName: aws.String("general-1")})
		switch fail {
		case "":
			if statuses[2] != ekstypes.UpdateStatusInProgress || statuses[3] != ekstypes.UpdateStatusSuccessful || aws.ToString(ng.Nodegroup.Version) != "1.35" {
				t.Errorf("update statuses %v, version %s", statuses, aws.ToString(ng.Nodegroup.Version))
			}
		default:
			if statuses[0] != ekstypes.UpdateStatusInProgress || statuses[2] != ekstypes.UpdateStatusFailed || len(last.Errors) != 1 ||
				last.Errors[0].ErrorCode != ekstypes.ErrorCodeNodeCreationFailure || aws.ToString(ng.Nodegroup.Version) != "1.34" {
				t.Errorf("update statuses %v, errors %+v, version %s", statuses, last.Errors, aws.ToString(ng.Nodegroup.Version))
			}
		}
	}
}
