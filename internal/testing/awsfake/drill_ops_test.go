package awsfake_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// TestPointInTimeRestore restores, polls and deletes an instance through
// the SDK: the requested placement, tags and IAM authentication come back,
// the endpoint appears once available, and RDS's refusals are modelled.
func TestPointInTimeRestore(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	c.srv.EditDBInstance("db1", func(d *awsfake.DBInstance) {
		d.SecurityGroups, d.ParameterGroup = []string{"sg-db"}, "pg-force-ssl"
	})
	c.srv.SetRestore(awsfake.Restore{Polls: 1, Address: "restored.local", Port: 5433})
	out, err := c.rds.RestoreDBInstanceToPointInTime(ctx, &rds.RestoreDBInstanceToPointInTimeInput{
		SourceDBInstanceIdentifier: aws.String("db1"), TargetDBInstanceIdentifier: aws.String("db1-drill"),
		UseLatestRestorableTime: aws.Bool(true), DBSubnetGroupName: aws.String("sg1"), VpcSecurityGroupIds: []string{"sg-db", "sg-b"},
		DBParameterGroupName: aws.String("pg-force-ssl"), EnableIAMDatabaseAuthentication: aws.Bool(true),
		Tags: []rdstypes.Tag{{Key: aws.String("drill"), Value: aws.String("db1-drill")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := out.DBInstance; aws.ToString(v.DBInstanceStatus) != "creating" || v.Endpoint != nil {
		t.Errorf("restored instance %+v, want creating without an endpoint", v)
	}
	var statuses []string
	var last rdstypes.DBInstance
	for range 2 {
		d, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("db1-drill")})
		if err != nil {
			t.Fatal(err)
		}
		last = d.DBInstances[0]
		statuses = append(statuses, aws.ToString(last.DBInstanceStatus))
	}
	var sgs []string
	for _, m := range last.VpcSecurityGroups {
		sgs = append(sgs, aws.ToString(m.VpcSecurityGroupId))
	}
	if !slices.Equal(statuses, []string{"creating", "available"}) || aws.ToString(last.Endpoint.Address) != "restored.local" ||
		aws.ToInt32(last.Endpoint.Port) != 5433 || !slices.Equal(sgs, []string{"sg-db", "sg-b"}) ||
		aws.ToString(last.DBSubnetGroup.DBSubnetGroupName) != "sg1" || !aws.ToBool(last.IAMDatabaseAuthenticationEnabled) ||
		aws.ToString(last.DBParameterGroups[0].DBParameterGroupName) != "pg-force-ssl" ||
		len(last.TagList) != 1 || aws.ToString(last.TagList[0].Value) != "db1-drill" {
		t.Errorf("statuses %v, instance %+v", statuses, last)
	}
	code := func(err error) string {
		var api smithy.APIError
		if errors.As(err, &api) {
			return api.ErrorCode()
		}
		return ""
	}
	_, err = c.rds.RestoreDBInstanceToPointInTime(ctx, &rds.RestoreDBInstanceToPointInTimeInput{
		SourceDBInstanceIdentifier: aws.String("db1"), TargetDBInstanceIdentifier: aws.String("db1-drill"), UseLatestRestorableTime: aws.Bool(true)})
	if code(err) != "DBInstanceAlreadyExists" {
		t.Errorf("restoring onto an existing identifier: %v", err)
	}
	if _, err := c.rds.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("db1"), SkipFinalSnapshot: aws.Bool(true)}); code(err) != "InvalidParameterCombination" {
		t.Errorf("deleting a protected instance: %v", err)
	}
	if _, err := c.rds.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("db1-drill"), SkipFinalSnapshot: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("db1-drill")}); code(err) != "DBInstanceNotFound" {
		t.Errorf("after deletion: %v", err)
	}
	c.srv.EditDBInstance("db1", func(d *awsfake.DBInstance) { d.BackupRetention = 0 })
	_, err = c.rds.RestoreDBInstanceToPointInTime(ctx, &rds.RestoreDBInstanceToPointInTimeInput{
		SourceDBInstanceIdentifier: aws.String("db1"), TargetDBInstanceIdentifier: aws.String("db1-drill2"), UseLatestRestorableTime: aws.Bool(true)})
	if code(err) != "InvalidDBInstanceState" {
		t.Errorf("restoring without automated backups: %v", err)
	}
}

// TestObjectVersions lists, reads, copies and deletes object versions
// through the SDK.
func TestObjectVersions(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("art")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("art"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	old := c.srv.PutObject("art", "1/run/model.pkl", []byte("old model"), day)
	c.srv.PutObject("art", "1/run/model.pkl", []byte("new model!"), day.Add(time.Hour))
	lv, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("art")})
	if err != nil {
		t.Fatal(err)
	}
	if len(lv.Versions) != 2 || !aws.ToBool(lv.Versions[0].IsLatest) || aws.ToBool(lv.Versions[1].IsLatest) ||
		aws.ToString(lv.Versions[1].VersionId) != old || aws.ToInt64(lv.Versions[1].Size) != 9 || !aws.ToTime(lv.Versions[1].LastModified).Equal(day) {
		t.Fatalf("versions %+v", lv.Versions)
	}
	cp, err := c.s3.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("art"), Key: aws.String("drill/model.pkl"),
		CopySource: aws.String("art/" + url.PathEscape("1/run/model.pkl") + "?versionId=" + old), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("old model"))
	if aws.ToString(cp.CopySourceVersionId) != old || aws.ToString(cp.CopyObjectResult.ChecksumSHA256) != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("copy %+v %+v", cp, cp.CopyObjectResult)
	}
	get, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("art"), Key: aws.String("drill/model.pkl"), VersionId: cp.VersionId})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(get.Body)
	if string(body) != "old model" {
		t.Errorf("copy holds %q", body)
	}
	if _, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("art"), Key: aws.String("drill/model.pkl"), VersionId: cp.VersionId}); err != nil {
		t.Fatal(err)
	}
	if v := c.srv.ObjectVersions("art", "drill/model.pkl"); len(v) != 0 {
		t.Errorf("scratch versions left: %v", v)
	}
	_, err = c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("art"), Key: aws.String("1/run/model.pkl"), VersionId: aws.String("nope")})
	var nv *s3types.NoSuchKey
	if err == nil || errors.As(err, &nv) {
		t.Errorf("unknown version: %v, want NoSuchVersion", err)
	}
}
