package backend_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/backend"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

type fixture struct {
	srv  *awsfake.Server
	s3   *s3.Client
	kms  *kms.Client
	wait *awsfake.Backoffs
	cfg  backend.Config
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	wait := &awsfake.Backoffs{}
	s3c, kmsc := backend.NewClients(srv.Config(awsclient.Options{Backoff: wait}))
	return &fixture{srv: srv, s3: s3c, kms: kmsc, wait: wait,
		cfg: backend.Config{Bucket: "acme-mlops-state", Region: awsfake.Region}}
}

func (f *fixture) run(t *testing.T) (*backend.Report, error) {
	t.Helper()
	return backend.Bootstrap(context.Background(), f.s3, f.kms, f.cfg)
}

// mutations are the operations that change something.
func mutations(log []string) []string {
	var out []string
	for _, op := range log {
		if strings.HasPrefix(op, "Put") || strings.HasPrefix(op, "Create") || strings.HasPrefix(op, "Enable") {
			out = append(out, op)
		}
	}
	return out
}

func TestBootstrapCreatesEverythingThenIsANoOp(t *testing.T) {
	f := newFixture(t)
	rep, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Steps {
		if s.Result == backend.Unchanged {
			t.Errorf("first run: step %q unchanged", s.Name)
		}
	}
	if len(rep.Steps) != 9 {
		t.Fatalf("first run reported %d steps: %+v", len(rep.Steps), rep.Steps)
	}
	if want := "s3://acme-mlops-state/state?region=eu-west-1"; rep.BackendURL != want {
		t.Errorf("backend URL %q, want %q", rep.BackendURL, want)
	}
	if want := "awskms://alias/mlops-platform-state?region=eu-west-1"; rep.SecretsProvider != want {
		t.Errorf("secrets provider %q, want %q", rep.SecretsProvider, want)
	}
	assertBackend(t, f.srv, rep.KeyARN, "acme-mlops-state", "state/", 90)

	before := len(f.srv.Log())
	again, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() {
		t.Errorf("second run changed something: %+v", again.Steps)
	}
	if m := mutations(f.srv.Log()[before:]); len(m) > 0 {
		t.Errorf("second run sent mutating calls %v", m)
	}
	if again.KeyARN != rep.KeyARN {
		t.Errorf("second run uses key %s, first %s", again.KeyARN, rep.KeyARN)
	}
}

