package awsclient_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
)

// TestRetryerRetriesThrottlingWithoutQuota checks the configured retryer
// itself: attempts, and that throttling errors do not drain a quota.
func TestRetryerRetriesThrottlingWithoutQuota(t *testing.T) {
	r := awsclient.Retryer(nil)()
	if r.MaxAttempts() != awsclient.MaxAttempts {
		t.Fatalf("max attempts %d", r.MaxAttempts())
	}
	for range 200 {
		if _, err := r.GetRetryToken(context.Background(), errors.New("x")); err != nil {
			t.Fatalf("retry quota exhausted: %v", err)
		}
	}
}

func TestApplySetsRetryerAndAttemptTimeout(t *testing.T) {
	for _, tc := range []struct {
		set, want time.Duration
	}{{0, awsclient.AttemptTimeout}, {3 * time.Second, 3 * time.Second}} {
		cfg := awsclient.Apply(aws.Config{}, awsclient.Options{AttemptTimeout: tc.set})
		if cfg.Retryer == nil || cfg.Retryer().MaxAttempts() != awsclient.MaxAttempts {
			t.Fatalf("retryer not set")
		}
		hc, ok := cfg.HTTPClient.(*http.Client)
		if !ok || hc.Timeout != tc.want {
			t.Errorf("attempt timeout %v: http client %#v, want timeout %v", tc.set, cfg.HTTPClient, tc.want)
		}
	}
}
