package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TLSOnlySid names the statement that denies requests without TLS.
const TLSOnlySid = "DenyInsecureTransport"

// tlsOnlyStatement denies every request to the bucket that is not made
// over TLS.
func tlsOnlyStatement(partition, bucket string) map[string]any {
	arn := "arn:" + partition + ":s3:::" + bucket
	return map[string]any{
		"Sid":       TLSOnlySid,
		"Effect":    "Deny",
		"Principal": "*",
		"Action":    "s3:*",
		"Resource":  []any{arn, arn + "/*"},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}
}

// partition returns the AWS partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// ensurePolicy adds the TLS-only statement to the bucket policy, keeping
// any other statements. The policy is written in one atomic put.
func (b bucketSteps) ensurePolicy(ctx context.Context) (Result, string, error) {
	want := tlsOnlyStatement(partition(b.cfg.Region), b.cfg.Bucket)
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{}}
	res := Created
	cur, err := b.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b.cfg.Bucket)})
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(aws.ToString(cur.Policy)), &doc); err != nil {
			return "", "", fmt.Errorf("reading the policy of %s: %w", b.cfg.Bucket, err)
		}
		res = Updated
	case !isCode(err, "NoSuchBucketPolicy"):
		return "", "", fmt.Errorf("reading the policy of %s: %w", b.cfg.Bucket, err)
	}
	stmts, _ := doc["Statement"].([]any)
	var merged []any
	for _, s := range stmts {
		m, _ := s.(map[string]any)
		if m["Sid"] == TLSOnlySid {
			if reflect.DeepEqual(m, want) {
				return Unchanged, TLSOnlySid, nil
			}
			continue
		}
		merged = append(merged, s)
	}
	doc["Statement"] = append(merged, want)
	body, err := json.Marshal(doc)
	if err != nil {
		return "", "", fmt.Errorf("encoding the policy of %s: %w", b.cfg.Bucket, err)
	}
	if _, err := b.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b.cfg.Bucket), Policy: aws.String(string(body))}); err != nil {
		return "", "", fmt.Errorf("putting the policy of %s: %w", b.cfg.Bucket, err)
	}
	return res, TLSOnlySid, nil
}
