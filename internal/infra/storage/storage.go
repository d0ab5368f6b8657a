// Package storage declares the MLflow artifact bucket: private, owner
// enforced, encrypted with the customer-managed key and a bucket key,
// reachable over TLS only, versioned in prod, with lifecycle rules.
package storage

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/s3"
)

// AbortIncompleteUploadsDays ends multipart uploads nobody finished.
const AbortIncompleteUploadsDays = 7

// Args configures the bucket.
type Args struct {
	ClusterName string
	KmsKeyArn   pulumi.StringInput
	Versioning  bool
	// ForceDestroy lets a destroy delete a bucket that still holds objects.
	ForceDestroy bool
	// NoncurrentVersionExpirationDays expires replaced object versions.
	NoncurrentVersionExpirationDays int
	// Protect marks the bucket protected, so the engine refuses to delete it.
	Protect bool
	// AccessLogsBucket receives the bucket's server access logs; the
	// resources in AccessLogsReady must exist first.
	AccessLogsBucket string
	AccessLogsReady  []pulumi.Resource
}

// Artifacts is the storage component.
type Artifacts struct {
	pulumi.ResourceState

	BucketName pulumi.StringOutput
	BucketArn  pulumi.StringOutput
}

// NewArtifacts declares the bucket and its settings.
func NewArtifacts(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Artifacts, error) {
	a := &Artifacts{}
	if err := ctx.RegisterComponentResource("mlops:storage:Artifacts", name, a, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(a)
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		BucketPrefix: pulumi.String(BucketPrefix(args.ClusterName)),
		ForceDestroy: pulumi.Bool(args.ForceDestroy),
	}, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring artifact bucket: %w", err)
	}
	a.BucketName, a.BucketArn = bucket.Bucket, bucket.Arn

	pab, err := lockDown(ctx, name, bucket, child)
	if err != nil {
		return nil, err
	}
	if args.AccessLogsBucket != "" {
		if _, err := s3.NewBucketLoggingV2(ctx, name+"-access-logging", &s3.BucketLoggingV2Args{
			Bucket:       bucket.ID(),
			TargetBucket: pulumi.String(args.AccessLogsBucket),
			TargetPrefix: pulumi.String("s3/" + name + "/"),
		}, child, pulumi.DependsOn(args.AccessLogsReady)); err != nil {
			return nil, fmt.Errorf("declaring artifact bucket access logging: %w", err)
		}
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm:   pulumi.String("aws:kms"),
					KmsMasterKeyId: args.KmsKeyArn.ToStringOutput(),
				},
				BucketKeyEnabled: pulumi.Bool(true),
			},
		},
	}, child); err != nil {
		return nil, fmt.Errorf("declaring bucket encryption: %w", err)
	}
	status := "Suspended"
	if args.Versioning {
		status = "Enabled"
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String(status)},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bucket versioning: %w", err)
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:     pulumi.String("expire-noncurrent-and-abort-uploads"),
				Status: pulumi.String("Enabled"),
				Filter: s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
				NoncurrentVersionExpiration: s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(args.NoncurrentVersionExpirationDays),
				},
				AbortIncompleteMultipartUpload: abortUploads(),
			},
		},
	}, child, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, fmt.Errorf("declaring bucket lifecycle: %w", err)
	}
	if _, err := s3.NewBucketPolicy(ctx, name+"-tls-only", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: iampolicy.Render(func(v []string) iampolicy.Document { return TLSOnlyPolicy(v[0]) }, bucket.Arn),
	}, child, pulumi.DependsOn([]pulumi.Resource{pab})); err != nil {
		return nil, fmt.Errorf("declaring bucket policy: %w", err)
	}
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{"bucketName": a.BucketName, "bucketArn": a.BucketArn})
}

// abortUploads is the lifecycle rule part that ends multipart uploads
// nobody finished after AbortIncompleteUploadsDays.
func abortUploads() s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs {
	return s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
		DaysAfterInitiation: pulumi.Int(AbortIncompleteUploadsDays),
	}
}

// TLSOnlyPolicy denies every request to the bucket that is not made over TLS.
func TLSOnlyPolicy(bucketArn string) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}

// BucketPrefix derives a valid S3 name prefix (at most 37 characters, lower
// case) from the cluster name; S3 appends a unique suffix.
func BucketPrefix(cluster string) string {
	const suffix = "-artifacts-"
	p := strings.ToLower(strings.ReplaceAll(cluster, "_", "-"))
	if max := 37 - len(suffix); len(p) > max {
		p = strings.TrimRight(p[:max], "-")
	}
	return p + suffix
}
