package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// bucketSteps converge the state bucket.
type bucketSteps struct {
	s3     *s3.Client
	cfg    Config
	keyARN func() string
}

// ensureBucket creates the bucket, owner-enforced, in the configured region.
func (b bucketSteps) ensureBucket(ctx context.Context) (Result, string, error) {
	head, err := b.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b.cfg.Bucket)})
	switch {
	case err == nil:
		if r := aws.ToString(head.BucketRegion); r != "" && r != b.cfg.Region {
			return "", "", fmt.Errorf("bucket %s exists in %s, not in %s", b.cfg.Bucket, r, b.cfg.Region)
		}
		return Unchanged, "s3://" + b.cfg.Bucket, nil
	case httpStatus(err) == http.StatusForbidden:
		return "", "", fmt.Errorf("bucket %s exists but this identity may not use it (another account owns the name, or access is denied): %w", b.cfg.Bucket, err)
	case httpStatus(err) != http.StatusNotFound:
		return "", "", fmt.Errorf("looking up bucket %s: %w", b.cfg.Bucket, err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(b.cfg.Bucket), ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}
	if b.cfg.Region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(b.cfg.Region)}
	}
	if _, err := b.s3.CreateBucket(ctx, in); err != nil {
		if isCode(err, "BucketAlreadyOwnedByYou") {
			return Unchanged, "s3://" + b.cfg.Bucket, nil
		}
		return "", "", fmt.Errorf("creating bucket %s: %w", b.cfg.Bucket, err)
	}
	return Created, "s3://" + b.cfg.Bucket, nil
}

// ensurePublicAccessBlock blocks every kind of public access.
func (b bucketSteps) ensurePublicAccessBlock(ctx context.Context) (Result, string, error) {
	res := Created
	cur, err := b.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b.cfg.Bucket)})
	switch {
	case err == nil:
		c := cur.PublicAccessBlockConfiguration
		if c != nil && aws.ToBool(c.BlockPublicAcls) && aws.ToBool(c.IgnorePublicAcls) &&
			aws.ToBool(c.BlockPublicPolicy) && aws.ToBool(c.RestrictPublicBuckets) {
			return Unchanged, "all public access blocked", nil
		}
		res = Updated
	case !isCode(err, "NoSuchPublicAccessBlockConfiguration"):
		return "", "", fmt.Errorf("reading the public access block of %s: %w", b.cfg.Bucket, err)
	}
	_, err = b.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
		Bucket: aws.String(b.cfg.Bucket),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true),
			BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
		},
	})
	if err != nil {
		return "", "", fmt.Errorf("blocking public access to %s: %w", b.cfg.Bucket, err)
	}
	return res, "all public access blocked", nil
}

// ensureEncryption makes SSE-KMS with the backend key (and S3 bucket keys)
// the bucket's default encryption.
func (b bucketSteps) ensureEncryption(ctx context.Context) (Result, string, error) {
	key := b.keyARN()
	res := Created
	cur, err := b.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(b.cfg.Bucket)})
	switch {
	case err == nil:
		if c := cur.ServerSideEncryptionConfiguration; c != nil && len(c.Rules) == 1 {
			r := c.Rules[0]
			if d := r.ApplyServerSideEncryptionByDefault; d != nil && d.SSEAlgorithm == s3types.ServerSideEncryptionAwsKms &&
				aws.ToString(d.KMSMasterKeyID) == key && aws.ToBool(r.BucketKeyEnabled) {
				return Unchanged, "aws:kms " + key, nil
			}
		}
		res = Updated
	case !isCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
		return "", "", fmt.Errorf("reading the encryption of %s: %w", b.cfg.Bucket, err)
	}
	_, err = b.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(b.cfg.Bucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
				SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(key),
			},
			BucketKeyEnabled: aws.Bool(true),
		}}},
	})
	if err != nil {
		return "", "", fmt.Errorf("setting SSE-KMS on %s: %w", b.cfg.Bucket, err)
	}
	return res, "aws:kms " + key, nil
}

// ensureVersioning keeps every version of the state, so a bad update can
// be rolled back.
func (b bucketSteps) ensureVersioning(ctx context.Context) (Result, string, error) {
	cur, err := b.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(b.cfg.Bucket)})
	if err != nil {
		return "", "", fmt.Errorf("reading the versioning of %s: %w", b.cfg.Bucket, err)
	}
	if cur.Status == s3types.BucketVersioningStatusEnabled {
		return Unchanged, "enabled", nil
	}
	res := Created
	if cur.Status != "" {
		res = Updated
	}
	_, err = b.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(b.cfg.Bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled},
	})
	if err != nil {
		return "", "", fmt.Errorf("enabling versioning on %s: %w", b.cfg.Bucket, err)
	}
	return res, "enabled", nil
}

// isCode reports whether err is an AWS API error with one of codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

// httpStatus returns the HTTP status of a failed call, or 0.
func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