// assertBackend checks the stored state of the fake cloud.
func assertBackend(t *testing.T, srv *awsfake.Server, keyARN, bucket, prefix string, days int) {
	t.Helper()
	arns, aliases := srv.Keys()
	if len(arns) != 1 || aliases["alias/mlops-platform-state"] != keyARN || !srv.KeyRotation(keyARN) {
		t.Fatalf("keys %v aliases %v rotation %v, want one rotated key %s behind the alias", arns, aliases, srv.KeyRotation(keyARN), keyARN)
	}
	b := srv.Bucket(bucket)
	if b == nil {
		t.Fatal("bucket not created")
	}
	if b.Region != awsfake.Region {
		t.Errorf("bucket region %q", b.Region)
	}
	var ver struct{ Status string }
	xmlDecode(t, b.Versioning, &ver)
	if ver.Status != "Enabled" {
		t.Errorf("versioning %q", ver.Status)
	}
	var enc struct {
		Rule []struct {
			ApplyServerSideEncryptionByDefault struct{ SSEAlgorithm, KMSMasterKeyID string }
			BucketKeyEnabled                   bool
		}
	}
	xmlDecode(t, b.Encryption, &enc)
	if len(enc.Rule) != 1 || enc.Rule[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != "aws:kms" ||
		enc.Rule[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID != keyARN || !enc.Rule[0].BucketKeyEnabled {
		t.Errorf("encryption %+v, want SSE-KMS with %s and bucket keys", enc, keyARN)
	}
	var pab struct{ BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool }
	xmlDecode(t, b.PublicBlock, &pab)
	if !pab.BlockPublicAcls || !pab.IgnorePublicAcls || !pab.BlockPublicPolicy || !pab.RestrictPublicBuckets {
		t.Errorf("public access block %+v", pab)
	}
	if st := tlsStatement(t, b.Policy); st == nil {
		t.Errorf("policy has no TLS-only statement: %s", b.Policy)
	} else if cond, _ := json.Marshal(st["Condition"]); string(cond) != `{"Bool":{"aws:SecureTransport":"false"}}` || st["Effect"] != "Deny" {
		t.Errorf("TLS statement %v", st)
	}
	var lc struct {
		Rule []struct {
			ID, Status                  string
			Filter                      struct{ Prefix string }
			NoncurrentVersionExpiration struct{ NoncurrentDays int }
		}
	}
	xmlDecode(t, b.Lifecycle, &lc)
	i := slices.IndexFunc(lc.Rule, func(r struct {
		ID, Status                  string
		Filter                      struct{ Prefix string }
		NoncurrentVersionExpiration struct{ NoncurrentDays int }
	}) bool {
		return r.ID == backend.LifecycleRuleID
	})
	if i < 0 || lc.Rule[i].Status != "Enabled" || lc.Rule[i].Filter.Prefix != prefix || lc.Rule[i].NoncurrentVersionExpiration.NoncurrentDays != days {
		t.Errorf("lifecycle %+v, want rule %s on %s after %d days", lc, backend.LifecycleRuleID, prefix, days)
	}
}

func xmlDecode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

func tlsStatement(t *testing.T, policy []byte) map[string]any {
	t.Helper()
	if policy == nil {
		return nil
	}
	var doc struct{ Statement []map[string]any }
	if err := json.Unmarshal(policy, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Statement {
		if s["Sid"] == backend.TLSOnlySid {
			return s
		}
	}
	return nil
}

func TestPolicyComesAfterPublicAccessBlockAndEncryption(t *testing.T) {
	f := newFixture(t)
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
	m := mutations(f.srv.Log())
	policy := slices.Index(m, "PutBucketPolicy")
	for _, before := range []string{"CreateBucket", "PutPublicAccessBlock", "PutBucketEncryption"} {
		if i := slices.Index(m, before); i < 0 || i > policy {
			t.Errorf("%s at %d, policy at %d: %v", before, i, policy, m)
		}
	}
}

// TestRetriesThrottlingAndServerErrors injects throttling and 5xx
// responses and checks the SDK retryer waits them out.
func TestRetriesThrottlingAndServerErrors(t *testing.T) {
	tests := []struct {
		op    string
		fault awsfake.Fault
		n     int
	}{
		{"CreateBucket", awsfake.S3SlowDown, 3},
		{"PutBucketPolicy", awsfake.S3SlowDown, 2},
		{"PutBucketEncryption", awsfake.S3InternalError, 2},
		{"GetBucketVersioning", awsfake.Fault{Status: 502, Code: "BadGateway"}, 1},
		{"CreateKey", awsfake.KMSThrottling, 4},
		{"DescribeKey", awsfake.KMSInternal, 2},
		{"EnableKeyRotation", awsfake.KMSThrottling, 1},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/"+tt.fault.Code, func(t *testing.T) {
			f := newFixture(t)
			f.srv.Fail(tt.op, tt.fault, tt.n)
			rep, err := f.run(t)
			if err != nil {
				t.Fatalf("bootstrap failed despite retries: %v", err)
			}
			base := newFixture(t)
			if _, err := base.run(t); err != nil {
				t.Fatal(err)
			}
			if got, want := f.srv.Calls(tt.op), base.srv.Calls(tt.op)+tt.n; got != want {
				t.Errorf("%s called %d times, want %d (%d injected failures retried)", tt.op, got, want, tt.n)
			}
			if f.wait.Count() != tt.n {
				t.Errorf("backoff consulted %d times, want %d", f.wait.Count(), tt.n)
			}
			assertBackend(t, f.srv, rep.KeyARN, "acme-mlops-state", "state/", 90)
		})
	}
}

func TestExhaustedRetriesLeaveNoPolicyAndRerunResumes(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail("PutBucketPolicy", awsfake.S3SlowDown, awsclient.MaxAttempts)
	_, err := f.run(t)
	var partial *backend.PartialError
	if !errors.As(err, &partial) {
		t.Fatalf("err %v, want a PartialError", err)
	}
	if f.srv.Calls("PutBucketPolicy") != awsclient.MaxAttempts {
		t.Errorf("policy put %d times, want %d", f.srv.Calls("PutBucketPolicy"), awsclient.MaxAttempts)
	}
	if !strings.Contains(partial.Failed, "bucket policy") || len(partial.Done) != 7 {
		t.Fatalf("failed at %q after %d steps", partial.Failed, len(partial.Done))
	}
	msg := err.Error()
	for _, want := range []string{"s3 public access block (created)", "s3 default encryption (SSE-KMS) (created)", "Running the same command again resumes"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if p := f.srv.Bucket("acme-mlops-state").Policy; p != nil {
		t.Fatalf("a failed policy step left a policy: %s", p)
	}

	rep, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Steps {
		want := backend.Unchanged
		if strings.Contains(s.Name, "policy") || strings.Contains(s.Name, "lifecycle") {
			want = backend.Created
		}
		if s.Result != want {
			t.Errorf("resumed run: %s %s, want %s", s.Name, s.Result, want)
		}
	}
	assertBackend(t, f.srv, rep.KeyARN, "acme-mlops-state", "state/", 90)
}

func TestNonRetryableErrorFailsAtOnce(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail("PutBucketEncryption", awsfake.S3AccessDenied, 1)
	_, err := f.run(t)
	var partial *backend.PartialError
	if !errors.As(err, &partial) || !strings.Contains(partial.Failed, "encryption") {
		t.Fatalf("err %v, want a PartialError at the encryption step", err)
	}
	if f.srv.Calls("PutBucketEncryption") != 1 || f.wait.Count() != 0 {
		t.Errorf("access denied was retried: %d calls, %d backoffs", f.srv.Calls("PutBucketEncryption"), f.wait.Count())
	}
	if f.srv.Bucket("acme-mlops-state").Policy != nil {
		t.Error("policy applied although encryption failed")
	}
}

func TestInterruptedRunAdoptsItsKey(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail("CreateAlias", awsfake.Fault{Status: 400, Code: "AccessDeniedException"}, 1)
	if _, err := f.run(t); err == nil {
		t.Fatal("bootstrap succeeded although the alias could not be created")
	}
	rep, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	assertBackend(t, f.srv, rep.KeyARN, "acme-mlops-state", "state/", 90)
	if n := f.srv.Calls("CreateKey"); n != 1 {
		t.Errorf("CreateKey called %d times, want 1: the second run must adopt the first key", n)
	}
}

func TestKeepsOtherPolicyStatementsAndLifecycleRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acme-mlops-state"),
		CreateBucketConfiguration: nil}); err != nil {
		t.Fatal(err)
	}
	other := `{"Version":"2012-10-17","Statement":[{"Sid":"AuditRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/audit"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-mlops-state/*"}]}`
	if _, err := f.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("acme-mlops-state"), Policy: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	f.cfg.Region = "us-east-1"
	rep, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Steps[3].Result != backend.Unchanged || rep.Steps[7].Result != backend.Updated {
		t.Errorf("steps %+v: the bucket existed and its policy was updated", rep.Steps)
	}
	p := f.srv.Bucket("acme-mlops-state").Policy
	if !strings.Contains(string(p), `"AuditRead"`) || tlsStatement(t, p) == nil {
		t.Errorf("merged policy %s lost a statement", p)
	}
}

