// Package awsclient is the one place the platform's AWS SDK clients are
// configured: the standard credential chain, the SDK's standard retryer
// (throttling and 5xx retried with exponential backoff and jitter) and a
// per-attempt HTTP timeout, so a hung endpoint costs one attempt, not the
// command.
package awsclient

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Retry and timeout settings of every client.
const (
	MaxAttempts = 8
	MaxBackoff  = 20 * time.Second
	// AttemptTimeout bounds one HTTP attempt; a timed-out attempt is
	// retried like a 5xx.
	AttemptTimeout = 60 * time.Second
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

// Options tune Load; the zero value is what the commands use.
type Options struct {
	// Backoff replaces the exponential backoff (tests).
	Backoff retry.BackoffDelayer
	// AttemptTimeout replaces AttemptTimeout when positive (tests).
	AttemptTimeout time.Duration
}

// Load reads the standard AWS configuration chain (AWS_PROFILE,
// environment, SSO, instance role; AWS_ENDPOINT_URL for a local endpoint)
// for region, with Apply's retryer and attempt timeout.
func Load(ctx context.Context, region string, o Options) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration for region %s: %w", region, err)
	}
	return Apply(cfg, o), nil
}

// Apply sets the platform's retryer and per-attempt HTTP timeout on cfg.
func Apply(cfg aws.Config, o Options) aws.Config {
	timeout := AttemptTimeout
	if o.AttemptTimeout > 0 {
		timeout = o.AttemptTimeout
	}
	cfg.Retryer = Retryer(o.Backoff)
	cfg.HTTPClient = &http.Client{Timeout: timeout}
	return cfg
}

// S3 returns an S3 client for cfg; a custom endpoint (AWS_ENDPOINT_URL,
// an S3-compatible server) is addressed path-style.
func S3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = cfg.BaseEndpoint != nil
	})
}
