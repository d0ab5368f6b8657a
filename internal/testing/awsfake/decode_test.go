package awsfake_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestValidatorReadsWhatTheSDKSends sends a request of each protocol
// through the real SDK clients and checks the value tree the validator
// read: a member the decoder missed would go unvalidated.
func TestValidatorReadsWhatTheSDKSends(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	tests := []struct {
		op   string
		call func() error
		want map[string]any
	}{
		{"RestoreDBInstanceToPointInTime", func() error {
			_, err := c.rds.RestoreDBInstanceToPointInTime(ctx, &rds.RestoreDBInstanceToPointInTimeInput{
				SourceDBInstanceIdentifier: aws.String("db1"), TargetDBInstanceIdentifier: aws.String("db1-drill"),
				UseLatestRestorableTime: aws.Bool(true), VpcSecurityGroupIds: []string{"sg-1", "sg-2"},
				Tags: []rdstypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, map[string]any{"SourceDBInstanceIdentifier": "db1", "TargetDBInstanceIdentifier": "db1-drill",
			"UseLatestRestorableTime": "true", "VpcSecurityGroupIds": []any{"sg-1", "sg-2"},
			"Tags": []any{map[string]any{"Key": "k", "Value": "v"}}}},
		{"ListNodegroups", func() error {
			_, err := c.eks.ListNodegroups(ctx, &eks.ListNodegroupsInput{ClusterName: aws.String("c1"), MaxResults: aws.Int32(5)})
			return err
		}, map[string]any{"clusterName": "c1", "maxResults": "5"}},
		{"DescribeLogGroups", func() error {
			_, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws")})
			return err
		}, map[string]any{"logGroupNamePrefix": "/aws"}},
		{"PutBucketVersioning", func() error {
			if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("b-1")}); err != nil {
				return err
			}
			_, err := c.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("b-1"),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
			return err
		}, map[string]any{"Bucket": "b-1", "VersioningConfiguration": map[string]any{"Status": "Enabled"}}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			reqs := c.srv.Requests()
			last := reqs[len(reqs)-1]
			if last.Op != tt.op {
				t.Fatalf("last request %s", last.Op)
			}
			got := map[string]any{}
			for k := range tt.want {
				got[k] = last.Input[k]
			}
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(last.Input)
				t.Errorf("the validator read %s, want %v", g, tt.want)
			}
		})
	}
}
