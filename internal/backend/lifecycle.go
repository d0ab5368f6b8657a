package backend

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// LifecycleRuleID names the rule that expires old state versions.
const LifecycleRuleID = "mlops-state-noncurrent-versions"

// abortMultipartDays cleans up state uploads that never completed.
const abortMultipartDays = 7

// ensureLifecycle expires noncurrent state versions after the configured
// days, keeping any other lifecycle rules.
func (b bucketSteps) ensureLifecycle(ctx context.Context) (Result, string, error) {
	want := s3types.LifecycleRule{
		ID:                             aws.String(LifecycleRuleID),
		Status:                         s3types.ExpirationStatusEnabled,
		Filter:                         &s3types.LifecycleRuleFilter{Prefix: aws.String(b.cfg.Prefix + "/")},
		NoncurrentVersionExpiration:    &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(int32(b.cfg.NoncurrentDays))},
		AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(abortMultipartDays)},
	}
	detail := fmt.Sprintf("noncurrent versions under %s/ expire after %d days", b.cfg.Prefix, b.cfg.NoncurrentDays)
	res := Created
	var rules []s3types.LifecycleRule
	cur, err := b.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(b.cfg.Bucket)})
	switch {
	case err == nil:
		for _, r := range cur.Rules {
			if aws.ToString(r.ID) != LifecycleRuleID {
				rules = append(rules, r)
				continue
			}
			if sameRule(r, want) {
				return Unchanged, detail, nil
			}
			res = Updated
		}
	case !isCode(err, "NoSuchLifecycleConfiguration"):
		return "", "", fmt.Errorf("reading the lifecycle of %s: %w", b.cfg.Bucket, err)
	}
	_, err = b.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket:                 aws.String(b.cfg.Bucket),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: append(rules, want)},
	})
	if err != nil {
		return "", "", fmt.Errorf("putting the lifecycle of %s: %w", b.cfg.Bucket, err)
	}
	return res, detail, nil
}

func sameRule(a, b s3types.LifecycleRule) bool {
	prefix := func(r s3types.LifecycleRule) string {
		if r.Filter == nil {
			return ""
		}
		return aws.ToString(r.Filter.Prefix)
	}
	days := func(r s3types.LifecycleRule) int32 {
		if r.NoncurrentVersionExpiration == nil {
			return 0
		}
		return aws.ToInt32(r.NoncurrentVersionExpiration.NoncurrentDays)
	}
	abort := func(r s3types.LifecycleRule) int32 {
		if r.AbortIncompleteMultipartUpload == nil {
			return 0
		}
		return aws.ToInt32(r.AbortIncompleteMultipartUpload.DaysAfterInitiation)
	}
	return a.Status == b.Status && prefix(a) == prefix(b) && days(a) == days(b) && abort(a) == abort(b)
}
