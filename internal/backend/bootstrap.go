package backend

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Result is what one step did.
type Result string

// Results of a step.
const (
	Created   Result = "created"
	Updated   Result = "updated"
	Unchanged Result = "unchanged"
)

// Step is one piece of the backend and what bootstrapping did to it.
type Step struct {
	Name   string `json:"name"`
	Result Result `json:"result"`
	Detail string `json:"detail,omitempty"`
}

// Report is the outcome of a bootstrap.
type Report struct {
	Steps           []Step `json:"steps"`
	KeyARN          string `json:"kmsKeyArn"`
	BackendURL      string `json:"backendUrl"`
	SecretsProvider string `json:"secretsProvider"`
}

// Changed reports whether any step changed something.
func (r *Report) Changed() bool {
	for _, s := range r.Steps {
		if s.Result != Unchanged {
			return true
		}
	}
	return false
}

// PartialError is a bootstrap that stopped at a step: what exists, what
// failed, and that running it again resumes.
type PartialError struct {
	Done   []Step
	Failed string
	Err    error
}

func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "backend bootstrap stopped at %q: %v\n", e.Failed, e.Err)
	if len(e.Done) == 0 {
		b.WriteString("nothing was created or changed.\n")
	} else {
		b.WriteString("in place now:\n")
		for _, s := range e.Done {
			fmt.Fprintf(&b, "  - %s (%s)\n", s.Name, s.Result)
		}
	}
	b.WriteString("not applied: " + e.Failed + " and the steps after it. Running the same command again resumes from there.")
	return b.String()
}

func (e *PartialError) Unwrap() error { return e.Err }

// Bootstrap creates or converges the state backend cfg describes. Steps
// run in an order that never exposes a bucket: the key first, then the
// bucket with its public-access block and encryption, and the bucket
// policy only after those (a policy put is atomic).
func Bootstrap(ctx context.Context, s3c *s3.Client, kmsc *kms.Client, cfg Config) (*Report, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rep := &Report{BackendURL: cfg.BackendURL(), SecretsProvider: cfg.SecretsProvider()}
	k := keySteps{kms: kmsc, cfg: cfg}
	b := bucketSteps{s3: s3c, cfg: cfg, keyARN: func() string { return rep.KeyARN }}
	steps := []struct {
		name string
		run  func(context.Context) (Result, string, error)
	}{
		{"kms key " + cfg.KMSAlias, func(ctx context.Context) (Result, string, error) {
			res, arn, err := k.ensureKey(ctx)
			rep.KeyARN = arn
			return res, arn, err
		}},
		{"kms key rotation", k.ensureRotation(&rep.KeyARN)},
		{"kms alias " + cfg.KMSAlias, k.ensureAlias(&rep.KeyARN)},
		{"s3 bucket " + cfg.Bucket, b.ensureBucket},
		{"s3 public access block", b.ensurePublicAccessBlock},
		{"s3 default encryption (SSE-KMS)", b.ensureEncryption},
		{"s3 versioning", b.ensureVersioning},
		{"s3 bucket policy (TLS only)", b.ensurePolicy},
		{"s3 lifecycle (noncurrent versions)", b.ensureLifecycle},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return rep, &PartialError{Done: rep.Steps, Failed: s.name, Err: err}
		}
		res, detail, err := s.run(ctx)
		if err != nil {
			return rep, &PartialError{Done: rep.Steps, Failed: s.name, Err: err}
		}
		rep.Steps = append(rep.Steps, Step{Name: s.name, Result: res, Detail: detail})
	}
	return rep, nil
}
