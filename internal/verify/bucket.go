package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// bucket checks versioning, default encryption and the public-access
// block of one bucket.
func (v *run) bucket(w BucketWant) {
	name, ok := v.bucketName(w)
	if !ok {
		return
	}
	res := "s3 bucket " + name
	if _, err := v.c.S3.HeadBucket(v.ctx, &s3.HeadBucketInput{Bucket: aws.String(name)}); !v.read(res, err) {
		return
	}
	if w.Versioning {
		out, err := v.c.S3.GetBucketVersioning(v.ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(name)})
		if v.read(res+" versioning", err) {
			v.r.add(res, "versioning", "Enabled", string(out.Status))
		}
	}
	if w.SSE != "" {
		got := ""
		out, err := v.c.S3.GetBucketEncryption(v.ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
		if apiCode(err) == "ServerSideEncryptionConfigurationNotFoundError" {
			err = nil
		} else if err == nil && out.ServerSideEncryptionConfiguration != nil {
			for _, rule := range out.ServerSideEncryptionConfiguration.Rules {
				if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
					got = string(d.SSEAlgorithm)
				}
			}
		}
		if v.read(res+" encryption", err) {
			v.r.add(res, "default encryption", w.SSE, got)
		}
	}
	if w.PublicAccessBlock {
		got := "not blocked"
		out, err := v.c.S3.GetPublicAccessBlock(v.ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(name)})
		if apiCode(err) == "NoSuchPublicAccessBlockConfiguration" {
			err = nil
		} else if err == nil {
			if c := out.PublicAccessBlockConfiguration; c != nil && aws.ToBool(c.BlockPublicAcls) && aws.ToBool(c.BlockPublicPolicy) &&
				aws.ToBool(c.IgnorePublicAcls) && aws.ToBool(c.RestrictPublicBuckets) {
				got = "all blocked"
			}
		}
		if v.read(res+" public access block", err) {
			v.r.add(res, "public access block", "all blocked", got)
		}
	}
}

// bucketName is the declared name, or the one live bucket with the
// declared prefix (the program lets Pulumi name it).
func (v *run) bucketName(w BucketWant) (string, bool) {
	if w.Name != "" {
		return w.Name, true
	}
	res := "s3 bucket " + w.Prefix + "*"
	names, err := BucketsWithPrefix(v.ctx, v.c.S3, w.Prefix)
	if !v.read(res, err) {
		return "", false
	}
	switch len(names) {
	case 0:
		v.r.missing(res)
		return "", false
	case 1:
		return names[0], true
	}
	v.r.fail(res, "one bucket with the prefix", fmt.Errorf("%d buckets: %v", len(names), names))
	return "", false
}

// BucketsWithPrefix lists the account's buckets whose names start with
// prefix.
func BucketsWithPrefix(ctx context.Context, c *s3.Client, prefix string) ([]string, error) {
	var names []string
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
	}
	return names, nil
}

func apiCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}