func TestBucketInAnotherRegionIsRefused(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s3.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("acme-mlops-state")}); err != nil {
		t.Fatal(err)
	}
	_, err := f.run(t)
	if err == nil || !strings.Contains(err.Error(), "exists in us-east-1, not in eu-west-1") {
		t.Fatalf("err %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := backend.Config{Bucket: "acme-state", Region: "eu-west-1"}.WithDefaults()
	tests := []struct {
		name   string
		change func(*backend.Config)
		want   string
	}{
		{"valid", func(*backend.Config) {}, ""},
		{"upper case", func(c *backend.Config) { c.Bucket = "Acme" }, "bucket:"},
		{"too short", func(c *backend.Config) { c.Bucket = "ab" }, "bucket:"},
		{"ip address", func(c *backend.Config) { c.Bucket = "192.168.1.1" }, "bucket:"},
		{"double dot", func(c *backend.Config) { c.Bucket = "a..b" }, "bucket:"},
		{"no region", func(c *backend.Config) { c.Region = "" }, "region:"},
		{"bad region", func(c *backend.Config) { c.Region = "europe" }, "region:"},
		{"slash prefix", func(c *backend.Config) { c.Prefix = "/state" }, "prefix:"},
		{"alias without prefix", func(c *backend.Config) { c.KMSAlias = "state" }, "kms-alias:"},
		{"reserved alias", func(c *backend.Config) { c.KMSAlias = "alias/aws/s3" }, "kms-alias:"},
		{"negative days", func(c *backend.Config) { c.NoncurrentDays = -1 }, "noncurrent-days:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			err := c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tt.want)) {
				t.Fatalf("Validate() = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// TestConvergesDrift changes the bucket behind the tool's back; a re-run
// puts each setting right and reports it updated.
func TestConvergesDrift(t *testing.T) {
	f := newFixture(t)
	rep, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	ctx, b := context.Background(), aws.String("acme-mlops-state")
	drift := []func() error{
		func() error {
			_, err := f.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
				ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(rep.KeyARN)},
					BucketKeyEnabled:                   aws.Bool(false),
				}}}})
			return err
		},
		func() error {
			_, err := f.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}})
			return err
		},
		func() error {
			_, err := f.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
				PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true)}})
			return err
		},
		func() error {
			_, err := f.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)})
			return err
		},
	}
	for _, d := range drift {
		if err := d(); err != nil {
			t.Fatal(err)
		}
	}
	f.cfg.NoncurrentDays = 30
	again, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	var updated []string
	for _, s := range again.Steps {
		if s.Result == backend.Updated {
			updated = append(updated, s.Name)
		}
	}
	want := []string{"s3 public access block", "s3 default encryption (SSE-KMS)", "s3 versioning", "s3 bucket policy (TLS only)", "s3 lifecycle (noncurrent versions)"}
	if !slices.Equal(updated, want) {
		t.Errorf("updated %v, want %v", updated, want)
	}
	assertBackend(t, f.srv, rep.KeyARN, "acme-mlops-state", "state/", 30)
}
