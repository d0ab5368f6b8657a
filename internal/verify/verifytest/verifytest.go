// Package verifytest deploys, on the local AWS endpoint, an account: the
// hand-written prod account (ProdAccount), the starting point of verify's
// drift tests and of the CLI's, or any expectations given.
package verifytest

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// KeyARN is the KMS key of every encrypted live resource.
const KeyARN = "arn:aws:kms:eu-west-1:111122223333:key/live"

// Deploy creates, on srv, the live resources e declares, exactly as
// declared: node groups named prefix+timestamp, the artifact bucket
// prefix+"20261129", every key KeyARN. s3c is a client of srv.
func Deploy(t testing.TB, srv *awsfake.Server, s3c *s3.Client, e *verify.Expected) {
	t.Helper()
	cl := awsfake.Cluster{Name: e.Cluster.Name, Version: e.Cluster.Version, EndpointPrivateAccess: e.Cluster.PrivateEndpoint,
		EndpointPublicAccess: e.Cluster.PublicEndpoint, SecretsKeyARN: KeyARN, LogTypes: e.Cluster.LogTypes,
		Nodegroups: map[string]*awsfake.Nodegroup{}, Addons: map[string]*awsfake.Addon{}}
	for i, w := range e.NodeGroups {
		name := w.Prefix + fmt.Sprintf("2026112900000%d", i)
		cl.Nodegroups[name] = &awsfake.Nodegroup{Name: name, Version: w.Version, Min: int32(w.Min), Max: int32(w.Max), Desired: int32(w.Min), AutoScalingGroup: "eks-" + name}
		srv.PutAutoScalingGroup(awsfake.AutoScalingGroup{Name: "eks-" + name, Min: w.Min, Max: w.Max, AvailabilityZones: w.Zones})
	}
	for _, a := range e.Addons {
		cl.Addons[a.Name] = &awsfake.Addon{Name: a.Name, Version: a.Version}
	}
	srv.PutCluster(cl)
	for _, d := range e.Databases {
		srv.PutDBInstance(awsfake.DBInstance{ID: d.ID, MultiAZ: d.MultiAZ, BackupRetention: d.BackupRetention,
			DeletionProtection: d.DeletionProtection, StorageEncrypted: d.StorageEncrypted, KMSKeyID: KeyARN})
	}
	for _, l := range e.LogGroups {
		srv.PutLogGroup(awsfake.LogGroup{Name: l.Name, RetentionDays: l.RetentionDays, KMSKeyID: KeyARN})
	}
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range e.Buckets {
		name := b.Name
		if name == "" {
			name = b.Prefix + "20261129"
		}
		must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}))
		if b.Versioning {
			must(s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}))
		}
		if b.SSE != "" {
			must(s3c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(name),
				ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryption(b.SSE)}}}}}))
		}
		if b.PublicAccessBlock {
			must(s3c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name),
				PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
					BlockPublicPolicy: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
		}
	}
}
