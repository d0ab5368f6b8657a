// Package storage declares the MLflow artifact bucket: private, owner
// enforced, encrypted with the customer-managed key and a bucket key,
// reachable over TLS only, versioned in prod, with lifecycle rules.
package storage

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
	bucket := &bucketV2{}
	err := provider.AWS(ctx, typetoken.Bucket, name, pulumi.Map{
		"bucketPrefix": pulumi.String(BucketPrefix(args.ClusterName)),
		"forceDestroy": pulumi.Bool(args.ForceDestroy),
	}, bucket, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring artifact bucket: %w", err)
	}
	a.BucketName, a.BucketArn = bucket.Bucket, bucket.Arn

	pab, err := lockDown(ctx, name, bucket, child)
	if err != nil {
		return nil, err
	}
	if args.AccessLogsBucket != "" {
		if err := provider.AWS(ctx, typetoken.BucketLogging, name+"-access-logging", pulumi.Map{
			"bucket":       bucket.ID(),
			"targetBucket": pulumi.String(args.AccessLogsBucket),
			"targetPrefix": pulumi.String("s3/" + name + "/"),
		}, &provider.Resource{}, child, pulumi.DependsOn(args.AccessLogsReady)); err != nil {
			return nil, fmt.Errorf("declaring artifact bucket access logging: %w", err)
		}
	}
	if err := provider.AWS(ctx, typetoken.BucketEncryption, name+"-encryption", pulumi.Map{
		"bucket": bucket.ID(),
		"rules": pulumi.Array{
			pulumi.Map{
				"applyServerSideEncryptionByDefault": pulumi.Map{
					"sseAlgorithm":   pulumi.String("aws:kms"),
					"kmsMasterKeyId": args.KmsKeyArn,
				},
				"bucketKeyEnabled": pulumi.Bool(true),
			},
		},
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring bucket encryption: %w", err)
	}
	status := "Suspended"
	if args.Versioning {
		status = "Enabled"
	}
	versioning := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.BucketVersioning, name+"-versioning", pulumi.Map{
		"bucket":                  bucket.ID(),
		"versioningConfiguration": pulumi.Map{"status": pulumi.String(status)},
	}, versioning, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bucket versioning: %w", err)
	}
	if err := provider.AWS(ctx, typetoken.BucketLifecycle, name+"-lifecycle", pulumi.Map{
		"bucket": bucket.ID(),
		"rules": pulumi.Array{
			pulumi.Map{
				"id":     pulumi.String("expire-noncurrent-and-abort-uploads"),
				"status": pulumi.String("Enabled"),
				"filter": pulumi.Map{"prefix": pulumi.String("")},
				"noncurrentVersionExpiration": pulumi.Map{
					"noncurrentDays": pulumi.Int(args.NoncurrentVersionExpirationDays),
				},
				"abortIncompleteMultipartUpload": pulumi.Map{
					"daysAfterInitiation": pulumi.Int(AbortIncompleteUploadsDays),
				},
			},
		},
	}, &provider.Resource{}, child, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, fmt.Errorf("declaring bucket lifecycle: %w", err)
	}
	if err := provider.AWS(ctx, typetoken.BucketPolicy, name+"-tls-only", pulumi.Map{
		"bucket": bucket.ID(),
		"policy": iampolicy.Render(func(v []string) iampolicy.Document { return TLSOnlyPolicy(v[0]) }, bucket.Arn),
	}, &provider.Resource{}, child, pulumi.DependsOn([]pulumi.Resource{pab})); err != nil {
		return nil, fmt.Errorf("declaring bucket policy: %w", err)
	}
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{"bucketName": a.BucketName, "bucketArn": a.BucketArn})
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
