package backend

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Retry settings of the backend clients: throttling (S3 SlowDown, KMS
// ThrottlingException) and 5xx responses are retried with exponential
// backoff and jitter.
const (
	MaxAttempts = 8
	MaxBackoff  = 20 * time.Second
)

// Retryer returns the SDK's standard retryer with MaxAttempts attempts and
// no client-side retry quota, so a long throttling spell is waited out
// rather than failed fast. backoff replaces the exponential backoff when
// set (tests use a short one).
func Retryer(backoff retry.BackoffDelayer) func() aws.Retryer {
	return func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = MaxAttempts
			o.MaxBackoff = MaxBackoff
			o.RateLimiter = ratelimit.None
			if backoff != nil {
				o.Backoff = backoff
			}
		})
	}
}

// NewClients returns the S3 and KMS clients for cfg. A custom endpoint
// (AWS_ENDPOINT_URL, an S3-compatible server) is addressed path-style.
func NewClients(cfg aws.Config) (*s3.Client, *kms.Client) {
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = cfg.BaseEndpoint != nil
	})
	return s3c, kms.NewFromConfig(cfg)
}
